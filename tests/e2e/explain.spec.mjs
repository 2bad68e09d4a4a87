// Step 8 as a new user meets it: paste a real resilience4j application.yml and see the stack,
// read why a request failed and jump to its cause, apply an insight's fix, watch a claim go red
// when the stack is weakened, and copy the Polly code. Bad imports change nothing. At a phone
// and a desktop size; everything here comes from the worker chunk, loaded after the first paint.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { settled, shots, watchProblems } from './helpers.mjs';

const scenarios = new URL('../../crates/engine/scenarios/', import.meta.url).pathname;

/** A share link (uncompressed form) to `doc` with the inspector open on `request`. */
function linkTo(doc, view) {
  const json = JSON.stringify({ scenario: doc, view });
  return `./index.html#s=j1.${Buffer.from(json).toString('base64url')}`;
}

// A request of breaker-outage that meets the open breaker (found with the worker natively).
const REFUSED_REQUEST = 1967;

const kinds = (page) => page.locator('.pipeline .layer').evaluateAll((cards) => cards.map((c) => c.dataset.kind));

// A Spring Boot service's resilience settings, as people write them (configs, baseConfig,
// exception lists), with keys the playground has no setting for.
const APPLICATION_YML = `
spring:
  application:
    name: checkout
resilience4j:
  circuitbreaker:
    configs:
      default:
        slidingWindowType: COUNT_BASED
        slidingWindowSize: 20
        failureRateThreshold: 50
        waitDurationInOpenState: 10s
        registerHealthIndicator: true
    instances:
      inventory:
        baseConfig: default
        minimumNumberOfCalls: 10
        recordExceptions:
          - java.io.IOException
          - java.util.concurrent.TimeoutException
  retry:
    instances:
      inventory:
        maxAttempts: 3
        waitDuration: 500ms
        enableExponentialBackoff: true
        exponentialBackoffMultiplier: 2
  timelimiter:
    instances:
      inventory:
        timeoutDuration: 2s
        cancelRunningFuture: true
`;

