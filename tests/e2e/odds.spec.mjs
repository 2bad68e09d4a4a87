// Step 9 as a new user meets it: run a 100-seed batch and read the odds, open a seed's run,
// sweep the retry count against the outage length and open a red cell's run, search a tipping
// point; closing the dialog mid-run loses nothing, cancel stops the pool, too much work is
// refused before any run, and the same batch gives the same digest on 1, 2 or 8 workers. The
// dialog is drawn by the worker chunk; the runs go to a pool of workers.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { seriousViolations, settled, shots, watchProblems } from './helpers.mjs';

async function openOdds(page) {
  await page.click('#open-odds');
  await expect(page.locator('#odds-run')).toBeVisible({ timeout: 30_000 });
}

const progress = (page) => page.locator('#odds-progress-text');

for (const size of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
  test(`a 100-seed batch gives the odds of each claim, and a seed opens its run (${size.width}px)`, async ({ page }) => {
    test.setTimeout(240_000);
    const problems = watchProblems(page);
    await page.setViewportSize(size);
    await page.goto('./index.html');
    await settled(page);
    await openOdds(page);
    await expect(page.locator('#odds-seeds')).toHaveValue('100');
    await page.click('#odds-run');
    await expect(progress(page)).toContainText(/of 100 runs|100 runs in/);
    // Closing the dialog mid-run loses nothing: the batch goes on in the worker.
    await page.keyboard.press('Escape');
    await expect(page.locator('#odds-title')).toHaveCount(0);
    await openOdds(page);
    await expect(progress(page)).toContainText('100 runs in', { timeout: 180_000 });
    const claim = page.locator('#odds-claim-0');
    await expect(claim).toContainText(/holds on \d+ % of seeds/);
    await expect(claim).toContainText('of 100)');
    await expect(page.locator('.strip-plot')).toHaveCount(5); // four figures and the outage's recovery
    await expect(page.locator('#odds-digest')).toHaveText(/^[0-9a-f]{16}$/);
    await page.locator('.odds-results').screenshot({ path: `${shots}odds-seeds-${size.width}.png` });
    const before = await page.locator('#run-meta').textContent();
    const dot = page.locator('.strip-plot .dot').nth(7);
    const seed = await dot.getAttribute('data-arg');
    await dot.click();
    await expect(page.locator('#odds-title')).toHaveCount(0);
    await expect(page.locator('.banner')).toContainText(`Opened the run on seed ${seed}`);
    await expect(page.locator('#run-meta')).not.toHaveText(before);
    await settled(page);
    expect(problems).toEqual([]);
  });
}

