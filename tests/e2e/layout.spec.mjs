// The layout fits any screen: no sideways scrolling from 320 to 1920 px, one column with the
// results first on phones, folded editors, and the small cuts (compare deltas, chart ticks,
// fault bands, typed numbers, tab title, contrast, PNG export). Full-page screenshots of every
// size land in ./artifacts.
import { test, expect } from '@playwright/test';
import { settled } from './helpers.mjs';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

const SIZES = [[320, 700], [390, 844], [768, 1024], [1024, 768], [1440, 900], [1920, 1080]];
const EXAMPLES = ['breaker-outage', 'bulkhead-isolation'];

/** Fails with the widest offenders when the page scrolls sideways. */
async function expectNoSideScroll(page, what) {
  const report = await page.evaluate(() => {
    const width = window.innerWidth;
    const offenders = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} → ${Math.round(e.getBoundingClientRect().right)}`);
    return { scroll: document.documentElement.scrollWidth, width, offenders };
  });
  expect(report.scroll, `${what}: scrollWidth ${report.scroll} > ${report.width}; ${report.offenders.join(', ')}`)
    .toBeLessThanOrEqual(report.width);
}

for (const [width, height] of SIZES) {
  test(`nothing scrolls sideways at ${width}×${height}`, async ({ browser }) => {
    const page = await browser.newPage({ viewport: { width, height } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto('./index.html');
    await settled(page);
    await expectNoSideScroll(page, `default at ${width}`);
    await page.screenshot({ path: `${shots}/layout-${width}x${height}.png`, fullPage: true });
    await page.screenshot({ path: `${shots}/layout-${width}x${height}-first-screen.png` });
    for (const example of EXAMPLES) {
      await page.goto(`./index.html#example/${example}`);
      await expect(page.locator('#example')).toHaveValue(example);
      await settled(page);
      await page.click('#play');
      await page.waitForTimeout(300);
      await page.click('#play');
      await expectNoSideScroll(page, `${example} at ${width}`);
    }
    await page.screenshot({ path: `${shots}/layout-${width}x${height}-${EXAMPLES.at(-1)}.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
}

test('on a phone the results come first and the editors fold', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  const results = await page.locator('#results').boundingBox();
  const editors = await page.locator('.editors').boundingBox();
  expect(results.y).toBeLessThan(editors.y);
  await expect(page.locator('#play')).toBeInViewport();
  await expect(page.locator('#summary')).toBeAttached();
  const folded = page.locator('.fold > details');
  await expect(folded).toHaveCount(3);
  for (const details of await folded.all()) await expect(details).not.toHaveAttribute('open');
  await page.click('#stack-title');
  await expect(page.locator('.stack .pipeline')).toBeVisible();
  await expectNoSideScroll(page, 'stack unfolded at 390');
  await page.screenshot({ path: `${shots}/layout-390-stack-open.png`, fullPage: true });
  await page.locator('.compare').screenshot({ path: `${shots}/layout-compare-390.png` });
  await page.locator('.stack').screenshot({ path: `${shots}/layout-stack-390.png` });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.click('.file-menu summary');
  await expect(page.locator('#export-png')).toBeInViewport();
  await expectNoSideScroll(page, 'file menu open at 390');
  await page.screenshot({ path: `${shots}/layout-390-file-menu.png` });
  await page.click('.file-menu summary');
  await page.click('#open-gallery');
  await expect(page.locator('.gallery-card').first()).toBeVisible();
  await expectNoSideScroll(page, 'gallery at 390');
  await page.screenshot({ path: `${shots}/layout-390-gallery.png` });
  await page.close();
});

test('compare deltas: arrows follow the sign, colours the goal, rates in pp', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 768, height: 1024 } });
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  const rows = await page.locator('#compare tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ label: tr.cells[0].textContent, with: tr.cells[1].textContent, delta: tr.cells[3].textContent, cls: tr.cells[3].className })));
  expect(rows.length).toBeGreaterThan(5);
  for (const row of rows) {
    if (row.delta.startsWith('+')) expect(row.delta, row.label).toContain('▲');
    else if (row.delta.startsWith('−')) expect(row.delta, row.label).toContain('▼');
    else expect(row.delta, row.label).toContain('=');
    expect(row.cls).toMatch(/better|worse|same/);
  }
  const success = rows.find((r) => r.label === 'success rate');
  expect(success.delta).toMatch(/^[+−±][\d.]+ pp/);
  const errors = rows.find((r) => r.label.startsWith('errors'));
  expect(errors.with).toMatch(/^\d+$/);
  expect(errors.delta).toMatch(/^[+−±]\d+ /);
  await expectNoSideScroll(page, 'compare at 768');
  await page.locator('.compare').screenshot({ path: `${shots}/layout-compare-768.png` });
  await page.close();
});

test('charts have round ticks, a y scale above the plot and human titles', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  const first = page.locator('figure.chart').first();
  expect(await first.locator('.x-ticks .tick').count()).toBeGreaterThanOrEqual(4);
  const label = await first.locator('.y-label').boundingBox();
  const plot = await first.locator('svg').boundingBox();
  expect(label.y + label.height).toBeLessThanOrEqual(plot.y + 0.5);
  await expect(page.locator('figure.chart figcaption', { hasText: 'circuit_breaker' })).toHaveCount(0);
  await expect(page.locator('figure.chart figcaption', { hasText: 'Circuit breaker' }).first()).toBeVisible();
  await page.locator('.charts').screenshot({ path: `${shots}/layout-charts-1440.png` });
  await page.close();
});

test('fault bands are big enough to grab and stay inside the run', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  const band = page.locator('.band rect').first();
  const box = await band.boundingBox();
  expect(box.height).toBeGreaterThanOrEqual(24);
  const svg = await page.locator('svg.bands').boundingBox();
  await page.mouse.move(box.x + 5, box.y + box.height / 2);
  await page.mouse.down();
  for (let dx = 100; dx <= 1200; dx += 100) await page.mouse.move(box.x + 5 + dx, box.y + box.height / 2);
  await page.mouse.up();
  const moved = await band.boundingBox();
  expect(moved.x + moved.width).toBeLessThanOrEqual(svg.x + svg.width + 1);
  expect(moved.width).toBeGreaterThan(2);
  await band.click();
  const to = await page.locator('.fault-form input[id$="-to"]').inputValue();
  expect(parseFloat(to)).toBeLessThanOrEqual(60);
  await page.locator('.service').screenshot({ path: `${shots}/layout-bands-1440.png` });
  await page.close();
});

test('typed numbers keep their form, the tab and the picker name the scenario', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  await expect(page).toHaveTitle(/^Circuit breaker during an outage · Resilience Playground$/);
  await expect(page.locator('#example option[value="breaker-outage"]')).toHaveText('Circuit breaker during an outage');
  const rate = page.locator('input[id^="f-endpoints-0-load-"][id$="rps"]').first();
  await rate.fill('100');
  await rate.press('Enter');
  await settled(page);
  await expect(rate).toHaveValue('100');
  await page.close();
});

test('the breaker card keeps its size while the play head moves', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  const card = page.locator('.layer[data-kind="circuit_breaker"]');
  const sizes = new Set();
  for (const ms of ['0', '15000', '21000', '25000', '31000', '45000', '59000']) {
    await page.locator('#scrub').fill(ms);
    const box = await card.boundingBox();
    sizes.add(`${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  expect([...sizes]).toHaveLength(1);
  await page.close();
});

/** Contrast of every text colour against its effective background, in one theme. */
async function lowContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const n = c.match(/[\d.]+/g).map(Number);
      return c.startsWith('color(') ? [n[0] * 255, n[1] * 255, n[2] * 255, n[3] ?? 1] : [n[0], n[1], n[2], n[3] ?? 1];
    };
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (e) => {
      for (; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0.5) return c;
      }
      return [255, 255, 255];
    };
    const selectors = ['#run-meta', '.hint', '.tagline', '.legend', '.legend-line', 'td.better', 'td.worse', '.x-ticks .tick',
      '.live .counter', '.badge', '.field label', '.unit', '.readout', '.y-label', '.replay label', '.pipe-end'];
    const bad = [];
    for (const selector of selectors) {
      const e = document.querySelector(selector);
      if (!e) continue;
      const [a, b] = [lum(parse(getComputedStyle(e).color)), lum(background(e))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) bad.push(`${selector} ${ratio.toFixed(2)}`);
    }
    return bad;
  });
}

for (const scheme of ['light', 'dark']) {
  test(`every text colour reads at AA in the ${scheme} theme`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto('./index.html#example/breaker-outage');
    await settled(page);
    expect(await lowContrast(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${shots}/layout-390x844-${scheme}.png` });
    await context.close();
  });
}

test('the exported PNG has a title, axis and legend, and still carries its link', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  await page.click('.file-menu summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const path = `${shots}/layout-export-timeline.png`;
  await download.saveAs(path);
  const bytes = fs.readFileSync(path);
  expect(bytes.readUInt32BE(16)).toBe(1200);
  expect(bytes.includes(Buffer.from('tEXtresilience-playground'))).toBe(true);
});
