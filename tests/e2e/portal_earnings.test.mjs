// The demo driver's portal on a phone (390×844): my week's chart with its
// table, my earnings, statements and trips; axe-clean, nothing wider than
// the screen; then the same page at a desktop width.
import assert from 'node:assert/strict';
import { signIn } from './common.mjs';

export const tests = [
  ['a driver sees their week, earnings, statements and trips on a phone (390×844, axe clean)', async ({ page, base, axe, shot }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, base, 'chauffeur@demo.test', '/portal');
    for (const id of ['week', 'earnings', 'statements', 'trips', 'documents', 'vehicle', 'profile']) {
      assert.ok(await page.locator(`#${id}`).isVisible(), `#${id} is shown`);
    }
    const chart = page.locator('#week svg[role="img"]');
    assert.equal(await chart.count(), 1);
    assert.equal(await chart.getAttribute('aria-labelledby'), 'chart-week-title chart-week-desc');
    assert.ok((await page.textContent('#chart-week-title')).length > 0);
    assert.equal(await page.locator('table[data-chart="chart-week"]').count(), 1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    assert.deepEqual(await axe(page), []);
    await shot('portal-390');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();
    assert.deepEqual(await axe(page), []);
    await shot('portal-1280');
  }],
];
