// Browser smoke test: the built page loads in headless Chromium, runs the default scenario with
// the engine compiled to wasm and shows its summary; picking another example re-runs it.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

test('the page runs the default example and shows its summary', async ({ page }) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  const external = [];
  // blob: is the page's own worker script (see src/worker.rs), never the network.
  page.on('request', (r) => !/^(http:\/\/127\.0\.0\.1|blob:)/.test(r.url()) && external.push(r.url()));

  await page.goto('./index.html');
  await expect(page.locator('#scenario-title')).toHaveText('Circuit breaker during an outage');
  const summary = page.locator('#summary');
  await expect(summary).toBeVisible();
  await expect(summary.locator('tr[data-outcome="rejected-by-breaker"]')).toBeVisible();
  await expect(page.locator('#run-meta')).toContainText('digest');
  await page.screenshot({ path: `${shots}/smoke-default.png`, fullPage: true });

  await page.selectOption('#example', 'all-six');
  await expect(page.locator('#scenario-title')).toHaveText('All six patterns stacked');
  await expect(summary.locator('tr[data-outcome="served-from-cache"]')).toBeVisible();
  await expect(summary.locator('tr[data-outcome="fallback"]')).toBeVisible();
  await expect(summary.locator('tr[data-outcome="failed"]')).toHaveCount(0);
  await page.screenshot({ path: `${shots}/smoke-all-six.png`, fullPage: true });

  expect(problems).toEqual([]);
  expect(external).toEqual([]);
});

test('the browser run gives the same digest as the native run', async ({ page }) => {
  // The page traces each example in full, like the native golden-digest test.
  const golden = fs.readFileSync(new URL('../../crates/engine/tests/common/golden.rs', import.meta.url), 'utf8');
  const expected = golden.match(/\("all-six", 0x([0-9a-f]+)\)/)[1];
  await page.goto('./index.html#example/all-six');
  await expect(page.locator('#run-meta')).toContainText(`digest ${expected}`, { timeout: 20_000 });
});
