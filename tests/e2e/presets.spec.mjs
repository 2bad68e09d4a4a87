// Library presets, used as a reader who works in one library would: switch a breaker to
// Polly, read what changed and where the values come from, see the run follow, then set the
// scenario's library and see a layer follow it. At a phone and a desktop size.
import { test, expect } from '@playwright/test';
import { settled } from './helpers.mjs';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

for (const [width, height] of [[390, 844], [1440, 900]]) {
  test(`switch a breaker to Polly and read what changed (${width}x${height})`, async ({ page }) => {
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.setViewportSize({ width, height });
    await page.goto('./index.html');
    await page.selectOption('#example', 'breaker-outage');
    await settled(page);
    const digestBefore = await page.locator('#run-meta').textContent();
    if (width < 500) await page.click('#stack-title'); // folded on phones

    await page.locator('.pipeline .layer[data-kind="circuit_breaker"] .layer-title').click();
    const library = page.getByLabel('Library').first();
    await expect(library).toHaveValue(/as the scenario: resilience4j/);
    await expect(page.locator('.library-note')).toContainText('CircuitBreakerConfig defaults');

    await library.selectOption({ label: 'Polly' });
    const changes = page.locator('.library-changes');
    // The example writes its thresholds and waits, so only Polly's boundary rules change.
    await expect(changes).toContainText('Open wait ends strictly after (resilience4j) → at or after (Polly, cockatiel)');
    await expect(changes).toContainText('Judge after every call (resilience4j) → only after failures (Polly)');
    await expect(changes).not.toContainText('Failure rate threshold');
    await expect(page.locator('.library-note')).toContainText('CircuitBreakerStrategyOptions');
    await expect(page.locator('#f-endpoints-0-stack-0-circuit_breaker-evaluate')).toHaveValue(/only after failures/);
    await settled(page);
    await expect(page.locator('#run-meta')).not.toHaveText(digestBefore);
    await page.locator('.layer-form').first().screenshot({ path: `${shots}/presets-polly-${width}.png` });

    // Back to the scenario's library; then make the whole scenario Polly: the layer follows.
    await library.selectOption({ index: 0 });
    await expect(page.locator('.library-changes')).toContainText('only after failures (Polly) → after every call (resilience4j)');
    if (width < 500) await page.click('#load-title');
    await page.locator('#f-semantics').selectOption({ label: 'Polly' });
    await expect(library).toHaveValue(/as the scenario: Polly/);
    await expect(page.locator('.library-note')).toContainText('CircuitBreakerStrategyOptions');
    await settled(page);
    expect(problems).toEqual([]);
  });
}
