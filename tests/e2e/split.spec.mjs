// The release wasm comes in two parts (scripts/split/): the first paint runs on the first part
// alone, the later part is fetched in the background, and a reader who acts before it arrives,
// or whose background fetch failed, still gets a working page (the part loads at that moment).
// The editors are drawn once the later part is in: their code is not part of the first paint.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { settled, watchProblems } from './helpers.mjs';

const LATER = /resilience-playground_later_bg\.wasm$/;
const LINK = fs.readFileSync(new URL('../../crates/engine/tests/fixtures/links/v1/all-six.link', import.meta.url), 'utf8').trim();

/** Records each request for the later part with how it was made ('fetch' or 'xhr'). */
function laterRequests(page) {
  const seen = [];
  page.on('request', (r) => LATER.test(r.url()) && seen.push(r.resourceType()));
  return seen;
}

/** How the later part was installed ('in the background' or 'on first use'), once it is. */
const installed = (page) => page.evaluate(() => performance.getEntriesByName('rp-later-installed').map((m) => m.detail));

for (const [name, url, size, ready] of [
  ['the playground on a desktop', './index.html', { width: 1440, height: 900 }, '#run-meta'],
  ['the playground on a phone', './index.html#example/breaker-outage', { width: 390, height: 844 }, '#run-meta'],
  ['an embed on a phone', './index.html#embed', { width: 390, height: 844 }, '#timeline'],
  ['a share link on a phone', `./index.html#s=${LINK}`, { width: 390, height: 844 }, '#run-meta'],
  ['another example on a desktop', './index.html#example/hedging-tail', { width: 1440, height: 900 }, '#run-meta'],
]) {
  test(`${name}: the first paint needs only the first part, the later part comes once, in the background`, async ({ page }) => {
    await page.setViewportSize(size);
    const problems = watchProblems(page);
    const requests = laterRequests(page);
    await page.goto(url);
    if (ready === '#run-meta') await settled(page);
    else await expect(page.locator(ready)).toBeVisible({ timeout: 20_000 });
    await expect.poll(() => requests.length).toBe(1);
    expect(requests).toEqual(['fetch']);
    // A function the first paint ran but the split left out would have installed it at once.
    await expect.poll(() => installed(page)).toEqual(['in the background']);
    expect(problems).toEqual([]);
  });
}

test('a docs page whose players mount at once needs only the first part', async ({ page }) => {
  const problems = watchProblems(page);
  const requests = laterRequests(page);
  // A host page of its own, served by the test: players by attribute, by link payload and by mountPlayer().
  await page.route('**/tests/e2e/split-players.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>Players</title><body>
      <resilience-player example="retry-storm" panels="timeline,summary"></resilience-player>
      <resilience-player src="${LINK}" panels="summary"></resilience-player>
      <div id="mounted"></div>
      <script type="module">
        import { mountPlayer } from '../../dist/player.js';
        const attributes = [...document.querySelectorAll('resilience-player')].map((player) => player.ready);
        const results = await Promise.all([...attributes, mountPlayer(document.getElementById('mounted'), 'breaker-outage', { panels: ['summary'] })]);
        document.body.dataset.mounted = results.every((r) => r.ok);
      </script>`,
  }));
  await page.goto('../tests/e2e/split-players.html');
  await expect(page.locator('body')).toHaveAttribute('data-mounted', 'true', { timeout: 20_000 });
  await expect.poll(() => installed(page)).toEqual(['in the background']);
  expect(requests).toEqual(['fetch']);
  expect(problems).toEqual([]);
});

test('a reader who acts before the later part arrives gets the page working, and it loads once more at most', async ({ page }) => {
  const problems = watchProblems(page);
  const requests = laterRequests(page);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  // The background fetch is held back; the synchronous load that the first action needs is not.
  await page.route(LATER, async (route) => {
    if (route.request().resourceType() === 'fetch') await held;
    await route.continue();
  });
  await page.goto('./index.html');
  await expect(page.locator('#run-meta')).toContainText('digest', { timeout: 20_000 });
  // The editors wait for the later part; the results do not.
  await expect(page.locator('.editors-loading')).toContainText('Loading the editors');
  await page.click('#open-gallery');
  await expect(page.locator('.dialog.gallery')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('.pipeline .layer').first()).toBeVisible();
  await page.click('#reroll');
  await settled(page);
  expect(requests).toEqual(['fetch', 'xhr']);
  expect(await installed(page)).toEqual(['on first use']);
  release();
  await page.waitForTimeout(300);
  await page.click('#open-gallery');
  await expect(page.locator('.dialog.gallery')).toBeVisible();
  expect(problems).toEqual([]);
});

test('when the background fetch fails, the editors load the later part at once, and the page works', async ({ page }) => {
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  const requests = laterRequests(page);
  await page.route(LATER, (route) => (route.request().resourceType() === 'fetch' ? route.abort() : route.continue()));
  await page.goto('./index.html');
  await expect(page.locator('#run-meta')).toContainText('digest', { timeout: 20_000 });
  await expect.poll(() => warnings.some((w) => w.includes('it loads on first use'))).toBe(true);
  await expect(page.locator('.pipeline .layer').first()).toBeVisible();
  expect(await installed(page)).toEqual(['on first use']);
  await page.click('#open-gallery');
  await expect(page.locator('.dialog.gallery')).toBeVisible();
  expect(requests).toEqual(['fetch', 'xhr']);
});
