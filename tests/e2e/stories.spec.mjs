// The gallery stories of the five patterns added in Step 7 (rate limiter, retry budget,
// hedging, adaptive limit, adaptive throttle), read the way a reader reads them on a phone and
// on a desktop: pick the example, read its story, and find on screen the numbers the story
// claims (the same claims crates/engine/tests/<pattern>.rs asserts on the engine's report).
// Screenshots land in ./artifacts/stories-<example>-<size>.png.
import { test, expect } from '@playwright/test';
import { settled } from './helpers.mjs';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1440, height: 900 },
];

/** A number as the app prints it ("7,282", "56.2 %", "0.56×"). */
const number = (text) => parseFloat(text.replace(/[^0-9.\-]/g, ''));

/** A row of the run summary, by its measure ("latency p99") or its outcome. */
async function summary(page, measure) {
  const row = page.locator('#summary tr', { has: page.locator('th', { hasText: new RegExp(`^.?${measure}$`) }) });
  return number(await row.locator('td').first().textContent());
}

/** Requests that ended with `outcome` (0 when the summary has no row for it). */
async function outcomeCount(page, outcome) {
  const row = page.locator(`#summary tr[data-outcome="${outcome}"]`);
  return (await row.count()) ? number(await row.locator('td').first().textContent()) : 0;
}

/** A row of the comparison table: [with the stack, against]. */
async function compared(page, measure) {
  const row = page.locator('#compare tbody tr', { has: page.locator('th', { hasText: measure }) });
  const cells = await row.locator('td').allTextContents();
  return [number(cells[0]), number(cells[1])];
}

/** Compares against the stack without layer `layer` (1-based) and waits for that run. */
async function without(page, layer, kind) {
  await page.selectOption('#compare-with', { label: `this stack without layer ${layer} (${kind})` });
  await expect(page.locator('#compare thead')).toContainText(`without layer ${layer}`);
}

/** A counter of the layer card at `index` (0-based), as the card prints it ("refused 2121"). */
async function counter(page, index, name) {
  // textContent: on a phone the stack may be folded away, and what it says still counts.
  const lines = await page.locator('.pipeline .layer').nth(index).locator('.live .counter').allTextContents();
  const line = lines.find((l) => l.startsWith(`${name} `));
  return line === undefined ? NaN : number(line.slice(name.length));
}

/** Moves the play head to `ms`. */
async function scrub(page, ms) {
  await page.locator('#scrub').fill(String(ms));
  await expect(page.locator('#clock')).toHaveAttribute('data-us', String(ms * 1000));
}

