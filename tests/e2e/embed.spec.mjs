// Embeds that fit their host: <resilience-player> elements scoped in Shadow DOM on a docs page
// with a hostile stylesheet, iframes that size themselves, autoplay that waits to be seen,
// themes in every mode, and a published build without the live-reload script.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

const RED = 'rgb(255, 0, 0)';
const DARK_BG = 'rgb(17, 21, 28)';
const LIGHT_BG = 'rgb(255, 255, 255)';
const style = (locator, property) => locator.evaluate((e, p) => getComputedStyle(e)[p], property);
const box = async (locator) => locator.evaluate((e) => e.getBoundingClientRect().toJSON());

/** Collects the height messages the embeds post to the page. */
async function recordMessages(page) {
  await page.addInitScript(() => {
    window.heightMessages = [];
    addEventListener('message', (e) => {
      if (e.data?.type === 'resilience-playground:height') window.heightMessages.push(e.data);
    });
  });
}

test('a published build carries no live-reload script', async () => {
  const html = fs.readFileSync(new URL('../../dist/index.html', import.meta.url), 'utf8');
  expect(html).not.toMatch(/websocket|autoreload|__trunk|livereload/i);
  expect(html.match(/<script/gi)?.length ?? 0).toBeLessThanOrEqual(1); // the module loader only
});

