// The playground, used the way a new user would: build a stack by clicking, script an outage,
// watch the breaker open, replay, inspect a request, compare, enter bad values, and do the main
// flow with the keyboard alone. Screenshots of the main views land in ./artifacts.
import { test, expect } from '@playwright/test';
import { settled } from './helpers.mjs';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  // blob: is the page's own worker script (see src/worker.rs), never the network.
  page.on('request', (r) => !/^(http:\/\/127\.0\.0\.1|data:|blob:)/.test(r.url()) && problems.push(`network: ${r.url()}`));
  return problems;
}

test('build a stack from scratch and see the breaker open during an outage', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('./index.html#example/all-six');
  await settled(page);
  await page.selectOption('#example', 'timeout-brownout');
  await expect(page.locator('#scenario-title')).toHaveText('Timeout during a brownout');
  await settled(page);

  // Start from an empty stack.
  await page.getByRole('button', { name: 'Remove Timeout' }).click();
  await expect(page.locator('.empty-stack')).toBeVisible();

  // Add a breaker, a retry and a timeout from the palette.
  await page.click('#add-circuit_breaker');
  await page.click('#add-retry');
  await page.click('#add-timeout');
  await expect(page.locator('.pipeline .layer')).toHaveCount(3);
  await expect(page.locator('.pipeline .layer').nth(0)).toHaveAttribute('data-kind', 'circuit_breaker');

  // Reorder: move the timeout above the retry (timeout outside retry bounds the whole call),
  // then back below it (per-attempt timeout).
  await page.getByRole('button', { name: 'Move Timeout up' }).click();
  await expect(page.locator('.pipeline .layer').nth(1)).toHaveAttribute('data-kind', 'timeout');
  await page.getByRole('button', { name: 'Move Timeout down' }).click();
  await expect(page.locator('.pipeline .layer').nth(2)).toHaveAttribute('data-kind', 'timeout');

  // Edit a setting of the breaker.
  await page.locator('.pipeline .layer').nth(0).locator('.layer-title').click();
  const minCalls = page.locator('#f-endpoints-0-stack-0-circuit_breaker-minimum_calls');
  await minCalls.fill('10');
  await minCalls.press('Enter');

  // Retry throttled calls too.
  await page.locator('.pipeline .layer').nth(1).locator('.layer-title').click();
  await page.locator('#f-endpoints-0-stack-1-retry-retry_on-429').check();
  await expect(page.locator('#f-endpoints-0-stack-1-retry-retry_on-429')).toBeChecked();

  // Script an outage from 20 s to 40 s.
  await page.click('#add-fault-outage');
  await page.locator('#f-services-0-faults-1-outage-from').fill('20s');
  await page.locator('#f-services-0-faults-1-outage-from').press('Enter');
  await page.locator('#f-services-0-faults-1-outage-to').fill('40s');
  await page.locator('#f-services-0-faults-1-outage-to').press('Enter');
  await settled(page);

  // The breaker opened: rejections in the summary, an open band in its state strip, and the
  // counters at a play head inside the outage.
  await expect(page.locator('#summary tr[data-outcome="rejected-by-breaker"]')).toBeVisible();
  await expect(page.locator('figure.chart', { hasText: 'Breaker state' }).locator('rect.open').first()).toBeAttached();
  await page.locator('#scrub').fill('30000');
  await expect(page.locator('#clock')).toHaveText('30.000 s');
  const breaker = page.locator('.pipeline .layer').nth(0);
  await expect(breaker.locator('.badge')).toHaveText(/open/);
  await expect(breaker.locator('.live')).toContainText('rejected');
  await page.screenshot({ path: `${shots}/playground-built-stack.png`, fullPage: true });
  expect(problems).toEqual([]);
});

test('replay: play, pause, step, next state change, scrub and jump to a fault', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('./index.html#example/all-six');
  await settled(page);
  // The play head starts just before the first fault (the outage at 20 s); Home rewinds.
  await expect(page.locator('#clock')).toHaveText('18.000 s');
  await page.locator('#results').focus();
  await page.keyboard.press('Home');
  await expect(page.locator('#clock')).toHaveText('0.000 s');
  await page.click('#step-event');
  const afterStep = Number(await page.locator('#clock').getAttribute('data-us'));
  expect(afterStep).toBeGreaterThan(0);
  await page.click('#step-event');
  expect(Number(await page.locator('#clock').getAttribute('data-us'))).toBeGreaterThan(afterStep);
  await page.click('#step-state');
  const stateChange = parseFloat(await page.locator('#clock').textContent());
  expect(stateChange).toBeGreaterThan(19);
  expect(stateChange).toBeLessThan(31);
  await page.click('#play');
  await expect(page.locator('#play')).toHaveText(/Pause/);
  await page.waitForTimeout(400);
  await page.click('#play');
  await expect(page.locator('#play')).toHaveText(/Play/);
  expect(parseFloat(await page.locator('#clock').textContent())).toBeGreaterThan(stateChange);
  await page.locator('#scrub').fill('45000');
  await expect(page.locator('#clock')).toHaveText('45.000 s');
  await page.getByRole('button', { name: /outage 20s/ }).click();
  await expect(page.locator('#clock')).toHaveText('20.000 s');
  // Drag the timeline to pan: only the timeline follows the drag; the charts' axis catches up on
  // release.
  const ticks = page.locator('.chart .x-ticks').first();
  const before = await ticks.textContent();
  const box = await page.locator('#timeline').boundingBox();
  await page.mouse.move(box.x + box.width * 0.8, box.y + 40);
  await page.mouse.down();
  for (let dx = 40; dx <= 400; dx += 40) await page.mouse.move(box.x + box.width * 0.8 - dx, box.y + 40);
  await expect(ticks).toHaveText(before);
  await page.mouse.up();
  await expect(ticks).not.toHaveText(before);
  await page.screenshot({ path: `${shots}/playground-replay.png`, fullPage: true });
  expect(problems).toEqual([]);
});

