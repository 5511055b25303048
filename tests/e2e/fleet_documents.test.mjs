// A fleet manager uploads a vehicle's insurance certificate, finds the
// reminder on « Documents à renouveler », assigns a driver to the vehicle
// and ends the assignment.  axe-clean at every step.
import assert from 'node:assert/strict';
import { fresh, inDays, pdf, randomPlate, signIn, sql } from './common.mjs';

export const tests = [
  ['upload a document, see the reminder, assign a driver (axe clean)', async ({ page, base, axe, shot }) => {
    const plate = randomPlate();
    const last = `Essai-${fresh()}`;
    const vehicle = sql(`INSERT INTO vehicles (tenant_id, plate, make, model, energy)
      SELECT id, '${plate}', 'Peugeot', '508', 'hybride' FROM tenants WHERE slug = 'demo' RETURNING id`);
    const driver = sql(`INSERT INTO drivers (tenant_id, first_name, last_name, status)
      SELECT id, 'Inès', '${last}', 'actif' FROM tenants WHERE slug = 'demo' RETURNING id`);
    await signIn(page, base, 'manager@demo.test');
    await page.goto(`${base}/vehicles/${vehicle}`);
    assert.deepEqual(await axe(page), []);

    // A text file named .pdf: refused, with the message next to the field.
    await page.selectOption('#doc-type', 'assurance');
    await page.setInputFiles('#doc-file', { name: 'faux.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pas un pdf') });
    await page.fill('#doc-expires', inDays(10));
    await Promise.all([page.waitForNavigation(), page.click('#documents form button[type=submit]')]);
    assert.match(await page.textContent('#doc-file-error'), /ni un PDF/);
    assert.equal(await page.inputValue('#doc-type'), 'assurance');
    assert.deepEqual(await axe(page), []);
    await shot('document-refused');

    // The real one.
    await page.setInputFiles('#doc-file', { name: 'attestation-assurance.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.fill('#doc-number', 'POL-2026-42');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]:has-text("Ajouter un document")')]);
    assert.match(page.url(), new RegExp(`/vehicles/${vehicle}\\?done=document#documents$`));
    const block = await page.textContent('#documents');
    assert.match(block, /attestation-assurance\.pdf/);
    assert.match(block, /Attestation d'assurance/);
    assert.match(block, /À renouveler/);
    assert.match(block, /dans \d+ jours/);
    assert.deepEqual(await axe(page), []);

    // The reminder, and the count in the navigation.
    const count = await page.textContent('.side-nav a[href="/documents/due"] .nav-count');
    assert.ok(Number(count.replace(/\D/g, '')) >= 1);
    await page.click('.side-nav a[href="/documents/due"]');
    await page.waitForURL(/\/documents\/due$/);
    const row = page.locator('#due tbody tr', { hasText: plate });
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /attestation-assurance\.pdf/);
    assert.match(await row.textContent(), /À renouveler/);
    assert.deepEqual(await axe(page), []);
    await shot('documents-due');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('documents-due-390');
    await page.setViewportSize({ width: 1280, height: 800 });

    // The file comes back as sent.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.locator('a', { hasText: 'attestation-assurance.pdf' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'attestation-assurance.pdf');

    // Assign the driver, see it, end it.
    await row.locator(`a[href^="/vehicles/${vehicle}"]`).click();
    await page.waitForURL(new RegExp(`/vehicles/${vehicle}`));
    await page.selectOption('#assign-driver', driver);
    await Promise.all([page.waitForNavigation(), page.click('#assignments form.form button[type=submit]')]);
    assert.match(await page.textContent('.kpis'), new RegExp(`Inès ${last}`));
    assert.match(await page.textContent('#assignments'), /En cours/);
    assert.deepEqual(await axe(page), []);
    await shot('vehicle-documents-assignments');
    await page.click('#assignments summary:has-text("Terminer")');
    assert.deepEqual(await axe(page), []);
    await Promise.all([page.waitForNavigation(), page.click('#assignments .confirm-panel button[type=submit]')]);
    assert.match(await page.textContent('#assignments'), /Terminée/);
    assert.doesNotMatch(await page.textContent('.kpis'), new RegExp(last));
  }],
  ['a viewer sees documents and reminders but no forms', async ({ page, base, axe }) => {
    await signIn(page, base, 'viewer@demo.test');
    await page.goto(base + '/documents/due');
    assert.deepEqual(await axe(page), []);
    const first = page.locator('#due tbody tr a[href^="/vehicles/"]').first();
    if (await first.count()) {
      await first.click();
      await page.waitForURL(/\/vehicles\//);
      assert.equal(await page.locator('#doc-file').count(), 0);
      assert.equal(await page.locator('#assign-driver').count(), 0);
    }
  }],
];
