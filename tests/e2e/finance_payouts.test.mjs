// The owner gives the organisation's bank; finance makes a payout batch
// from a validated settlement, downloads its SEPA file, hands it to the
// bank and marks the transfer paid.  axe-clean at every step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fresh, signIn, sql } from './common.mjs';

// A driver of the demo organisation with a validated week to pay.
function validatedSettlement(last) {
  const tenant = sql("SELECT id FROM tenants WHERE slug = 'demo'");
  const user = sql("SELECT id FROM users WHERE email = 'finance@demo.test'");
  const driver = sql(`INSERT INTO drivers (tenant_id, first_name, last_name, status, iban, bic)
    VALUES ('${tenant}', 'Hélène', '${last}', 'actif', 'DE89370400440532013000', 'DEUTDEFF') RETURNING id`);
  // A week of its own, far in the past, for this driver only.
  const monday = sql(`SELECT (date '2020-01-06' + 7 * (SELECT count(*) FROM drivers
    WHERE tenant_id = '${tenant}')::int)::text`);
  sql(`INSERT INTO earnings (tenant_id, source, source_key, platform, driver_id, period,
    period_start, period_end, net_cents, cash_collected_cents) VALUES ('${tenant}', 'e2e',
    '${fresh()}', 'bolt', '${driver}', 'semaine', '${monday}', date '${monday}' + 6, 98765, 0)`);
  const out = sql(`BEGIN; SET LOCAL app.tenant_id = '${tenant}'; SET LOCAL app.user_id = '${user}';
    SELECT settlement_compute('${monday}'::date, '${driver}'::uuid);
    SELECT settlement_validate((SELECT id FROM settlements WHERE driver_id = '${driver}'));
    SELECT id FROM settlements WHERE driver_id = '${driver}'; COMMIT;`);
  return out.split('\n').pop();
}

export const tests = [
  ['bank settings, a payout batch, its SEPA file, paid (axe clean)', async ({ page, browser, base, axe, shot }) => {
    await signIn(page, base, 'admin@demo.test');
    await page.goto(`${base}/settings`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/settings/organisation"]')]);
    assert.deepEqual(await axe(page), []);
    await page.selectOption('#currency', 'EUR');
    await page.fill('#bank_name', 'VTC Démo Paris');
    await page.fill('#bank_iban', 'FR76 3000 6000 0112 3456 7890 188');
    await page.fill('#bank_bic', 'BNPAFRPP');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert.match(await page.textContent('#bank_iban-error'), /clé de contrôle/);
    assert.deepEqual(await axe(page), []);
    await page.fill('#bank_iban', 'FR76 3000 6000 0112 3456 7890 189');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert.match(await page.textContent('.flash'), /enregistrés/);
    assert.equal(await page.inputValue('#bank_iban'), 'FR7630006000011234567890189');
    await shot('organisation-settings');

    const last = `Virement-${fresh()}`;
    const settlement = validatedSettlement(last);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', bypassCSP: true });
    const fin = await context.newPage();
    try {
      await signIn(fin, base, 'finance@demo.test');
      await fin.goto(`${base}/finance/payouts`);
      assert.deepEqual(await axe(fin), []);
      // Only this test's settlement: others may wait in the demo.
      for (const box of await fin.locator('input[name=settlement_ids]').all()) await box.uncheck();
      await fin.check(`#s-${settlement}`);
      await fin.selectOption('#format', 'sepa');
      await Promise.all([fin.waitForNavigation(), fin.click('#new-batch-form button[type=submit]')]);
      assert.match(fin.url(), /\/finance\/payouts\/[0-9a-f-]{36}\?done=created$/);
      assert.match(await fin.textContent('#lines'), new RegExp(`Hélène ${last}`));
      assert.match(await fin.textContent('#lines'), /987,65/);
      assert.deepEqual(await axe(fin), []);
      await shot('payout-batch');

      const [download] = await Promise.all([
        fin.waitForEvent('download'),
        fin.click('a:has-text("Télécharger le fichier")'),
      ]);
      const xml = readFileSync(await download.path(), 'utf8');
      assert.match(download.suggestedFilename(), /^FC[0-9a-f]{32}\.xml$/);
      assert.match(xml, /<NbOfTxs>1<\/NbOfTxs>/);
      assert.match(xml, /<CtrlSum>987\.65<\/CtrlSum>/);
      assert.match(xml, new RegExp(`<Nm>Helene ${last}</Nm>`));

      await fin.reload();
      await Promise.all([fin.waitForNavigation(), fin.click('button:has-text("Marquer comme remis à la banque")')]);
      assert.match(await fin.textContent('.flash'), /remis à la banque/);
      await Promise.all([fin.waitForNavigation(), fin.click('#lines button:has-text("Marquer payé")')]);
      assert.match(await fin.textContent('.flash'), /grand livre/);
      assert.match(await fin.textContent('#lines'), /Payé/);
      assert.deepEqual(await axe(fin), []);
      assert.equal(sql(`SELECT status FROM settlements WHERE id = '${settlement}'`), 'paye');
    } finally {
      await context.close();
    }
  }],
];
