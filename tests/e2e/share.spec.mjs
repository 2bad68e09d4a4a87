// Share links, embeds, autosave and import/export, used the way people use them.
import { test, expect } from '@playwright/test';
import { settled } from './helpers.mjs';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

const digestOf = async (page) => (await page.locator('#run-meta').textContent()).split('digest ')[1];

async function editSeed(page, seed) {
  await page.fill('#f-seed', String(seed));
  await page.press('#f-seed', 'Enter');
  await settled(page);
}

test('a copied link reopens exactly what the sender saw, in a fresh browser', async ({ page, browser }) => {
  await page.goto('./index.html');
  await settled(page);
  await page.click('#add-bulkhead');
  await editSeed(page, 777);
  const digest = await digestOf(page);
  const summary = await page.locator('#summary').textContent();
  await page.click('#copy-link');
  await expect(page.locator('#banner')).toContainText(/characters/);
  const link = await page.locator('#share-text').inputValue();
  expect(link).toContain('#s=z1.');
  expect(link.length).toBeLessThan(2000);
  expect(page.url()).toContain('#s=z1.');

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await settled(other);
  expect(await digestOf(other)).toBe(digest);
  expect(await other.locator('#summary').textContent()).toBe(summary);
  await expect(other.locator('.pipeline .layer[data-kind="bulkhead"]').last()).toBeVisible();
  await other.screenshot({ path: `${shots}/share-opened-link.png` });
  await fresh.close();
});

test('a re-roll after a quiet moment uses the comparison prepared for it, the one a fresh page runs', async ({ page, browser }) => {
  await page.goto('./index.html');
  await settled(page);
  for (let i = 0; i < 2; i++) {
    // The page is idle: the comparison for the next seed is run ahead (src/runner/spare.rs).
    await page.waitForTimeout(800);
    const before = await digestOf(page);
    await page.evaluate(() => performance.clearMarks());
    await page.click('#reroll');
    await expect(page.locator('#run-meta')).not.toContainText(before);
    await settled(page);
    expect(await page.evaluate(() => performance.getEntriesByName('rp-run-start').length)).toBe(1);
    expect(await page.evaluate(() => performance.getEntriesByName('rp-baseline-start').length)).toBe(0);
  }
  const compare = await page.locator('#compare').textContent();
  const verdict = await page.locator('#verdict').textContent();
  await page.click('#copy-link');
  const link = await page.locator('#share-text').inputValue();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await settled(other);
  expect(await digestOf(other)).toBe(await digestOf(page));
  expect(await other.locator('#compare').textContent()).toBe(compare);
  expect(await other.locator('#verdict').textContent()).toBe(verdict);
  await fresh.close();
});

test('the draft survives a reload, and a corrupted link shows a banner and keeps it', async ({ page }) => {
  await page.goto('./index.html');
  await settled(page);
  await editSeed(page, 4242);
  await page.reload();
  await settled(page);
  await expect(page.locator('#f-seed')).toHaveValue('4242');

  await page.goto('./index.html#s=z1.eJyLjgUAARUAuQ-this-is-not-a-link');
  await expect(page.locator('#banner')).toContainText('could not be opened');
  await settled(page);
  await expect(page.locator('#f-seed')).toHaveValue('4242');
  await page.screenshot({ path: `${shots}/share-corrupted-link.png` });

  // A future-version link is refused the same way, and nothing is interpreted as markup.
  await page.goto('./index.html#s=z9.abc');
  await expect(page.locator('#banner')).toContainText('newer version');
  await expect(page.locator('#f-seed')).toHaveValue('4242');
});

test('opening a shared link never overwrites the draft; it can be restored', async ({ page }) => {
  await page.goto('./index.html');
  await settled(page);
  await editSeed(page, 99);
  await page.goto('./index.html#example/retry-storm');
  await settled(page);
  await expect(page.locator('#banner')).toContainText('draft is kept');
  await editSeed(page, 5); // not saved over the draft while the banner offers it back
  await page.click('#restore-draft');
  await settled(page);
  await expect(page.locator('#f-seed')).toHaveValue('99');
  await expect(page.locator('#banner')).toHaveCount(0);
});

