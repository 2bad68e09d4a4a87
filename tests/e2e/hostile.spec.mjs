// A share link is a stranger's document running in the reader's tab. A link that asks for
// endless work stops at the run's CPU budget with a message (the budget is lowered here through
// window.rpRunBudgetMs); a damaged one is refused with a reason; the reader's draft stays
// intact and the page stays usable. (Timings are figures for bench.mjs, never assertions here.)
import { test, expect } from '@playwright/test';
import { settled } from './helpers.mjs';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

const example = (name) => JSON.parse(fs.readFileSync(new URL(`../../crates/engine/scenarios/${name}.json`, import.meta.url)));
const link = (scenario) => `j1.${Buffer.from(JSON.stringify({ scenario, view: {} })).toString('base64url')}`;

/** A valid load at the limits: 100,000 rps for 200 s through three layers (20 million requests). */
function heavyLoad() {
  const scenario = example('breaker-outage');
  scenario.duration = '200s';
  scenario.endpoints[0].load = { poisson: { rps: 100000 } };
  return scenario;
}

/** 16 retry layers of 100 attempts each around a 10,000 rps endpoint: 100^16 attempts a request. */
function nestedRetries() {
  const scenario = example('breaker-outage');
  scenario.endpoints[0].load = { poisson: { rps: 10000 } };
  scenario.endpoints[0].stack = Array.from({ length: 16 }, () => ({
    retry: { max_attempts: 100, backoff: { constant: { delay: '1ms' } } },
  }));
  return scenario;
}

test('hostile links stop at the run budget or are refused; the draft and the page stay intact', async ({ page }) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => { window.rpRunBudgetMs = 300; });
  await page.goto('./index.html');
  await settled(page);
  await page.fill('#f-seed', '4242');
  await page.press('#f-seed', 'Enter');
  await settled(page);

  // Long but valid work: the run stops at its budget and says so; the draft is kept.
  await page.evaluate((payload) => { location.hash = `#s=${payload}`; }, link(heavyLoad()));
  const banner = page.locator('#banner');
  await expect(banner).toContainText('draft is kept');
  await expect(page.locator('#run-stopped')).toContainText('stopped after', { timeout: 20_000 });
  await page.screenshot({ path: `${shots}/hostile-heavy-load.png` });

  // Endless work: refused before any run, naming the layers that multiply and the excess.
  await page.evaluate((payload) => { location.hash = `#s=${payload}`; }, link(nestedRetries()));
  await expect(banner).toContainText('could not be opened');
  await expect(banner).toContainText('stack[0].retry (×100) × stack[1].retry (×100)');
  await expect(banner).toContainText('nest fewer retries');
  await page.screenshot({ path: `${shots}/hostile-nested-retries.png` });

  // A top-level array is not a scenario: refused with a reason.
  await page.evaluate((payload) => { location.hash = `#s=${payload}`; }, `j1.${Buffer.from('[1,2,3]').toString('base64url')}`);
  await expect(banner).toContainText('could not be opened');
  // A far too long link is refused too.
  await page.evaluate(() => { location.hash = `#s=z1.${'A'.repeat(600 * 1024)}`; });
  await expect(banner).toContainText('could not be opened');

  // The page still answers: the gallery opens and closes, the draft reloads intact.
  await page.click('#open-gallery');
  await expect(page.locator('.dialog.gallery')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.goto('./index.html');
  await settled(page);
  await expect(page.locator('#f-seed')).toHaveValue('4242');
  expect(problems).toEqual([]);
});