test('the copied embed code, pasted into a page, shows the scenario in a frame that fits it', async ({ page, baseURL }) => {
  await page.goto('./index.html#example/retry-storm');
  await expect(page.locator('#run-meta')).toContainText('digest', { timeout: 20_000 });
  await page.click('#copy-embed');
  const snippet = await page.locator('#share-text').inputValue(); // an input: pasted as one line
  expect(snippet).toMatch(/^<iframe src="[^"]+#embed&panels=timeline,charts,summary&s=z1\.[^"]+"[^>]* height="1280"[^>]*><\/iframe><script>/);
  const host = new URL('/snippet-host.html', baseURL).href;
  await page.route(host, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>Host</title><body style="max-width:760px;margin:auto"><h1>A post</h1>${snippet}</body>` }));
  await page.goto(host);
  const frame = page.locator('iframe');
  await expect(page.frameLocator('iframe').locator('#summary')).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => Math.round((await box(frame)).height), { timeout: 10_000 }).not.toBe(1280);
  const inner = await (await frame.elementHandle()).contentFrame();
  await expect.poll(() => inner.evaluate(() => document.documentElement.scrollHeight <= document.documentElement.clientHeight + 2)).toBe(true);
});

test('a player is styled even where its stylesheet cannot be fetched (it is linked instead)', async ({ page }) => {
  await page.route('**/dist/style.css', (route) => (route.request().resourceType() === 'fetch' ? route.abort() : route.continue()));
  await page.goto('../tests/e2e/docs.html');
  await page.waitForFunction(() => window.players !== undefined, null, { timeout: 30_000 });
  const play = page.locator('#player-dark #play');
  await expect(play).toBeVisible({ timeout: 20_000 });
  expect(await style(play, 'borderRadius')).toBe('6px');
  expect(await style(page.locator('#player-dark .embed'), 'backgroundColor')).toBe(DARK_BG);
  expect((await box(page.locator('#player-auto canvas#timeline'))).width).toBeGreaterThan(600);
});

for (const viewport of [{ width: 390, height: 844 }, { width: 768, height: 1024 }, { width: 1440, height: 900 }]) {
  const size = `${viewport.width}x${viewport.height}`;
  test.describe(`at ${size}`, () => {
    test.use({ viewport });

    test('a docs page with two <resilience-player>s and a hostile stylesheet: both styled, host unchanged', async ({ page, baseURL }) => {
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto('../tests/e2e/docs.html');
      await page.waitForFunction(() => window.players !== undefined, null, { timeout: 30_000 });
      expect(await page.evaluate(() => window.players)).toEqual({ auto: { ok: true }, dark: { ok: true } });
      const auto = page.locator('#player-auto');
      const dark = page.locator('#player-dark');
      await expect(auto.locator('#summary')).toBeVisible({ timeout: 20_000 });
      await expect(dark.locator('#summary')).toBeVisible({ timeout: 20_000 });
      // Styled by the app's stylesheet inside the shadow root, not by the host's.
      for (const player of [auto, dark]) {
        const play = player.locator('#play');
        expect(await style(play, 'backgroundColor')).not.toBe(RED);
        expect(await style(play, 'borderRadius')).toBe('6px');
        expect(await style(player.locator('.embed'), 'fontFamily')).not.toContain('serif,'); // not the host's font
        expect(await style(player.locator('.embed'), 'fontSize')).toBe('14px');
        const canvas = await box(player.locator('canvas#timeline'));
        const panel = await box(player.locator('section.timeline'));
        expect(canvas.width).toBeGreaterThan(300);
        expect(canvas.width).toBeGreaterThan(panel.width - 30); // sized from the player's width
        expect(await player.locator('canvas#timeline').evaluate((c) => c.width)).toBeGreaterThanOrEqual(Math.floor(canvas.width));
      }
      expect(await style(auto.locator('#scenario-title'), 'color')).not.toBe(RED);
      // "Open in playground" opens the playground next to player.js, not the docs page.
      expect(await auto.locator('#open-playground').getAttribute('href')).toMatch(new RegExp(`^${baseURL}#s=z1\\.`));
      expect(await style(dark.locator('.embed'), 'backgroundColor')).toBe(DARK_BG);
      expect(await style(auto.locator('.embed'), 'backgroundColor')).toBe(LIGHT_BG); // the reader prefers light
      // The host is unchanged: its button is red, its body font and headings its own.
      expect(await style(page.locator('#host-button'), 'backgroundColor')).toBe(RED);
      expect(await style(page.locator('h1'), 'color')).toBe(RED);
      expect(await style(page.locator('h1'), 'fontSize')).toBe('40px');
      const before = await page.evaluate(() => window.hostBefore.font);
      expect(await style(page.locator('body'), 'font')).toBe(before);
      expect(before).toMatch(/20px.*serif/);
      // Nothing of the player sits in the host document itself.
      expect(await page.evaluate(() => document.querySelectorAll('link[rel=stylesheet], style').length)).toBe(1);
      expect(await page.evaluate(() => document.getElementById('timeline'))).toBeNull();
      await auto.locator('#play').click();
      await expect(auto.locator('#play')).toHaveText(/Pause/);
      await auto.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/embed-docs-players-${size}.png`, fullPage: true });
      await auto.screenshot({ path: `${shots}/embed-docs-player-light-${size}.png` });
      await dark.screenshot({ path: `${shots}/embed-docs-player-dark-${size}.png` });
      expect(problems).toEqual([]);
    });

    test('themes: forced light and dark win over the reader\'s preference in every player mode', async ({ page }) => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto('../tests/e2e/docs.html');
      await page.waitForFunction(() => window.players !== undefined, null, { timeout: 30_000 });
      await expect(page.locator('#player-auto #summary')).toBeVisible({ timeout: 20_000 });
      expect(await style(page.locator('#player-auto .embed'), 'backgroundColor')).toBe(DARK_BG); // preference
      expect(await style(page.locator('#player-dark .embed'), 'backgroundColor')).toBe(DARK_BG);
      expect(await style(page.locator('#from-object .embed'), 'backgroundColor')).toBe(LIGHT_BG); // mountPlayer, light
      expect(await style(page.locator('#from-example .embed'), 'backgroundColor')).toBe(DARK_BG); // mountPlayer, dark
      // The timeline canvas follows the player's own theme, not the document's.
      const brightness = (id) => page.locator(`${id} canvas#timeline`).evaluate((c) => {
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
        return sum / (data.length / 4);
      });
      expect(await brightness('#player-dark')).toBeLessThan(110);
      expect(await brightness('#player-auto')).toBeLessThan(110); // dark by preference
      await page.emulateMedia({ colorScheme: 'light' });
      expect(await style(page.locator('#player-auto .embed'), 'backgroundColor')).toBe(LIGHT_BG);
      expect(await style(page.locator('#player-dark .embed'), 'backgroundColor')).toBe(DARK_BG);
      expect(await style(page.locator('#from-example .embed'), 'backgroundColor')).toBe(DARK_BG);
      await page.locator('#player-dark').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/embed-docs-themes-${size}.png` });
    });

    test('a blog page whose iframes resize to their content', async ({ page }) => {
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await recordMessages(page);
      await page.goto('../tests/e2e/blog.html');
      const first = page.frameLocator('#embed-1');
      await expect(first.locator('#summary')).toBeVisible({ timeout: 20_000 });
      await expect(page.frameLocator('#embed-2').locator('#summary')).toBeVisible({ timeout: 20_000 });
      expect(await style(page.frameLocator('#embed-2').locator('.embed'), 'backgroundColor')).toBe(DARK_BG);
      for (const id of ['#embed-1', '#embed-2']) {
        const frame = page.locator(id);
        await expect(frame).toHaveAttribute('height', '640');
        await expect.poll(async () => (await box(frame)).height, { timeout: 10_000 }).not.toBe(640);
        const inner = await (await frame.elementHandle()).contentFrame();
        // As a reader scrolls to it: Chromium does not pass a new size on to an off-screen
        // cross-origin (sandboxed) frame until it is seen.
        await frame.scrollIntoViewIfNeeded();
        // The frame fits its content: no inner scrollbar, no empty band.
        await expect.poll(() => inner.evaluate(() => {
          const { scrollHeight, clientHeight } = document.documentElement;
          const content = document.querySelector('.embed').getBoundingClientRect().height;
          return scrollHeight <= clientHeight + 2 && Math.abs(clientHeight - content) <= 2;
        }), { timeout: 10_000 }).toBe(true);
      }
      const messages = await page.evaluate(() => window.heightMessages);
      const breaker = messages.filter((m) => m.id === 'breaker').at(-1);
      expect(breaker).toEqual({ type: 'resilience-playground:height', height: expect.any(Number), id: 'breaker' });
      expect(Number.isInteger(breaker.height)).toBe(true);
      // The last height told is the frame's height (once the host has applied it).
      await expect.poll(async () => {
        const last = (await page.evaluate(() => window.heightMessages)).filter((m) => m.id === 'breaker').at(-1);
        return Math.abs(last.height - (await box(page.locator('#embed-1'))).height);
      }).toBeLessThanOrEqual(1);
      expect(messages.some((m) => m.id === 'storm')).toBe(true); // the frame's name, when no id= is given
      await page.locator('#embed-2').scrollIntoViewIfNeeded();
      await page.waitForTimeout(300); // the sandboxed frame paints in its own process
      await page.screenshot({ path: `${shots}/embed-blog-sandboxed-dark-${size}.png` });
      await page.screenshot({ path: `${shots}/embed-blog-resized-${size}.png`, fullPage: true });
      expect(problems).toEqual([]);
    });

    test('autoplay waits until an eagerly loaded embed far below the fold is scrolled into view', async ({ page }) => {
      await page.goto('../tests/e2e/blog.html');
      const below = page.frameLocator('#embed-4');
      await expect(below.locator('#summary')).toBeAttached({ timeout: 20_000 });
      const clock = await below.locator('#clock').textContent();
      await page.waitForTimeout(1200);
      await expect(below.locator('#play')).toHaveText(/Play/);
      await expect(below.locator('#clock')).toHaveText(clock);
      await page.locator('#embed-4').scrollIntoViewIfNeeded();
      await expect(below.locator('#play')).toHaveText(/Pause/);
      await expect(below.locator('#clock')).not.toHaveText(clock);
      await page.screenshot({ path: `${shots}/embed-autoplay-in-view-${size}.png` });
      // Out of view again, it pauses; back in view, it resumes.
      await page.evaluate(() => window.scrollTo(0, 0));
      await expect(below.locator('#play')).toHaveText(/Play/);
      await page.locator('#embed-4').scrollIntoViewIfNeeded();
      await expect(below.locator('#play')).toHaveText(/Pause/);
    });
  });
}

test('a scenario with a sweep embeds it: a reader runs it in a sandboxed frame on a phone, and a cell opens its run there', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const doc = JSON.parse(fs.readFileSync(new URL('../../crates/engine/scenarios/breaker-outage.json', import.meta.url)));
  doc.sweep = {
    knobs: [
      { path: '/endpoints/0/stack/0/circuit_breaker/failure_rate', from: 20, to: 80, steps: 2 },
      { path: '/services/0/faults/0/outage/to', values: ['25s', '55s'] },
    ],
    seeds: 2,
    chart: 'expect[2]',
  };
  const payload = Buffer.from(JSON.stringify({ scenario: doc, view: {} })).toString('base64url');
  const src = new URL(`./index.html#embed&panels=summary,sweep&s=j1.${payload}`, baseURL).href;
  const host = new URL('/sweep-host.html', baseURL).href;
  await page.route(host, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>Host</title><body style="margin:0"><p>A post about retries.</p><iframe sandbox="allow-scripts" src="${src}" title="Sweep" width="100%" height="1400" style="border:0"></iframe></body>`,
  }));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(host);
  const frame = page.frameLocator('iframe');
  // Nothing runs on the reader's device until asked: the panel says what would.
  await expect(frame.locator('#odds-embed-intro')).toContainText('share of seeds where claim 3 holds', { timeout: 30_000 });
  await expect(frame.locator('#odds-embed-intro')).toContainText('4 cells of 2 seeds (8 runs)');
  await expect(frame.locator('#odds-progress')).toHaveCount(0);
  await frame.locator('#odds-run').focus();
  await page.keyboard.press('Enter');
  await expect(frame.locator('#odds-progress-text')).toContainText('8 runs in', { timeout: 60_000 });
  await expect(frame.locator('#odds-heatmap rect[data-act="cell"]')).toHaveCount(4);
  // Its Run button is gone with the intro: the focus is on the chart, not lost to the page.
  await expect(frame.locator('#odds-heatmap')).toBeFocused();
  await expect(frame.locator('#odds-csv')).toHaveCount(0); // a sandboxed frame cannot download
  await page.locator('iframe').screenshot({ path: `${shots}embed-sweep-390.png` });
  // A cell opens its run in the embed; its link back then opens that run in the playground.
  const before = await frame.locator('#open-playground').getAttribute('href');
  await frame.locator('#odds-heatmap rect[data-act="cell"]').nth(3).click();
  await expect(frame.locator('.embed .banner')).toContainText('Opened the run with product-page › 1. Circuit breaker › Failure rate threshold (%) = 80');
  await expect(frame.locator('.embed .banner')).not.toContainText('Ctrl+Z');
  await expect(frame.locator('.embed .banner')).not.toHaveClass(/error/);
  await expect.poll(() => frame.locator('#open-playground').getAttribute('href'), { timeout: 10_000 }).not.toBe(before);
  // The chart stays.
  await expect(frame.locator('#odds-heatmap rect[data-act="cell"]')).toHaveCount(4);
});