test('JSON export and import round trip, and hostile files are refused', async ({ page }, testInfo) => {
  await page.goto('./index.html');
  await settled(page);
  await editSeed(page, 31337);
  const digest = await digestOf(page);
  await page.click('.file-menu summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const file = testInfo.outputPath('scenario.json');
  await download.saveAs(file);
  await page.selectOption('#example', 'breaker-outage');
  await settled(page);
  await page.setInputFiles('#file-input', file);
  await expect(page.locator('#banner')).toContainText('Opened');
  await settled(page);
  expect(await digestOf(page)).toBe(digest);

  const hostile = testInfo.outputPath('hostile.json');
  fs.writeFileSync(hostile, JSON.stringify({ version: 1, name: '<img src=x onerror=alert(1)>', duration: 'soon' }));
  await page.setInputFiles('#file-input', hostile);
  await expect(page.locator('#banner')).toContainText('duration');
  await expect(page.locator('img[src=x]')).toHaveCount(0);
  expect(await digestOf(page)).toBe(digest);
});

test('an exported PNG carries its scenario: dropping it back reopens it', async ({ page }, testInfo) => {
  await page.goto('./index.html');
  await settled(page);
  await editSeed(page, 2024);
  const digest = await digestOf(page);
  await page.click('.file-menu summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const png = testInfo.outputPath('timeline.png');
  await download.saveAs(png);
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svg = testInfo.outputPath('charts.svg');
  await svgDownload.saveAs(svg);
  expect(fs.readFileSync(svg, 'utf8')).toContain('<metadata id="resilience-playground">z1.');

  await page.selectOption('#example', 'retry-storm');
  await settled(page);
  const bytes = [...fs.readFileSync(png)];
  await page.evaluate((bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'timeline.png', { type: 'image/png' }));
    document.querySelector('.page').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, bytes);
  await expect(page.locator('#banner')).toContainText('Opened');
  await settled(page);
  expect(await digestOf(page)).toBe(digest);

  await page.selectOption('#example', 'retry-storm');
  await settled(page);
  await page.setInputFiles('#file-input', svg);
  await settled(page);
  expect(await digestOf(page)).toBe(digest);
});

test('a blog post with three embeds (one sandboxed) renders and plays them all', async ({ page }) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('../tests/e2e/blog.html');
  const first = page.frameLocator('#embed-1');
  await expect(first.locator('#summary')).toBeVisible({ timeout: 20_000 });
  await expect(first.locator('#scenario-title')).toHaveText('Circuit breaker during an outage');
  await expect(first.locator('#play')).toHaveText(/Pause/); // autoplay while in view
  await expect(first.locator('#open-playground')).toHaveAttribute('href', /#s=z1\./);
  const sandboxed = page.frameLocator('#embed-2');
  await expect(sandboxed.locator('#summary')).toBeVisible({ timeout: 20_000 });
  await expect(sandboxed.locator('figure.chart').first()).toBeVisible();
  await sandboxed.locator('#play').click();
  await expect(sandboxed.locator('#play')).toHaveText(/Pause/);
  await page.screenshot({ path: `${shots}/blog-embeds.png`, fullPage: false });
  // Scroll the first embed out of view: it pauses.
  await page.locator('#embed-3').scrollIntoViewIfNeeded();
  const third = page.frameLocator('#embed-3');
  await expect(third.locator('#summary')).toBeVisible({ timeout: 20_000 });
  await expect(third.locator('#clock')).toHaveText('20.000 s');
  await expect(first.locator('#play')).toHaveText(/Play/);
  expect(problems).toEqual([]);
});

test('a docs page mounts players from a JS object and an example, and reports bad input', async ({ page }) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('../tests/e2e/docs.html');
  await page.waitForFunction(() => window.results !== undefined, null, { timeout: 20_000 });
  const results = await page.evaluate(() => window.results);
  expect(results.object).toEqual({ ok: true });
  expect(results.example).toEqual({ ok: true });
  expect(results.junk.ok).toBe(false);
  expect(results.junk.error).toContain('duration');
  await expect(page.locator('#from-object #summary')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('#from-object')).toContainText('Mounted from a JS object');
  await expect(page.locator('#from-object')).toContainText('circuit breaker');
  await expect(page.locator('#from-example #summary')).toBeVisible();
  await expect(page.locator('#from-junk')).toHaveAttribute('role', 'alert');
  await expect(page.locator('#from-junk')).toContainText('could not show this scenario');
  // The full playground did not mount itself on this page.
  await expect(page.locator('.layout')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('names and descriptions holding markup are shown as text; huge files are refused', async ({ page }, testInfo) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto('./index.html');
  await settled(page);
  const scenario = JSON.parse(fs.readFileSync(new URL('../../crates/engine/scenarios/breaker-outage.json', import.meta.url)));
  scenario.name = '<img src=x onerror="alert(1)"><b>bold</b>';
  scenario.description = '<script>alert(2)</script> plain words';
  const file = testInfo.outputPath('markup.json');
  fs.writeFileSync(file, JSON.stringify(scenario));
  await page.setInputFiles('#file-input', file);
  await settled(page);
  await expect(page.locator('#scenario-title')).toHaveText(scenario.name);
  await expect(page.locator('img[src=x]')).toHaveCount(0);
  await expect(page.locator('.about b')).toHaveCount(0);
  // The link of such a scenario opens with the same literal text.
  await page.click('#copy-link');
  const link = await page.locator('#share-text').inputValue();
  await page.goto(link);
  await settled(page);
  await expect(page.locator('#scenario-title')).toHaveText(scenario.name);

  const digest = (await page.locator('#run-meta').textContent()).split('digest ')[1];
  await page.setInputFiles('#file-input', { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(17 * 1024 * 1024, 32) });
  await expect(page.locator('#banner')).toContainText('limit');
  await page.setInputFiles('#file-input', { name: 'deep.json', mimeType: 'application/json', buffer: Buffer.from('['.repeat(100000)) });
  await expect(page.locator('#banner')).toContainText('could not be opened');
  await page.setInputFiles('#file-input', { name: 'image.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') });
  await expect(page.locator('#banner')).toContainText('carries no scenario');
  expect((await page.locator('#run-meta').textContent()).split('digest ')[1]).toBe(digest);
  expect(problems).toEqual([]);
});

test('a long link gets a warning that points to the JSON download', async ({ page }) => {
  await page.goto('./index.html');
  await settled(page);
  // Many explicit arrival times make a scenario whose link is too long for chats.
  // Random microseconds keep it incompressible: the link is far over 8,000 characters.
  const times = Array.from({ length: 6000 }, (_, i) => `${(i * 0.005 + Math.random() * 0.004).toFixed(6)}s`);
  const scenario = JSON.parse(fs.readFileSync(new URL('../../crates/engine/scenarios/breaker-outage.json', import.meta.url)));
  scenario.endpoints[0].load = { times };
  const file = test.info().outputPath('long.json');
  fs.writeFileSync(file, JSON.stringify(scenario));
  await page.setInputFiles('#file-input', file);
  await settled(page);
  await page.click('#copy-link');
  await expect(page.locator('#banner')).toContainText('Download JSON');
});
