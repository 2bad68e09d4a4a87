// The reader's experience (Step 4): a shared link opened on a phone, a tablet and a desktop
// tells its story first; requests are selected with the mouse and the keyboard and read where
// the eye is; nothing the user made is lost (undo, redo, drafts); dialogs and moved layers keep
// the focus; and an axe-core check finds no serious accessibility violation.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { seriousViolations, settled } from './helpers.mjs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'desktop', width: 1440, height: 900 },
];

const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** A share link made the way a sender makes one: edit, then Copy link. */
async function makeLink(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('./index.html#example/all-six');
  await settled(page);
  await page.fill('#f-seed', '31337');
  await page.press('#f-seed', 'Enter');
  await settled(page);
  await page.click('#copy-link');
  const link = await page.locator('#share-text').inputValue();
  await context.close();
  return link;
}

for (const size of SIZES) {
  test(`a shared link on a ${size.name} (${size.width}×${size.height}) tells its story first`, async ({ browser }) => {
    const link = await makeLink(browser);
    const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
    const page = await context.newPage();
    await page.goto(link);
    await settled(page);
    const verdict = page.locator('#verdict');
    await expect(verdict).toContainText('%');
    await expect(verdict.locator('[data-figure="success"] .delta')).toContainText('pp');
    await expect(page.locator('#scenario-description')).toBeVisible();
    expect(await noSideways(page)).toBe(true);
    await page.screenshot({ path: `${shots}/reader-link-${size.name}.png` });

    // Select a request with the mouse: its journey opens where the eye is.
    const canvas = page.locator('#timeline');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    for (let lane = 0; lane < 12 && !(await page.locator('#inspector').isVisible()); lane++) {
      await page.mouse.click(box.x + box.width * 0.35, box.y + 3.5 + lane * 7);
    }
    await expect(page.locator('#inspector')).toBeVisible();
    await expect(page.locator('#journey li').first()).toBeInViewport();
    await expect(page.locator('#inspector-title')).toBeInViewport();
    expect(await noSideways(page)).toBe(true);
    await page.screenshot({ path: `${shots}/reader-inspector-${size.name}.png` });

    // And with the keyboard: the timeline takes the focus, arrows walk through requests.
    const title = await page.locator('#inspector-title').textContent();
    const id = Number(title.match(/#(\d+)/)[1]);
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('#inspector-title')).toContainText(`#${id + 1} `);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(page.locator('#inspector-title')).toContainText(`#${id - 1} `);
    await page.keyboard.press('Escape');
    await expect(page.locator('#inspector')).toHaveCount(0);
    await context.close();
  });
}

test('the first screen opens on a simple example, just before its fault, with three things to try', async ({ page }) => {
  await page.goto('./index.html');
  await settled(page);
  await expect(page.locator('#scenario-title')).toHaveText('Circuit breaker during an outage');
  await expect(page.locator('#tips li')).toHaveCount(3);
  await expect(page.locator('#clock')).toHaveText('18.000 s');
  await expect(page.locator('#verdict')).toContainText('without the stack');
  await expect(page.locator('#banner')).toHaveCount(0);
});

test('undo and redo cover edits, and switching examples keeps edits one undo away', async ({ page }) => {
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  const seed = await page.locator('#f-seed').inputValue();
  await page.fill('#f-seed', '4711');
  await page.press('#f-seed', 'Enter');
  await settled(page);
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('#f-seed')).toHaveValue(seed);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('#f-seed')).toHaveValue('4711');

  await page.selectOption('#example', 'retry-storm');
  await expect(page.locator('#banner')).toContainText('Undo');
  await settled(page);
  await page.locator('#banner-undo').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#f-seed')).toHaveValue('4711');
  await expect(page.locator('#scenario-title')).toHaveText('Circuit breaker during an outage');
  // The banner went with its button: the focus goes on to the results, not back to the top.
  await expect(page.locator('#results')).toBeFocused();
});

test('a reader who never edited anything gets no banner from links', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('./index.html');
  await settled(page);
  await page.goto('./index.html#example/retry-storm');
  await page.reload();
  await settled(page);
  await expect(page.locator('#banner')).toHaveCount(0);
  await context.close();
});

test('focus follows a moved layer, and dialogs take, trap and return the focus', async ({ page }) => {
  await page.goto('./index.html#example/all-six');
  await settled(page);
  const titles = page.locator('.pipeline .layer .layer-title');
  await titles.nth(3).focus();
  // As on a loaded machine: Yew's scheduler yields to the browser (a 0 ms timer) once 16 ms
  // have passed, which can be after the re-render but before its effects, and the second key
  // can come first, while the focus is where the first move left it. Here the clock jumps (so
  // every check yields) and timers are late (so the key comes first). The focus must already
  // be on the moved layer's card, or the second key moves another layer.
  await page.evaluate(() => {
    const [now, later] = [Date.now, window.setTimeout];
    window.restoreClock = () => Object.assign(window, { setTimeout: later }) && (Date.now = now);
    let skew = 0;
    Date.now = () => now.call(Date) + (skew += 20);
    window.setTimeout = (f, ms, ...args) => later.call(window, f, Math.max(ms || 0, 300), ...args);
  });
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.locator('.pipeline .layer').nth(1)).toHaveAttribute('data-kind', 'retry');
  await expect(titles.nth(1)).toBeFocused();
  await page.evaluate(() => window.restoreClock());

  await page.click('#open-gallery');
  const dialog = page.locator('.dialog.gallery');
  await expect(dialog).toBeVisible();
  // The dialog takes the focus in an effect after it is shown: wait for it, as for any focus.
  const holdsFocus = () => dialog.evaluate((d) => d.contains(document.activeElement));
  await expect.poll(holdsFocus).toBe(true);
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press(i % 4 === 3 ? 'Shift+Tab' : 'Tab');
    await expect.poll(holdsFocus).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('#open-gallery')).toBeFocused();
});

for (const scheme of ['light', 'dark']) {
  test(`axe-core finds no serious violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./index.html#example/all-six');
    await settled(page);
    await page.locator('.pipeline .layer .layer-title').first().click();
    const violations = await seriousViolations(page);
    await page.screenshot({ path: `${shots}/reader-axe-${scheme}.png`, fullPage: true });
    expect(violations).toEqual([]);
  });
}

test('text typed into a field survives a run finishing meanwhile', async ({ page }) => {
  await page.goto('./index.html#example/breaker-outage');
  await settled(page);
  // Commit one field, then type into another at once: the first edit's run finishes while the
  // second is being typed, and must not wipe it.
  await page.fill('#f-duration', '120s');
  await page.press('#f-duration', 'Enter');
  await page.fill('#f-endpoints-0-load-poisson-rps', '300');
  await page.waitForTimeout(400);
  await expect(page.locator('#f-endpoints-0-load-poisson-rps')).toHaveValue('300');
  await page.press('#f-endpoints-0-load-poisson-rps', 'Enter');
  await settled(page);
  await expect(page.locator('#summary')).toContainText(/requests\s*3[0-9],?[0-9]{3}/);
});
