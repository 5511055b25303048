// A shop's manager adds an iSaVigne source, uploads its four exports at
// once, sees the sales with their bottles and 75 cl equivalents, then the
// « Qualité des données » report the sync produced, with the failing sale
// linked to its record.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fresh, signIn } from './common.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'commerce');
const files = ['produits.csv', 'clients.csv', 'ventes.csv', 'stock.csv'].map((name) => ({
  name, mimeType: 'text/csv', buffer: readFileSync(join(fixtures, name)),
}));

export const tests = [
  ['upload the iSaVigne exports, read the sales, open the quality report (axe clean)', async ({ page, base, axe, shot }) => {
    await signIn(page, base, 'manager@demo.test');
    await page.goto(base + '/sources');
    await page.click('text=Ajouter une source');
    await page.click('text=iSaVigne — exports clients, produits, ventes et stock (CSV ou zip)');
    const name = `Domaine e2e ${fresh()}`;
    await page.fill('#name', name);
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    const sourceId = new URL(page.url()).pathname.split('/')[2];
    assert.match(sourceId, /^[0-9a-f-]{36}$/);
    await page.setInputFiles('#sync-file', files);
    await Promise.all([page.waitForNavigation(), page.click('#sync-button')]);
    assert.match(page.url(), /\/sync-runs\/[0-9a-f-]{36}$/);
    await page.waitForFunction(() => /Réussie/.test(document.querySelector('#run-status')?.textContent || ''),
      null, { timeout: 60000 });
    assert.match(await page.textContent('#run-counts'), /20\s+nouvelle/);
    await shot('isavigne-run');

    await page.goto(`${base}/sales-lines?source_id=${sourceId}`);
    const text = await page.textContent('#sales-lines-list tbody');
    assert.match(text, /F2026-001/);
    assert.match(text, /Cuvée des Coteaux rouge 2019/);
    assert.deepEqual(await axe(page), []);
    await shot('sales-lines');
    await page.goto(`${base}/customers?source_id=${sourceId}&q=marchand`);
    assert.match(await page.textContent('#customers-list tbody'), /Élodie Marchand/);

    // The report is the job's, written just after the run.
    let link = null;
    for (let i = 0; i < 40 && !link; i++) {
      await page.goto(base + '/quality');
      const row = page.locator('#quality-sources tbody tr', { hasText: name });
      if (await row.locator('a[href^="/quality/reports/"]').count()) link = row.locator('a[href^="/quality/reports/"]').first();
      else await page.waitForTimeout(500);
    }
    assert.ok(link, 'no quality report appeared');
    assert.deepEqual(await axe(page), []);
    await shot('quality-index');
    await Promise.all([page.waitForNavigation(), link.click()]);
    const check = page.locator('#quality-results tr[data-check="sales_without_customer"]');
    assert.match(await check.textContent(), /Ventes sans client connu/);
    assert.match(await check.textContent(), /1 \/ 6/);
    assert.match(await check.textContent(), /Échec/);
    assert.equal(await check.locator('a[href^="/api/v1/sales-lines/"]').count(), 1);
    assert.deepEqual(await axe(page), []);
    await shot('quality-report');
  }],
];
