// Every partial on one page: accessible, readable on a phone and a desktop,
// and the same without JavaScript.
import assert from 'node:assert/strict';

// One selector per partial and state the page must show.
const parts = ['.flash-success[role=status]', '.flash-error[role=alert]', '.kpi .kpi-value',
  '.badge-ok', '.badge-warn', '.badge-danger', '.badge-info',
  'input[type=email]#sg-email', 'input[type=tel]#sg-phone', 'input[type=number]#sg-seats',
  'input[type=password]#sg-password[aria-describedby=sg-password-help]',
  '#sg-plate[aria-invalid=true][aria-describedby="sg-plate-help sg-plate-error"]', '#sg-plate-error',
  'select#sg-energy', 'select#sg-energy-missing[aria-invalid=true]',
  'input[type=date]#sg-expiry', 'input[type=date]#sg-vtc-expiry[aria-invalid=true]',
  '.money-input input[inputmode=decimal]', 'input[type=file][accept]', '#sg-source-file[aria-invalid=true]',
  'details.confirm form[method=post] input[name=csrf]',
  'th[aria-sort=ascending] a', 'td .badge', '.pagination [aria-current=page]', 'a[rel=prev]', 'a[rel=next]',
  '.empty-state'];

const headings = (page) => page.locator('h1, h2, legend, caption').allTextContents();

export const tests = [
  ['the styleguide passes axe at 390 and 1440 px wide', async ({ page, base, axe, shot }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const res = await page.goto(base + '/_styleguide');
    assert.equal(res.status(), 200);
    for (const selector of parts) {
      assert.ok(await page.locator(selector).count() >= 1, `missing ${selector}`);
    }
    // Every label is tied to its control.
    for (const id of await page.locator('form .field label[for]').evaluateAll((ls) => ls.map((l) => l.htmlFor))) {
      assert.equal(await page.locator(`#${id}`).count(), 1, `label for #${id}`);
    }
    assert.deepEqual(await axe(page), []);
    await shot('styleguide-390');
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.deepEqual(await axe(page), []);
    await shot('styleguide-1440');
  }],
  ['nothing is wider than a 360 px screen but the tables, which scroll', async ({ page, base }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(base + '/_styleguide');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    // Inputs keep inside their card.
    const wide = await page.locator('.field input, .field select').evaluateAll((els) =>
      els.filter((e) => e.getBoundingClientRect().right > window.innerWidth).map((e) => e.id));
    assert.deepEqual(wide, []);
  }],
  ['the sort and page links keep each other', async ({ page, base }) => {
    await page.goto(base + '/_styleguide');
    await page.click('th a:has-text("Coût mensuel")');
    assert.match(page.url(), /sort=cost/);
    assert.equal(await page.getAttribute('th:has-text("Coût mensuel")', 'aria-sort'), 'ascending');
    await page.click('a[rel=next]');
    assert.match(page.url(), /sort=cost/);
    assert.match(page.url(), /page=3/);
    assert.match(await page.textContent('.pagination [aria-current]'), /3/);
  }],
  ['without JavaScript: same headings, and the confirmation opens', async ({ page, browser, base }) => {
    await page.goto(base + '/_styleguide');
    const withJs = await headings(page);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', javaScriptEnabled: false });
    try {
      const plain = await context.newPage();
      await plain.goto(base + '/_styleguide');
      assert.deepEqual(await headings(plain), withJs);
      assert.match(withJs[0], /Guide de style/);
      assert.equal(await plain.locator('.confirm-panel button').isVisible(), false);
      await plain.click('details.confirm summary');
      assert.equal(await plain.locator('.confirm-panel button').isVisible(), true);
    } finally {
      await context.close();
    }
  }],
];