for (const [width, height] of [[390, 844], [1440, 900]]) {
  const phone = width < 500;

  test(`paste a resilience4j application.yml and see the stack; bad imports change nothing (${width}x${height})`, async ({ page }) => {
    const problems = watchProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto('./index.html');
    await settled(page);
    if (phone) await page.click('#stack-title');
    const before = await kinds(page);

    await page.click('#code-menu summary');
    await page.fill('#import-text', 'resilience4j:\n  retry: [\n');
    await page.click('#import-config');
    await expect(page.locator('#banner')).toContainText(/Nothing imported: not YAML or JSON: .*line \d+/);
    await expect(page.locator('#banner')).toContainText('The scenario is unchanged');
    expect(await kinds(page)).toEqual(before);

    await page.fill('#import-text', APPLICATION_YML);
    await page.screenshot({ path: `${shots}/import-pasted-${width}.png` });
    await page.click('#import-config');
    // Spring's aspect order: Retry ( CircuitBreaker ( TimeLimiter ( call ) ) ).
    await expect.poll(() => kinds(page)).toEqual(['retry', 'circuit_breaker', 'timeout']);
    const banner = page.locator('#banner');
    await expect(banner).toContainText('Imported the resilience4j configuration "inventory"');
    // Keys without a setting are listed by path, never dropped in silence.
    await expect(banner).toContainText('registerHealthIndicator');
    await page.click('#code-menu summary'); // close the menu
    await settled(page);
    await page.screenshot({ path: `${shots}/import-stack-${width}.png` });
    // The import is one undo step.
    await page.click('#banner-undo');
    await expect.poll(() => kinds(page)).toEqual(before);

    // A 10 MB file dropped or chosen is refused with its size; the stack stays.
    await page.setInputFiles('#file-input', { name: 'application.yml', mimeType: 'application/yaml', buffer: Buffer.alloc(10 * 1024 * 1024, 'a') });
    await expect(page.locator('#banner')).toContainText('too large');
    await expect(page.locator('#banner')).toContainText('The scenario is unchanged');
    expect(await kinds(page)).toEqual(before);
    // A value out of range is refused with its path; the stack stays.
    const bad = APPLICATION_YML.replace('failureRateThreshold: 50', 'failureRateThreshold: 250');
    await page.setInputFiles('#file-input', { name: 'application.yml', mimeType: 'application/yaml', buffer: Buffer.from(bad) });
    await expect(page.locator('#banner')).toContainText('failure_rate');
    await expect(page.locator('#banner')).toContainText('The scenario is unchanged');
    expect(await kinds(page)).toEqual(before);
    // The same file, dropped whole, is imported like the pasted text.
    await page.setInputFiles('#file-input', { name: 'application.yml', mimeType: 'application/yaml', buffer: Buffer.from(APPLICATION_YML) });
    await expect.poll(() => kinds(page)).toEqual(['retry', 'circuit_breaker', 'timeout']);
    expect(problems).toEqual([]);
  });

  test(`read why a request failed, and jump to the cause (${width}x${height})`, async ({ page }) => {
    const problems = watchProblems(page);
    await page.setViewportSize({ width, height });
    const doc = JSON.parse(fs.readFileSync(`${scenarios}/breaker-outage.json`, 'utf8'));
    await page.goto(linkTo(doc, { endpoint: 0, request: REFUSED_REQUEST, cursor_us: 0 }));
    await settled(page);
    await expect(page.locator('#inspector')).toBeVisible();
    const why = page.locator('#why');
    await expect(why).toContainText('refused');
    await expect(why).toContainText('the breaker opened at');
    await why.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/explain-why-${width}.png` });
    const cause = why.locator('button.seek').first();
    const text = await cause.textContent();
    const seconds = Number(/opened at ([\d.]+) s/.exec(text)[1]);
    await cause.click();
    await expect.poll(async () => Math.abs(Number(await page.locator('#clock').getAttribute('data-us')) - seconds * 1e6))
      .toBeLessThan(1000);

    // The breaker's own transitions say why, too.
    await page.locator('#claims .transitions summary').click();
    await expect(page.locator('#transitions li').first()).toContainText(/open: .*failed/);
    expect(problems).toEqual([]);
  });

  test(`apply an insight's fix (${width}x${height})`, async ({ page }) => {
    const problems = watchProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto('./index.html');
    await page.selectOption('#example', 'retry-storm');
    await settled(page);
    if (phone) await page.click('#stack-title');
    const insight = page.locator('.layer[data-kind="retry"] .insight');
    await expect(insight).toContainText('without jitter');
    await insight.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/insight-${width}.png` });
    const digest = await page.locator('#run-meta').textContent();
    await insight.locator('button.fix').click();
    await settled(page);
    await expect(page.locator('#run-meta')).not.toHaveText(digest);
    await expect(page.locator('.layer[data-kind="retry"] .insight')).toHaveCount(0);
    await page.keyboard.press('Control+z'); // the fix is one undo step
    await expect(page.locator('.layer[data-kind="retry"] .insight')).toContainText('without jitter');
    expect(problems).toEqual([]);
  });

  test(`a claim goes red when the stack is weakened (${width}x${height})`, async ({ page }) => {
    const problems = watchProblems(page);
    await page.setViewportSize({ width, height });
    await page.goto('./index.html');
    await page.selectOption('#example', 'breaker-outage');
    await settled(page);
    const claims = page.locator('#claims');
    await expect(claims.locator('#verdicts li').first()).toBeVisible();
    const count = await claims.locator('#verdicts li').count();
    await expect(claims.locator('#claims-title')).toContainText(`${count} of ${count} hold`);
    await expect(claims.locator('#verdicts li.fail')).toHaveCount(0);
    if (phone) await page.click('#stack-title');
    await page.locator('.layer[data-kind="circuit_breaker"] .layer-tools button[aria-pressed]').click();
    await settled(page);
    await expect(claims.locator('#verdicts li.fail').first()).toBeVisible();
    await expect(claims.locator('#verdicts li.fail').first()).toContainText('measured');
    await claims.scrollIntoViewIfNeeded();
    await claims.screenshot({ path: `${shots}/claims-red-${width}.png` });
    expect(problems).toEqual([]);
  });

  test(`copy the Polly code (${width}x${height})`, async ({ page, context }) => {
    const problems = watchProblems(page);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.setViewportSize({ width, height });
    await page.goto('./index.html');
    await settled(page);
    await page.click('#code-menu summary');
    await page.selectOption('#code-target', 'polly');
    await expect(page.locator('#code-text')).toContainText('new ResiliencePipelineBuilder');
    await page.click('#copy-code');
    await expect(page.locator('#banner')).toContainText('Code copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('ResiliencePipelineBuilder');
    expect(copied).toBe(await page.locator('#code-text').textContent());
    await page.screenshot({ path: `${shots}/code-polly-${width}.png` });
    // The menu's items are drawn only while it is open; the chosen library is kept.
    await page.click('#code-menu summary');
    await expect(page.locator('#code-target')).toHaveCount(0);
    await page.click('#code-menu summary');
    await expect(page.locator('#code-target')).toHaveValue('polly');
    await expect(page.locator('#code-text')).toContainText('new ResiliencePipelineBuilder');
    expect(problems).toEqual([]);
  });
}

// Embeds show the claims too: a sandboxed iframe (an opaque origin) on a stranger's page starts
// the worker chunk from its blob script and reads the verdicts.
test('a sandboxed embed shows its claims', async ({ page, baseURL }) => {
  const problems = watchProblems(page);
  await page.setContent(`<iframe id="frame" sandbox="allow-scripts" width="800" height="900"
    src="${baseURL}index.html#embed&panels=claims,summary&example=breaker-outage"></iframe>`);
  const frame = page.frameLocator('#frame');
  await expect(frame.locator('#claims-title')).toContainText(/(\d+) of \1 hold/, { timeout: 20_000 });
  await expect(frame.locator('#verdicts li.pass').first()).toContainText('measured');
  await page.screenshot({ path: `${shots}/embed-claims.png` });
  expect(problems).toEqual([]);
});
