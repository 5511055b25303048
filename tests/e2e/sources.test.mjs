// A fleet manager adds an Uber source, uploads the payments export,
// watches the progress until it ends (htmx polling, then without
// JavaScript by reloading) and opens the history.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fresh, signIn } from './common.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sources');

// The Uber fixture with keys of its own (the key space is the tenant's).
function uberFile() {
  const text = readFileSync(join(fixtures, 'uber_payments_en.csv'), 'latin1');
  return Buffer.from(text.replaceAll('6b1f3c1e', fresh()), 'latin1');
}

// A larger file, so that there is a progress to watch.
function bigFile(rows) {
  const p = fresh();
  const lines = ['Transaction UUID,Driver UUID,Description,Date/Time,Paid to you,Paid to you : Your earnings'];
  for (let i = 0; i < rows; i++) lines.push(`${p}-${i},drv-${p},trip completed order,2026-11-02 10:00:00,12.50,12.50`);
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

async function addSource(page, base, name) {
  await page.goto(base + '/sources');
  await page.click('text=Ajouter une source');
  await page.click('text=Uber — export des paiements (CSV)');
  await page.fill('#name', name);
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  assert.match(page.url(), /\/sources\/[0-9a-f-]{36}\?done=created/);
  return new URL(page.url()).pathname;
}

async function upload(page, buffer, filename) {
  await page.setInputFiles('#sync-file', { name: filename, mimeType: 'text/csv', buffer });
  await Promise.all([page.waitForNavigation(), page.click('#sync-button')]);
  assert.match(page.url(), /\/sync-runs\/[0-9a-f-]{36}$/);
}

export const tests = [
  ['add a source, upload a file, watch the progress, open the history (axe clean)', async ({ page, base, axe, shot }) => {
    await signIn(page, base, 'manager@demo.test');
    await page.goto(base + '/sources');
    assert.deepEqual(await axe(page), []);
    const name = `Uber e2e ${fresh()}`;
    const sourcePath = await addSource(page, base, name);
    assert.match(await page.textContent('h1'), new RegExp(name));
    assert.deepEqual(await axe(page), []);
    await shot('source-page');
    await upload(page, uberFile(), 'paiements-uber.csv');
    // Polling ends with a reload of the whole page: no click, no reload here.
    await page.waitForSelector('#totals-match', { timeout: 60000 });
    assert.match(await page.textContent('#totals-match'), /concordent au centime/);
    assert.match(await page.textContent('#run-status'), /Réussie/);
    assert.match(await page.textContent('#run-counts'), /5\s+nouvelle/);
    assert.match(await page.textContent('#totals'), /90,15/); // Your earnings, not Paid to you
    assert.deepEqual(await axe(page), []);
    await shot('sync-run-done');
    // The same file again: nothing new.
    await page.goto(base + sourcePath);
    await page.click('text=Historique');
    assert.match(await page.textContent('#runs'), /paiements-uber\.csv/);
    assert.deepEqual(await axe(page), []);
    await page.goto(base + '/sources');
    assert.match(await page.textContent('table.data tbody'), new RegExp(name));
    assert.match(await page.textContent('table.data tbody'), /Saine/);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('sources-list-390');
  }],
  ['a large file shows its progress bar and ends without a click', async ({ page, base, axe, shot }) => {
    await signIn(page, base, 'manager@demo.test');
    await addSource(page, base, `Uber gros ${fresh()}`);
    await upload(page, bigFile(120000), 'gros.csv');
    const section = await page.waitForSelector('#run-progress');
    assert.ok(section);
    if (await page.locator('#run-progress progress').count()) {
      assert.deepEqual(await axe(page), []);
      await shot('sync-run-progress');
    }
    await page.waitForSelector('#totals-match', { timeout: 120000 });
    assert.match(await page.textContent('#run-counts'), /120\u202f000\s+nouvelle/);
  }],
  ['without JavaScript the run page reloads itself until the end', async ({ context: withJs, base }) => {
    const context = await withJs.browser().newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await signIn(page, base, 'manager@demo.test');
      await addSource(page, base, `Uber sans JS ${fresh()}`);
      await upload(page, bigFile(60000), 'sans-js.csv');
      await page.waitForSelector('#totals-match', { timeout: 120000 });
      assert.match(await page.textContent('#run-status'), /Réussie/);
    } finally {
      await context.close();
    }
  }],
  ['a viewer sees the sources but cannot add or sync', async ({ page, base }) => {
    await signIn(page, base, 'viewer@demo.test');
    await page.goto(base + '/sources');
    assert.equal(await page.locator('text=Ajouter une source').count(), 0);
    const res = await page.goto(base + '/sources/new');
    assert.equal(res.status(), 403);
  }],
];
