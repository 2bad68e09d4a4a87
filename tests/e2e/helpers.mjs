// What the end-to-end specs share: where screenshots go, waiting for a run, and watching a
// page for errors and stray network requests. (Older specs still carry their own copies.)
import { expect } from '@playwright/test';
import fs from 'node:fs';
import { createRequire } from 'node:module';

/** The folder screenshots are written to. */
export const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

/**
 * Waits until the run for the current scenario is on screen (the status line shows a digest)
 * and, in the playground, the editors and the panels below the first screen are in (they draw
 * once the page's later wasm part is).
 */
export async function settled(page) {
  await expect(page.locator('#run-meta')).toContainText('digest', { timeout: 20_000 });
  await expect(page.locator('.editors-loading, .deferred')).toHaveCount(0, { timeout: 20_000 });
}

/** Collects page errors, console errors and requests that leave the test server. */
export function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  // blob: is the page's own worker script (see src/worker.rs), data: a download link's.
  page.on('request', (r) => !/^(http:\/\/127\.0\.0\.1|data:|blob:)/.test(r.url()) && problems.push(`network: ${r.url()}`));
  return problems;
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The serious and critical accessibility violations axe-core finds in the page, in words. */
export async function seriousViolations(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}
