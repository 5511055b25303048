// Every partial on one page: accessible, readable on a phone and a desktop,
// and the same without JavaScript.
import assert from 'node:assert/strict';

export const tests = [
  ['the styleguide passes axe at 390 and 1440 px wide', async ({ page, base, axe, shot }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const res = await page.goto(base + '/_styleguide');
    assert.equal(res.status(), 200);
    for (const selector of ['.flash-error[role=alert]', '.kpi', '.badge-danger', '#sg-plate[aria-invalid=true]',
      '#sg-plate-error', 'select#sg-energy', 'input[type=date]#sg-expiry', '.money-input', 'input[type=file]',
      'details.confirm', 'th[aria-sort]', '.pagination [aria-current]', '.empty-state']) {
      assert.ok(await page.locator(selector).count() >= 1, `missing ${selector}`);
    }
    assert.deepEqual(await axe(page), []);
    // Nothing wider than the phone's screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await shot('styleguide-390');
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.deepEqual(await axe(page), []);
    await shot('styleguide-1440');
  }],
  ['the destructive confirmation opens without JavaScript', async ({ browser, base }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(base + '/_styleguide');
    assert.equal(await page.locator('.confirm-panel button').isVisible(), false);
    await page.click('details.confirm summary');
    assert.equal(await page.locator('.confirm-panel button').isVisible(), true);
    assert.match(await page.textContent('h1'), /Styleguide/);
    await context.close();
  }],
];