test('inspect a request and compare against no patterns', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('./index.html#example/all-six');
  await settled(page);
  const canvas = page.locator('#timeline');
  const box = await canvas.boundingBox();
  for (let y = 3; y < 270 && !(await page.locator('#journey').isVisible()); y += 7) {
    await canvas.click({ position: { x: box.width * 0.3, y } });
  }
  const journey = page.locator('#journey');
  await expect(journey).toBeVisible();
  await expect(journey.locator('li').first()).toContainText('arrived at endpoint');
  await expect(journey.locator('li').last()).toContainText('completed:');
  await page.screenshot({ path: `${shots}/playground-inspector.png`, fullPage: true });
  const compare = page.locator('#compare');
  await expect(compare).toContainText('success rate');
  await expect(compare.locator('td.better').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(journey).toBeHidden();
  // Compare against the stack without its breaker instead of no patterns at all.
  await page.selectOption('#compare-with', { label: 'this stack without layer 3 (circuit breaker)' });
  await expect(compare.locator('thead')).toContainText('without layer 3');
  await expect(compare).toContainText('success rate');
  expect(problems).toEqual([]);
});

test('bad values get a message next to the field and keep the last result', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('./index.html#example/all-six');
  await settled(page);
  const digest = (await page.locator('#run-meta').textContent()).split('digest ')[1];
  const rate = page.locator('#f-endpoints-0-load-poisson-rps');
  for (const [bad, words] of [['-5', 'above 0'], ['abc', 'invalid type'], ['1e12', 'at most'], ['', 'invalid type']]) {
    await rate.fill(bad);
    await rate.press('Enter');
    await expect(page.locator('#f-endpoints-0-load-poisson-rps-error')).toContainText(words);
    await expect(page.locator('.stale-note')).toBeVisible();
    await expect(page.locator('#summary')).toBeVisible();
  }
  const duration = page.locator('#f-duration');
  await duration.fill('10 parsecs');
  await duration.press('Enter');
  await expect(page.locator('#f-duration-error')).toContainText('unknown duration unit');
  await page.screenshot({ path: `${shots}/playground-bad-input.png`, fullPage: true });
  await duration.fill('60s');
  await duration.press('Enter');
  await rate.fill('200');
  await rate.press('Enter');
  await expect(page.locator('#run-meta')).toContainText(`digest ${digest}`);
  expect(problems).toEqual([]);
});

test('keyboard only: pick an example, add a layer, edit it, play and open help', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('./index.html#example/all-six');
  await settled(page);
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab');
  await expect(page.locator('#example')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#scenario-title')).toHaveText('Caching through an outage');
  await settled(page);
  await page.locator('#add-retry').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.pipeline .layer')).toHaveCount(2);
  const attempts = page.locator('#f-endpoints-0-stack-1-retry-max_attempts');
  await expect(attempts).toBeVisible();
  await attempts.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await settled(page);
  // Alt+Up moves the focused layer.
  await page.locator('.pipeline .layer').nth(1).locator('.layer-title').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.locator('.pipeline .layer').nth(0)).toHaveAttribute('data-kind', 'retry');
  // Space plays when focus is not on a control; ? opens the help; Escape closes it.
  await page.locator('#results').focus();
  await page.keyboard.press(' ');
  await expect(page.locator('#play')).toHaveText(/Pause/);
  await page.keyboard.press(' ');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.screenshot({ path: `${shots}/playground-help.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  expect(problems).toEqual([]);
});

test('dark mode and reduced motion are honoured', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', reducedMotion: 'reduce', viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto('./index.html#example/all-six');
  await settled(page);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(255, 255, 255)');
  await page.screenshot({ path: `${shots}/playground-dark-1280x720.png` });
  await context.close();
});

test('a fallback can call a secondary service', async ({ page }) => {
  await page.goto('./index.html#example/all-six');
  await settled(page);
  await page.selectOption('#example', 'fallback-outage');
  await settled(page);
  const before = await page.locator('#summary').textContent();
  await page.locator('.pipeline .layer').nth(0).locator('.layer-title').click();
  await page.selectOption('#f-endpoints-0-stack-0-fallback-action', { label: 'call service popular-items' });
  await settled(page);
  await expect(page.locator('#summary tr[data-outcome="fallback"]')).toBeVisible();
  const after = await page.locator('#summary').textContent();
  expect(after).not.toBe(before); // the secondary calls count as downstream attempts
  await expect(page.locator('#summary')).toContainText('1.3');
});
