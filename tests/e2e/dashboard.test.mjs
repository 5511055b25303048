// The manager's « Tableau de bord » at 1440×900: ten linked indicator
// cards, every chart an accessible SVG (role, title, desc) with its data
// table, axe-clean; the period form moves to another week.
import assert from 'node:assert/strict';
import { signIn, sql } from './common.mjs';

export const tests = [
  ['the dashboard of a week with trips (1440×900, axe clean, charts with tables)', async ({ page, base, axe, shot }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    // The demo's latest day with revenue, so that the charts have bars.
    const day = sql(`SELECT max(day) FROM analytics_daily
      WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'demo')`);
    assert.match(day, /^\d{4}-\d{2}-\d{2}$/, 'the demo has imported trips');
    await signIn(page, base, 'manager@demo.test', '/');
    await page.goto(`${base}/?period=week&from=${day}`);
    assert.equal(await page.textContent('h1'), 'Tableau de bord');
    assert.equal(await page.locator('#kpis a.kpi').count(), 10);
    for (const href of await page.locator('#kpis a.kpi').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      assert.match(href, /^\/(trips|drivers|vehicles|documents)/);
    }
    const charts = await page.locator('svg[role="img"]').evaluateAll((svgs) => svgs.map((s) => ({
      id: s.querySelector('title')?.id.replace(/-title$/, ''),
      title: s.querySelector('title')?.textContent,
      desc: s.querySelector('desc')?.textContent,
      labelledby: s.getAttribute('aria-labelledby'),
      bars: s.querySelectorAll('rect').length,
    })));
    assert.equal(charts.length, 2);
    for (const c of charts) {
      assert.ok(c.title && c.desc, `${c.id} has a title and a description`);
      assert.equal(c.labelledby, `${c.id}-title ${c.id}-desc`);
      assert.ok(c.bars > 0, `${c.id} has bars`);
      assert.ok(await page.locator(`table[data-chart="${c.id}"] tbody tr`).count() >= 1, `${c.id} has its table`);
    }
    assert.ok(await page.locator('#top-drivers tbody a').count() >= 1);
    assert.deepEqual(await axe(page), []);
    await shot('dashboard-1440');

    // The previous period's link moves a week back.
    await page.click('a[rel="prev"]');
    const from = new URL(page.url()).searchParams.get('from');
    assert.equal(await page.inputValue('#period-from'), from);
    assert.deepEqual(await axe(page), []);

    // A month through the form.
    await page.check('input[name="period"][value="month"]');
    await page.click('.period-form button[type="submit"]');
    assert.equal(new URL(page.url()).searchParams.get('period'), 'month');
    assert.match(await page.inputValue('#period-from'), /-01$/);
  }],
];
