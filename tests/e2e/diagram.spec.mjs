// The live stack diagram, watched as a reader would: before an outage the breaker's gate is
// closed, during it the gate is open and calls bounce off it. On a phone and on a desktop (sharp
// at their pixel ratios), with reduced motion (it steps with the play head, no tweening), and as
// an embed panel. Screenshots go to artifacts/ (look at them).
import { test, expect } from '@playwright/test';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

const watchErrors = (page) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  return problems;
};

const frames = (page) => page.evaluate(() => window.rpDiagramFrames || 0);

// The phone and the tablet open the full app as a reader of a link would, and so does the
// desktop; the embed panel is tested below. All seek with the replay bar's scrubber.
const screens = [
  { name: 'phone', width: 390, height: 844, scale: 3, url: './index.html#example/breaker-outage' },
  { name: 'tablet', width: 768, height: 1024, scale: 2, url: './index.html#example/breaker-outage' },
  { name: 'desktop', width: 1440, height: 900, scale: 2, url: './index.html#example/breaker-outage' },
];

for (const screen of screens) {
  test(`the breaker gate is closed before the outage and open during it (${screen.width}x${screen.height})`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height }, deviceScaleFactor: screen.scale });
    const page = await context.newPage();
    const problems = watchErrors(page);
    await page.goto(screen.url);
    const diagram = page.locator('#stack-diagram');
    const panel = page.locator('section.diagram');
    await expect(diagram).toBeVisible({ timeout: 20_000 });

    await page.locator('#scrub').fill('12000');
    await expect(diagram).toHaveAttribute('data-breaker', 'closed');
    await expect(diagram).toHaveAttribute('aria-label', /breaker closed/);
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: `${shots}/diagram-${screen.name}-before.png` });

    await page.locator('#scrub').fill('30000');
    await expect(diagram).toHaveAttribute('data-breaker', 'open');
    await expect(diagram).toHaveAttribute('aria-label', /breaker open, .*outage/);
    await panel.screenshot({ path: `${shots}/diagram-${screen.name}-outage.png` });

    // Sharp: the backing store has one pixel per device pixel.
    const [backing, css, ratio] = await diagram.evaluate((c) => [c.width, c.clientWidth, devicePixelRatio]);
    expect(backing).toBe(Math.round(css * ratio));
    // The diagram fits the screen (the rest of the page's layout is tested elsewhere).
    const box = await panel.boundingBox();
    expect(box.x + box.width).toBeLessThanOrEqual(screen.width);
    expect(await panel.evaluate((p) => p.scrollWidth <= p.clientWidth + 1)).toBe(true);

    // Playing animates (the loop draws), pausing stops the loop.
    await page.locator('#scrub').fill('19000');
    const before = await frames(page);
    await page.locator('#play').click();
    await expect.poll(async () => (await frames(page)) - before, { timeout: 5_000 }).toBeGreaterThan(20);
    await page.waitForTimeout(700);
    await panel.screenshot({ path: `${shots}/diagram-${screen.name}-playing.png` });
    await page.locator('#play').click();
    await page.waitForTimeout(200);
    const paused = await frames(page);
    await page.waitForTimeout(400);
    expect(await frames(page)).toBe(paused);
    expect(problems).toEqual([]);
    await context.close();
  });
}

test('with reduced motion the diagram steps with the play head instead of animating', async ({ page }) => {
  const problems = watchErrors(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./index.html#example/breaker-outage');
  await expect(page.locator('#run-meta')).toContainText('digest', { timeout: 20_000 });
  const diagram = page.locator('#stack-diagram');
  await page.locator('#scrub').fill('30000');
  await expect(diagram).toHaveAttribute('data-breaker', 'open');
  await page.locator('#scrub').fill('19000');
  // Count play-head changes and diagram draws over one second of playback.
  const counts = await page.evaluate(async () => {
    const clock = document.querySelector('#clock');
    let changes = 0;
    const observer = new MutationObserver(() => changes++);
    observer.observe(clock, { attributes: true, childList: true, subtree: true, characterData: true });
    const start = window.rpDiagramFrames || 0;
    document.querySelector('#play').click();
    await new Promise((r) => setTimeout(r, 1000));
    document.querySelector('#play').click();
    observer.disconnect();
    return { draws: (window.rpDiagramFrames || 0) - start, changes };
  });
  expect(counts.draws).toBeGreaterThan(0);
  expect(counts.draws).toBeLessThanOrEqual(counts.changes + 2);
  await page.locator('section.diagram').screenshot({ path: `${shots}/diagram-reduced-motion.png` });
  expect(problems).toEqual([]);
});

test('embeds can choose the diagram panel, in the dark theme', async ({ page }) => {
  const problems = watchErrors(page);
  await page.setViewportSize({ width: 720, height: 520 });
  await page.goto('./index.html#embed&panels=diagram&theme=dark&t=30&example=breaker-outage');
  const diagram = page.locator('#stack-diagram');
  await expect(diagram).toBeVisible({ timeout: 20_000 });
  await expect(diagram).toHaveAttribute('data-breaker', 'open');
  await expect(page.locator('#timeline')).toHaveCount(0);
  await page.screenshot({ path: `${shots}/diagram-embed-dark.png` });
  expect(problems).toEqual([]);
});

test('the six-layer default stack reads on a phone (top to bottom) and a desktop (left to right)', async ({ browser }) => {
  for (const screen of screens) {
    const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const problems = watchErrors(page);
    await page.goto(screen.url.replace('breaker-outage', 'all-six'));
    const diagram = page.locator('#stack-diagram');
    await expect(diagram).toBeVisible({ timeout: 20_000 });
    const vertical = await diagram.evaluate((c) => c.clientHeight > c.clientWidth);
    expect(vertical).toBe(screen.name === 'phone');
    for (const [label, ms] of [['outage', '24000'], ['brownout', '44000']]) {
      await page.locator('#scrub').fill(ms);
      await expect(diagram).toHaveAttribute('aria-label', new RegExp(` at ${Number(ms) / 1000}\\.0 s: `));
      await page.locator('section.diagram').screenshot({ path: `${shots}/diagram-${screen.name}-all-six-${label}.png` });
    }
    await expect(diagram).toHaveAttribute('aria-label', /retry \d+ waiting.*bulkhead \d+\/50 busy/);
    expect(problems).toEqual([]);
    await context.close();
  }
});
