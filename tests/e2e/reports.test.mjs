// « Rapports »: the list and a report's page with its totals and its
// downloads, axe-clean at 1440×900.
import assert from 'node:assert/strict';
import { signIn, sql } from './common.mjs';

export const tests = [
  ['the reports and one of them (axe clean)', async ({ page, base, axe, shot }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const day = sql(`SELECT max(day) FROM analytics_daily
      WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'demo')`);
    await signIn(page, base, 'manager@demo.test', '/');
    await page.goto(`${base}/reports`);
    assert.equal(await page.locator('#reports a').count(), 6);
    assert.deepEqual(await axe(page), []);
    await page.goto(`${base}/reports/revenue-by-driver?from=${day}&to=${day}`);
    assert.ok(await page.locator('#report tbody tr').count() >= 1);
    assert.equal(await page.locator('#report tfoot tr.total').count(), 1);
    for (const f of ['csv', 'xlsx', 'pdf']) {
      assert.equal(await page.locator(`#downloads a[href*="format=${f}"]`).count(), 1);
    }
    assert.deepEqual(await axe(page), []);
    await shot('reports-revenue-by-driver');
  }],
];
