// « Factures » and « Synchronisation comptable » as finance uses them: a
// driver's validated week left 150,00 € of rent unpaid; the invoice is
// found in the list, a partial payment recorded by the form, the rest
// shown; the statement's PDF is offered.  axe-clean pages.
import assert from 'node:assert/strict';
import { fresh, signIn, sql } from './common.mjs';

const FINANCE = 'finance@demo.test';

// A renter of demo with a validated week (far in the future, so that no
// open week of theirs comes before it): 50 € earned, 200 € of rent.
function openInvoice() {
  const tenant = sql("SELECT id FROM tenants WHERE slug = 'demo'");
  const user = sql(`SELECT id FROM users WHERE email = '${FINANCE}'`);
  const driver = sql(`INSERT INTO drivers (tenant_id, first_name, last_name, status, collaboration)
    VALUES ('${tenant}', 'Élodie', 'Facture-${fresh()}', 'actif', 'location_auto_entrepreneur') RETURNING id`);
  const s = sql(`INSERT INTO settlements (tenant_id, driver_id, week_start, week, collaboration,
    rent_days, platform_net_cents, rent_cents, amount_due_cents) VALUES ('${tenant}', '${driver}',
    '2032-03-01', '2032-W09', 'location_auto_entrepreneur', 7, 5000, 20000, -15000) RETURNING id`);
  sql(`INSERT INTO settlement_platforms (tenant_id, settlement_id, platform, source, period_start,
    period_end, net_cents) VALUES ('${tenant}', '${s}', 'bolt', 'trips', '2032-03-01', '2032-03-08', 5000)`);
  sql(`BEGIN; SET LOCAL app.tenant_id = '${tenant}'; SET LOCAL app.user_id = '${user}';
    SELECT settlement_freeze('${s}'); COMMIT;`);
  return { settlement: s, number: sql(`SELECT number FROM invoices WHERE settlement_id = '${s}'`) };
}

export const tests = [
  ['an invoice is found, partly paid by the form, its statement offered as a PDF (axe clean)', async ({ page, base, axe, shot }) => {
    const inv = openInvoice();
    await signIn(page, base, FINANCE);
    await page.goto(base + '/finance/invoices?week=2032-W09');
    assert.equal(await page.textContent('h1'), 'Factures');
    const row = page.locator('#invoices tbody tr', { hasText: inv.number });
    assert.match(await row.textContent(), /Payée en partie/);
    assert.deepEqual(await axe(page), []);
    await shot('finance-invoices');

    await row.locator('a').click();
    assert.match(await page.textContent('h1'), new RegExp(inv.number));
    assert.match(await page.textContent('#remaining'), /150,00/);
    assert.deepEqual(await axe(page), []);
    await page.fill('#amount', '100,00');
    await page.selectOption('#method', 'especes');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert.match(await page.textContent('.flash'), /Paiement enregistré/);
    assert.match(await page.textContent('#remaining'), /50,00/);
    assert.match(await page.textContent('#invoice-payments'), /Espèces/);
    await shot('finance-invoice');

    // Too much is refused next to the field, what was typed kept.
    await page.fill('#amount', '80,00');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert.match(await page.textContent('#amount-error'), /reste à payer/);
    assert.equal(await page.inputValue('#amount'), '80,00');
    assert.deepEqual(await axe(page), []);

    await page.goto(base + `/finance/settlements/${inv.settlement}`);
    const href = await page.getAttribute('#statement-pdf', 'href');
    const r = await page.request.get(base + href);
    assert.equal(r.status(), 200);
    assert.equal(r.headers()['content-type'], 'application/pdf');
    assert.equal((await r.body()).subarray(0, 5).toString(), '%PDF-');

    await page.goto(base + '/finance/accounting-sync');
    assert.equal(await page.textContent('h1'), 'Synchronisation comptable');
    assert.deepEqual(await axe(page), []);
    await shot('finance-accounting-sync');
  }],
];
