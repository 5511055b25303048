// A fleet manager adds a vehicle, records an event and finds it in the list.
import assert from 'node:assert/strict';
import { randomPlate, signIn } from './common.mjs';

export const tests = [
  ['create a vehicle, add an event, see it in the list (axe clean)', async ({ page, base, axe, shot }) => {
    await signIn(page, base, 'manager@demo.test');
    await page.goto(base + '/vehicles');
    assert.deepEqual(await axe(page), []);
    await page.click('text=Ajouter un véhicule');
    assert.deepEqual(await axe(page), []);
    const plate = randomPlate();
    // A wrong plate first: the form comes back with the message next to it.
    await page.fill('#plate', 'AI-12');
    await page.fill('#make', 'Toyota');
    await page.fill('#model', 'C-HR');
    await page.selectOption('#energy', 'hybride');
    await page.fill('#monthly_cost', '489,90');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert.match(await page.textContent('#plate-error'), /Immatriculation invalide/);
    assert.equal(await page.inputValue('#make'), 'Toyota');
    assert.equal(await page.inputValue('#monthly_cost'), '489,90');
    await page.fill('#plate', plate.toLowerCase().replace(/-/g, ' '));
    await page.fill('#odometer_km', '15000');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert.match(page.url(), /\/vehicles\/[0-9a-f-]{36}/);
    assert.match(await page.textContent('h1'), new RegExp(plate));
    assert.match(await page.textContent('main'), /489,90/);
    await page.selectOption('#event-kind', 'entretien');
    await page.fill('#event-date', '2026-11-02');
    await page.fill('#event-odometer', '15500');
    await page.fill('#event-cost', '120,50');
    // The invoice goes with the event; the server checks its bytes.
    const invoice = Buffer.from('%PDF-1.4\n% facture vidange\ntrailer <</Root 1 0 R>>\n%%EOF\n');
    await page.setInputFiles('#event-attachments', { name: 'facture-vidange.pdf', mimeType: 'application/pdf', buffer: invoice });
    await Promise.all([page.waitForNavigation(), page.click('#events button[type=submit]')]);
    const timeline = await page.textContent('#events');
    assert.match(timeline, /Entretien/);
    assert.match(timeline, /120,50/);
    const link = page.locator('#events .attachments a', { hasText: 'facture-vidange.pdf' });
    assert.equal(await link.count(), 1);
    const file = await page.request.get(base + await link.getAttribute('href'));
    assert.equal(file.status(), 200);
    assert.equal(file.headers()['content-type'], 'application/pdf');
    assert.deepEqual(await file.body(), invoice);
    assert.match(await page.textContent('main'), /15\u202f500 km/);
    assert.deepEqual(await axe(page), []);
    await shot('vehicle-page');
    await page.goto(base + '/vehicles?q=' + encodeURIComponent(plate));
    assert.match(await page.textContent('table.data tbody'), new RegExp(plate));
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('vehicles-list-390');
  }],
  ['a viewer sees vehicles but no edit actions', async ({ page, base }) => {
    await signIn(page, base, 'viewer@demo.test');
    await page.goto(base + '/vehicles');
    assert.equal(await page.locator('text=Ajouter un véhicule').count(), 0);
    const res = await page.goto(base + '/vehicles/new');
    assert.equal(res.status(), 403);
  }],
];
