// A run that takes too long stops at its CPU budget with a message instead of holding the page;
// "Continue" gives it another budget, and the run it finishes is the very same run (the golden
// digest of the example). The budget is lowered for the test through window.rpRunBudgetMs.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';

const shots = new URL('./artifacts/', import.meta.url).pathname;
fs.mkdirSync(shots, { recursive: true });

test('a run stops at its budget, says so, and continues to the same result', async ({ page }) => {
  const golden = fs.readFileSync(new URL('../../crates/engine/tests/common/golden.rs', import.meta.url), 'utf8');
  const expected = golden.match(/\("all-six", 0x([0-9a-f]+)\)/)[1];
  await page.addInitScript(() => { window.rpRunBudgetMs = 15; });
  await page.goto('./index.html#example/all-six');
  const stopped = page.locator('#run-stopped');
  await expect(stopped).toContainText('stopped after', { timeout: 20_000 });
  await expect(stopped).toContainText('Continue');
  await page.screenshot({ path: `${shots}/budget-stopped.png` });
  // The page stays responsive meanwhile: the gallery opens and closes.
  await page.click('#open-gallery');
  await expect(page.locator('.dialog.gallery')).toBeVisible();
  await page.keyboard.press('Escape');
  for (let i = 0; i < 200 && !(await page.locator('#run-meta').isVisible()); i++) {
    if (await page.locator('#continue-run').isVisible()) await page.click('#continue-run');
    await page.waitForTimeout(20);
  }
  await expect(page.locator('#run-meta')).toContainText(`digest ${expected}`, { timeout: 20_000 });
  await expect(stopped).toHaveCount(0);
});