const STORIES = [
  {
    name: 'rate-limiter-spike',
    diagram: [30_000, /rate limiter \d+ refused/],
    marks: ['timeout', 'rate limited'],
    title: 'Rate limiter during a traffic spike',
    story: 'A token-bucket rate limiter (Polly, .NET) lets 90 a second through',
    async check(page) {
      // "refuses the rest at once, so the calls it admits stay fast".
      expect(await outcomeCount(page, 'rejected-by-rate-limiter')).toBeGreaterThan(2_000);
      expect(await outcomeCount(page, 'timed-out')).toBe(0);
      expect(await summary(page, 'latency p99')).toBeLessThan(500);
      await scrub(page, 30_000);
      expect(await counter(page, 0, 'refused')).toBeGreaterThan(1_000);
      // "Switch the limiter off to watch ... every caller hit the 1 s timeout."
      await without(page, 1, 'rate limiter');
      const requests = await summary(page, 'requests');
      const timedOut = async () => (await compared(page, 'errors, timeouts and rejections'))[1];
      await expect.poll(timedOut).toBeGreaterThan(requests / 2);
      const [success, open] = await compared(page, 'success rate');
      expect(success).toBeGreaterThan(2 * open);
    },
  },
  {
    name: 'retry-budget-storm',
    diagram: [30_000, /retry \d+ waiting, \d+ retries/],
    marks: ['timeout'],
    title: 'Retry budget: the storm that never starts',
    story: "This time the retry draws on tower's TpsBudget",
    async check(page) {
      // The budget refuses the spike's retries: the storm never starts.
      expect(await summary(page, 'amplification')).toBeLessThan(1.6);
      expect(await summary(page, 'success rate')).toBeGreaterThan(75);
      await scrub(page, 60_000);
      expect(await counter(page, 0, 'refused by budget')).toBeGreaterThan(1_000);
      // "set it to none to see the storm."
      const title = page.locator('.pipeline .layer').nth(0).locator('.layer-title');
      // On a phone the stack is folded under the results: unfold it first.
      if (!(await title.isVisible())) await page.click('#stack-title');
      await title.click();
      await page.selectOption('#f-endpoints-0-stack-0-retry-budget', 'none');
      await settled(page);
      await expect.poll(() => summary(page, 'amplification')).toBeGreaterThan(2);
      expect(await summary(page, 'success rate')).toBeLessThan(50);
    },
  },
  {
    name: 'hedging-tail',
    diagram: [30_000, /hedging \d+ hedges sent, \d+ hedge won/],
    marks: [],
    title: 'Hedging cuts the tail',
    story: 'The p99 falls from about 600 ms to about 220 ms for about 8 % more calls to the service.',
    async check(page) {
      const requests = await summary(page, 'requests');
      expect(await outcomeCount(page, 'success')).toBe(requests);
      await scrub(page, 60_000);
      const amplification = await summary(page, 'amplification');
      expect(amplification).toBeGreaterThan(1.05);
      expect(amplification).toBeLessThan(1.12);
      const hedges = await counter(page, 0, 'hedges sent');
      expect(hedges).toBeGreaterThan(100);
      // Each hedged call ends with one winner (but the few still running at the end).
      const winners = (await counter(page, 0, 'hedge won')) + (await counter(page, 0, 'first won'));
      expect(winners).toBeLessThanOrEqual(hedges);
      expect(winners).toBeGreaterThanOrEqual(hedges - 3);
      await without(page, 1, 'hedging');
      await expect.poll(async () => (await compared(page, 'latency p99'))[1]).toBeGreaterThan(520);
      const [p99, plain] = await compared(page, 'latency p99');
      expect(p99).toBeGreaterThan(180);
      expect(p99).toBeLessThan(260);
      expect(plain).toBeLessThan(700);
      await expect(page.locator('#verdict')).toContainText(/cuts the p99 latency from \d+ ms to \d+ ms/);
      // Hedges are drawn beside the attempt they hedge, and the legend says so.
      await expect(page.locator('.timeline .legend-line')).toContainText('a hedge runs beside the attempt it hedges');
      await expect(page.locator('.timeline .legend-line')).not.toContainText('ticks mark');
      const canvas = page.locator('#timeline');
      await canvas.scrollIntoViewIfNeeded();
      await canvas.hover({ position: { x: 200, y: 100 } });
      for (let i = 0; i < 14; i++) await page.mouse.wheel(0, -100);
      await page.waitForTimeout(200);
      await canvas.screenshot({ path: `${shots}/stories-hedging-timeline-${page.viewportSize().width}.png` });
    },
  },
  {
    name: 'adaptive-limit-slowdown',
    diagram: [30_000, /adaptive limit ≤ \d+ calls, \d+ refused/],
    marks: ['timeout', 'over the adaptive limit'],
    title: 'Adaptive limit finds the capacity after a slowdown',
    story: 'An AIMD adaptive limit (Netflix concurrency-limits) counts a call slower than 400 ms as a drop',
    async check(page) {
      expect(await outcomeCount(page, 'timed-out')).toBe(0);
      expect(await outcomeCount(page, 'rejected-by-bulkhead')).toBeGreaterThan(2_000);
      expect(await summary(page, 'latency p99')).toBeLessThan(700);
      await scrub(page, 40_000);
      expect(await counter(page, 0, 'limit lowered')).toBeGreaterThan(10);
      // The limit is drawn over time beside the calls in flight.
      const chart = page.locator('figure.chart', { hasText: 'Occupancy: Adaptive limit' });
      await expect(chart.locator('.legend .key')).toHaveText(['in flight (max)', 'adaptive limit']);
      await expect(chart.locator('polyline')).toHaveCount(2);
      await chart.scrollIntoViewIfNeeded();
      await chart.screenshot({ path: `${shots}/stories-adaptive-limit-chart-${page.viewportSize().width}.png` });
      expect(await counter(page, 0, 'refused')).toBeGreaterThan(1_000);
      // "Switch it off to watch the queue grow and every caller wait out the 1 s timeout."
      await without(page, 1, 'adaptive limit');
      await expect.poll(async () => (await compared(page, 'errors, timeouts and rejections'))[1]).toBeGreaterThan(5_000);
      const [, p50] = await compared(page, 'latency p50');
      expect(p50).toBeGreaterThanOrEqual(990);
      const [success, open] = await compared(page, 'success rate');
      expect(success).toBeGreaterThan(1.5 * open);
    },
  },
  {
    name: 'throttle-outage',
    diagram: [30_000, /adaptive throttle \d+ refused, \d+ not accepted/],
    marks: ['throttled locally'],
    title: 'Client-side throttling during an outage',
    story: 'A client-side adaptive throttle (Google SRE book)',
    async check(page) {
      expect(await outcomeCount(page, 'rejected-by-rate-limiter')).toBeGreaterThan(4_000);
      // Nothing is refused before the outage but a few calls of the cold start.
      await scrub(page, 19_000);
      expect(await counter(page, 1, 'refused')).toBeLessThan(10);
      await scrub(page, 60_000);
      expect(await counter(page, 1, 'refused')).toBeGreaterThan(4_000);
      // "the service is spared the retry storm".
      await without(page, 2, 'throttle');
      await expect.poll(async () => (await compared(page, 'amplification'))[1]).toBeGreaterThan(1.5);
      const [amplification] = await compared(page, 'amplification');
      expect(amplification).toBeLessThan(0.8);
    },
  },
];

for (const size of SIZES) {
  for (const story of STORIES) {
    test(`${story.name} on a ${size.name}: the story and its numbers`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      await page.goto('./index.html#example/all-six');
      await settled(page);
      await page.selectOption('#example', story.name);
      await expect(page.locator('#scenario-title')).toHaveText(story.title);
      await settled(page);
      await expect(page.locator('#scenario-description')).toContainText(story.story);
      await expect(page.locator('#scenario-description')).toBeVisible();
      await expect(page.locator('#tips li')).toHaveCount(3);
      await page.screenshot({ path: `${shots}/stories-${story.name}-${size.name}.png`, fullPage: true });
      // The timeline's legend names the marks of the layers in the stack, and only those.
      await expect(page.locator('.timeline .legend-line .mk')).toHaveText(story.marks);
      // Each layer is a station of the live diagram, which reads it out at the play head.
      const [ms, words] = story.diagram;
      await scrub(page, ms);
      await expect(page.locator('#stack-diagram')).toHaveAttribute('aria-label', words);
      const panel = page.locator('section.diagram');
      await panel.scrollIntoViewIfNeeded();
      await panel.screenshot({ path: `${shots}/stories-${story.name}-${size.name}-diagram.png` });
      await story.check(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(problems).toEqual([]);
      await context.close();
    });
  }
}