test('sweep the retry count against the outage length, click a red cell, see that run', async ({ page }) => {
  test.setTimeout(240_000);
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('./index.html#example/retries-every-layer');
  await settled(page);
  await openOdds(page);
  await page.click('#odds-tab-sweep');
  await page.selectOption('#odds-k0', '/endpoints/0/stack/0/retry/max_attempts');
  await page.fill('#odds-k0_from', '1');
  await page.fill('#odds-k0_to', '4');
  await page.fill('#odds-k0_steps', '4');
  await page.selectOption('#odds-k1', '/services/0/faults/0/outage/to');
  await page.fill('#odds-k1_from', '22s');
  await page.fill('#odds-k1_to', '50s');
  await page.fill('#odds-k1_steps', '5');
  await page.fill('#odds-cell_seeds', '1');
  await page.selectOption('#odds-chart', 'expect[0]');
  await page.click('#odds-run');
  await expect(progress(page)).toContainText('20 runs in', { timeout: 180_000 });
  await expect(page.locator('#odds-heatmap rect[data-act="cell"]')).toHaveCount(20);
  await page.locator('#odds-heatmap').screenshot({ path: `${shots}odds-sweep-heatmap.png` });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#odds-csv')]);
  expect(download.suggestedFilename()).toBe('sweep.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8').split('\n');
  expect(csv[0]).toMatch(/^cell,\/endpoints\/0\/stack\/0\/retry\/max_attempts,\/services\/0\/faults\/0\/outage\/to,runs/);
  expect(csv.filter((line) => line).length).toBe(21);
  // A red cell: the claim held on none of its seeds.
  const red = page.locator('#odds-heatmap rect[data-act="cell"]', { has: page.locator('title', { hasText: /: 0 %$/ }) }).first();
  await expect(red).toHaveCount(1);
  const title = await red.locator('title').textContent();
  await red.click();
  await expect(page.locator('#odds-title')).toHaveCount(0);
  await expect(page.locator('.banner')).toContainText('Opened the run with storefront › 1. Retry › Max attempts (in total) =');
  await settled(page);
  // That run fails the claim the cell charted.
  await expect(page.locator('.claims li.fail').first()).toBeVisible({ timeout: 30_000 });
  const attempts = title.match(/Max attempts \(in total\) = (\d+)/)[1];
  await expect(page.locator('.banner')).toContainText(`Max attempts (in total) = ${attempts}`);
  // The sweep travels with the scenario: reopened, the dialog shows it.
  await openOdds(page);
  await expect(page.locator('#odds-tab-sweep')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#odds-k1_steps')).toHaveValue('5');
  expect(problems).toEqual([]);
});

test('a tipping point, cancel, refusals, and the same digest on 1, 2 or 8 workers', async ({ page }) => {
  test.setTimeout(300_000);
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  const digests = [];
  for (const workers of [1, 2, 8]) {
    await page.goto(`./index.html?workers=${workers}#example/retries-every-layer`);
    await settled(page);
    await openOdds(page);
    await page.fill('#odds-seeds', '12');
    await page.click('#odds-run');
    await expect(progress(page)).toContainText(`12 runs in`, { timeout: 120_000 });
    await expect(progress(page)).toContainText(`on ${workers} worker${workers === 1 ? '' : 's'}`);
    digests.push(await page.locator('#odds-digest').textContent());
  }
  expect(new Set(digests).size).toBe(1);

  // Too much work is refused before any run, saying by how much.
  await page.click('#odds-tab-sweep');
  await page.fill('#odds-k0_steps', '40');
  await page.selectOption('#odds-k1', '/services/0/faults/0/outage/to');
  await page.fill('#odds-k1_steps', '40');
  await page.fill('#odds-cell_seeds', '1000');
  await page.click('#odds-run');
  await expect(page.locator('#odds-refused')).toContainText(/limit/);
  // Enter in a field runs, as in a form; a refusal about a field marks it and focuses it.
  const cellSeeds = page.locator('#odds-cell_seeds');
  await cellSeeds.fill('0');
  await cellSeeds.press('Enter');
  await expect(page.locator('#odds-refused')).toContainText('Seeds per cell: give a whole number from 1 to 1000, not "0"');
  await expect(cellSeeds).toHaveAttribute('aria-invalid', 'true');
  await expect(cellSeeds).toBeFocused();
  await expect(page.locator('.odds [aria-invalid]')).toHaveCount(1);

  // Cancel stops the pool: the count stops moving.
  await page.click('#odds-tab-seeds');
  await page.fill('#odds-seeds', '1000');
  // The status redraws with every push from the pool; Cancel stays the same button, so a click
  // is not lost to a redraw between pressing and releasing. Counted: a Cancel removed while
  // another is drawn in its place.
  await page.evaluate(() => {
    window.cancelReplaced = 0;
    new MutationObserver((records) => {
      const removed = records.flatMap((r) => [...r.removedNodes]);
      if (removed.some((n) => n.id === 'odds-cancel' || n.querySelector?.('#odds-cancel')) && document.querySelector('#odds-cancel')) {
        window.cancelReplaced += 1;
      }
    }).observe(document.getElementById('odds-status-area'), { childList: true, subtree: true });
  });
  await page.click('#odds-run');
  await expect(progress(page)).toContainText(/[1-9]\d* of 1000 runs/, { timeout: 60_000 });
  await page.click('#odds-cancel');
  await expect(progress(page)).toContainText('Cancelled after');
  expect(await page.evaluate(() => window.cancelReplaced)).toBe(0);
  await expect(page.locator('#odds-run')).toBeFocused(); // Cancel is gone: the focus stays in the dialog
  const stopped = await progress(page).textContent();
  await page.waitForTimeout(1500);
  await expect(progress(page)).toHaveText(stopped);
  await expect(page.locator('#odds-claim-0')).toContainText('holds on');

  // The tipping point: the fewest retries at which the claim still holds.
  await page.click('#odds-tab-tip');
  await page.selectOption('#odds-t_knob', '/services/0/faults/0/outage/to');
  await page.fill('#odds-t_from', '40s');
  await page.fill('#odds-t_to', '21s');
  await page.fill('#odds-t_seeds', '3');
  await page.selectOption('#odds-t_claim', { value: '0' });
  await page.click('#odds-run');
  await expect(page.locator('#odds-tip')).toContainText('holds at', { timeout: 120_000 });
  await expect(page.locator('.odds-probes tbody tr').first()).toBeVisible();
  // How far the seeds agree, and the probes as a chart: a point per probe.
  await expect(page.locator('#odds-tip-seeds')).toContainText('3 seeds');
  const probes = await page.locator('.odds-probes tbody tr').count();
  await expect(page.locator('.tip-chart circle[data-act="probe"]')).toHaveCount(probes);
  await page.locator('.dialog').screenshot({ path: `${shots}odds-tip.png` });
  expect(problems).toEqual([]);
});

test('a shared link with a sweep opens the dialog filled in, and runs it', async ({ page }) => {
  const problems = watchProblems(page);
  const doc = JSON.parse(fs.readFileSync(new URL('../../crates/engine/scenarios/breaker-outage.json', import.meta.url)));
  const knob = '/endpoints/0/stack/0/circuit_breaker/failure_rate';
  doc.sweep = { knobs: [{ path: knob, from: 20, to: 80, steps: 4 }], seeds: 2, chart: 'expect[0]' };
  const payload = Buffer.from(JSON.stringify({ scenario: doc, view: {} })).toString('base64url');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`./index.html#s=j1.${payload}`);
  await settled(page);
  await openOdds(page);
  await expect(page.locator('#odds-tab-sweep')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#odds-k0')).toHaveValue(knob);
  await expect(page.locator('#odds-k0_steps')).toHaveValue('4');
  await expect(page.locator('#odds-cell_seeds')).toHaveValue('2');
  await page.click('#odds-run');
  await expect(progress(page)).toContainText('8 runs in', { timeout: 60_000 });
  // One knob: a line chart, a point per value.
  await expect(page.locator('#odds-heatmap circle[data-act="cell"]')).toHaveCount(4);
  await page.locator('.dialog').screenshot({ path: `${shots}odds-link-390.png` });
  // A sweep started with other values is written into the scenario when the dialog closes.
  await page.fill('#odds-k0_steps', '3');
  await page.click('#odds-run');
  await expect(progress(page)).toContainText('6 runs in', { timeout: 60_000 });
  await page.keyboard.press('Escape');
  await expect(page.locator('#odds-title')).toHaveCount(0);
  await expect.poll(async () => {
    const draft = await page.evaluate(() => localStorage.getItem('resilience-playground/draft'));
    return draft && JSON.parse(draft).sweep?.knobs?.[0]?.steps;
  }).toBe(3);
  await settled(page);
  expect(problems).toEqual([]);
});

test('what is typed while the worker redraws the form for a picked knob stays', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('./index.html');
  await settled(page);
  await openOdds(page);
  await page.click('#odds-tab-sweep');
  await expect(page.locator('#odds-k0')).toBeVisible();
  // A pick, then typing before the worker's new form for it can arrive (in the same task).
  await page.evaluate(() => {
    const knob = document.querySelector('#odds-k0');
    knob.value = '/endpoints/0/stack/0/circuit_breaker/failure_rate';
    knob.dispatchEvent(new Event('input', { bubbles: true }));
    knob.dispatchEvent(new Event('change', { bubbles: true }));
    const from = document.querySelector('#odds-k0_from');
    from.value = '17';
    from.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForTimeout(1000);
  await expect(page.locator('#odds-k0')).toHaveValue('/endpoints/0/stack/0/circuit_breaker/failure_rate');
  await expect(page.locator('#odds-k0_from')).toHaveValue('17');
  expect(problems).toEqual([]);
});

test('a whole number typed over its selected value while the form is redrawn replaces it', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('./index.html');
  await settled(page);
  await openOdds(page);
  await page.click('#odds-tab-sweep');
  const steps = page.locator('#odds-k0_steps');
  await expect(steps).toHaveAttribute('inputmode', 'numeric'); // a phone's number pad
  await page.fill('#odds-k0_from', '2');
  // The reader selects the steps' value to type over it; just then a redraw of the form lands
  // (a reply carrying the value typed above, so its form differs from the one shown).
  await steps.focus();
  await page.keyboard.press('Control+A');
  const area = page.locator('#odds-form-area');
  const before = await area.getAttribute('data-key');
  await page.evaluate(() => document.querySelector('#odds-chart').dispatchEvent(new Event('change', { bubbles: true })));
  await expect(area).not.toHaveAttribute('data-key', before);
  await page.keyboard.type('3');
  await expect(steps).toHaveValue('3');
  await expect(page.locator('#odds-k0_from')).toHaveValue('2');
  expect(problems).toEqual([]);
});

/** Starts the batch from the keyboard: Enter on the focused Run button. */
async function runFromTheKeyboard(page) {
  await page.locator('#odds-run').focus();
  await page.keyboard.press('Enter');
}

test('on a phone in the dark, a seed or a cell picked from the lists or the chart\'s arrow keys is ringed in the charts and opened from the keyboard', async ({ page }) => {
  test.setTimeout(240_000);
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('./index.html#example/retries-every-layer');
  await settled(page);
  await openOdds(page);
  await page.fill('#odds-seeds', '10');
  await runFromTheKeyboard(page);
  await expect(progress(page)).toContainText('10 runs in', { timeout: 120_000 });
  // The list names each seed run; picking one rings its dot in every strip.
  const list = page.locator('#odds-open_seed');
  await expect(list.locator('option')).toHaveCount(10);
  const seed = await list.locator('option').nth(3).getAttribute('value');
  await list.focus();
  await list.selectOption(seed);
  const ringed = page.locator('.strip-plot .dot.picked');
  await expect(ringed).toHaveCount(await page.locator('.strip-plot').count());
  for (const dot of await ringed.all()) await expect(dot).toHaveAttribute('data-arg', seed);
  await page.locator('.strip').first().screenshot({ path: `${shots}odds-seed-picked-dark-390.png` });
  await page.locator('#odds-open-seed').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.banner')).toContainText(`Opened the run on seed ${seed}`);
  await settled(page);

  // A 2 × 3 sweep: the chart follows the dark theme, and the picked row and column outline the
  // cell the button opens.
  await openOdds(page);
  await page.click('#odds-tab-sweep');
  await page.selectOption('#odds-k0', '/endpoints/0/stack/0/retry/max_attempts');
  await page.fill('#odds-k0_from', '1');
  await page.fill('#odds-k0_to', '2');
  await page.fill('#odds-k0_steps', '2');
  await page.selectOption('#odds-k1', '/services/0/faults/0/outage/to');
  await page.fill('#odds-k1_from', '22s');
  await page.fill('#odds-k1_to', '50s');
  await page.fill('#odds-k1_steps', '3');
  await page.fill('#odds-cell_seeds', '1');
  await runFromTheKeyboard(page);
  await expect(progress(page)).toContainText('6 runs in', { timeout: 120_000 });
  const chart = page.locator('#odds-heatmap');
  await expect(chart.locator('.picked')).toHaveAttribute('data-arg', '0');
  expect(await chart.locator('svg > rect').first().evaluate((e) => getComputedStyle(e).fill)).toBe('rgb(17, 21, 28)');
  await expect(page.locator('#odds-digest')).toBeVisible();
  for (const [list, value, cell] of [['#odds-open_row', '1', '3'], ['#odds-open_column', '2', '5']]) {
    await page.locator(list).focus();
    await page.locator(list).selectOption({ value }); // by value: the labels are numbers too
    await expect(chart.locator('.picked')).toHaveAttribute('data-arg', cell);
  }
  await expect(chart.locator('.picked title')).toHaveText(/Max attempts \(in total\) = 2, .* To = 50s:/);
  // Outlined in the text's colour, not the background's.
  expect(await chart.locator('.picked').evaluate((e) => getComputedStyle(e).stroke)).toBe(await page.locator('.dialog').evaluate((e) => getComputedStyle(e).color));
  // A phone gets the narrow chart: it fits the screen, its text at a readable size.
  await expect(chart.locator('svg')).toHaveAttribute('width', '360');
  expect(await chart.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
  const textPx = await chart.locator('svg').evaluate((svg) => 11 * svg.getBoundingClientRect().width / 360);
  expect(textPx).toBeGreaterThan(9.5);
  // The chart's region takes the focus; there the arrow keys move the picked cell, its name
  // says which one, and Enter opens it.
  await chart.focus();
  await expect(chart).toBeFocused();
  for (const [key, cell] of [['ArrowLeft', '4'], ['ArrowUp', '1'], ['ArrowUp', '1'], ['ArrowDown', '4'], ['End', '5']]) {
    await page.keyboard.press(key);
    await expect(chart.locator('.picked')).toHaveAttribute('data-arg', cell);
    await expect(chart).toBeFocused();
  }
  await expect(chart).toHaveAttribute('aria-label', /picked: .*Max attempts \(in total\) = 2, .* To = 50s:/);
  await expect(page.locator('#odds-open_column')).toHaveValue('2');
  await page.locator('.dialog').screenshot({ path: `${shots}odds-sweep-picked-dark-390.png` });
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(page.locator('.banner')).toContainText('Max attempts (in total) = 2');
  await expect(page.locator('.banner')).toContainText('To = 50s');
  expect(problems).toEqual([]);
});

test('on a tablet, the wheel over the backdrop of the open dialog leaves the page behind it where it was', async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto('./index.html');
  await settled(page);
  await page.evaluate(() => window.scrollTo(0, 200));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(200);
  // Opened where the reader is (a pointer's click would first scroll the header's button into view).
  await page.evaluate(() => document.querySelector('#open-odds').click());
  await expect(page.locator('#odds-run')).toBeVisible({ timeout: 30_000 });
  const box = await page.locator('.dialog').boundingBox();
  expect(box.y + box.height).toBeLessThan(1000); // the backdrop shows under the dialog
  const before = await page.evaluate(() => window.scrollY);
  expect(before).toBe(200);
  await page.mouse.move(384, 1010);
  await page.mouse.wheel(0, 800);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.scrollY)).toBe(before);
  // Closed, the page scrolls again.
  await page.keyboard.press('Escape');
  await expect(page.locator('#odds-title')).toHaveCount(0);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflowY)).not.toBe('hidden');
  expect(await page.evaluate(() => window.scrollY)).toBe(before); // the reader's place is kept
  expect(problems).toEqual([]);
});
