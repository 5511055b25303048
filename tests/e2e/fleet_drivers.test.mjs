// A fleet manager onboards a driver through the three steps of the wizard:
// a refused step keeps what was typed, the documents step takes the VTC
// card's scan, leaving half-way can be resumed from the list, finishing
// makes the driver active and offers the portal invitation.
import assert from 'node:assert/strict';
import { fresh, inDays, pdf, signIn } from './common.mjs';

async function submit(page, selector = 'main form.form button[type=submit]') {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

export const tests = [
  ['onboard a driver in three steps, resume, finish and invite (axe clean)', async ({ page, base, axe, shot }) => {
    const last = `Intégration-${fresh()}`;
    const email = `${fresh()}@chauffeurs.test`;
    await signIn(page, base, 'manager@demo.test');
    await page.goto(base + '/drivers');
    await Promise.all([page.waitForNavigation(), page.click('text=Ajouter un chauffeur')]);
    assert.match(await page.textContent('h1'), /Intégration/);
    assert.deepEqual(await axe(page), []);

    // Step 1, refused: a phone number that is none; what was typed stays.
    await page.fill('#first_name', 'Yasmine');
    await page.fill('#last_name', last);
    await page.fill('#phone', '12');
    await page.fill('#email', email);
    await submit(page);
    assert.ok(await page.isVisible('#phone-error'));
    assert.equal(await page.inputValue('#last_name'), last);
    assert.equal(await page.getAttribute('#phone', 'aria-invalid'), 'true');
    assert.deepEqual(await axe(page), []);

    const digits = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    await page.fill('#phone', `06 ${digits.replace(/(..)(?=.)/g, '$1 ')}`);
    await submit(page);
    assert.match(new URL(page.url()).pathname, /\/onboarding\/2$/);
    assert.equal(await page.getAttribute('[aria-current=step]', 'aria-current'), 'step');

    // Step 2: the VTC card's scan goes up and the step comes back.
    await page.selectOption('#doc-type', 'carte_vtc');
    await page.setInputFiles('#doc-file', { name: 'carte-vtc.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.fill('#doc-expires', inDays(400));
    await submit(page, '#documents form button[type=submit]');
    assert.match(new URL(page.url()).pathname, /\/onboarding\/2$/);
    assert.match(await page.textContent('.flash'), /Document ajouté/);
    assert.match(await page.textContent('#documents'), /carte-vtc\.pdf/);
    assert.deepEqual(await axe(page), []);
    await shot('driver-onboarding-documents');

    // Leave half-way: the list offers to resume.
    await page.fill('#vtc_card_number', 'VTC-075-2026-01234');
    await page.fill('#vtc_card_expiry', inDays(400));
    await page.fill('#licence_number', '120375100234');
    await page.fill('#licence_expiry', inDays(3000));
    await submit(page);
    assert.match(new URL(page.url()).pathname, /\/onboarding\/3$/);
    await page.goto(`${base}/drivers?q=${encodeURIComponent(last)}`);
    const row = page.locator('tbody tr', { hasText: last });
    assert.match(await row.textContent(), /Candidat/);
    await Promise.all([page.waitForNavigation(), row.locator('text=Reprendre l\'intégration').click()]);
    assert.match(new URL(page.url()).pathname, /\/onboarding\/3$/);

    // Step 3, refused: an IBAN whose check digits are wrong.
    await page.selectOption('#collaboration', 'location_auto_entrepreneur');
    await page.fill('#weekly_rent', '250,00');
    await page.fill('#start_date', inDays(0));
    await page.fill('#iban', 'FR7630006000011234567890188');
    await submit(page);
    assert.ok(await page.isVisible('#iban-error'));
    assert.equal(await page.inputValue('#weekly_rent'), '250,00');
    await page.fill('#iban', 'FR7630006000011234567890189');
    await submit(page);

    // Finished: active, and the portal invitation is offered.
    assert.match(await page.textContent('.flash'), /maintenant actif/);
    assert.match(await page.textContent('main'), /Actif/);
    assert.match(await page.textContent('main'), /250,00/);
    assert.deepEqual(await axe(page), []);
    await submit(page, '#portal form button[type=submit]');
    assert.match(await page.textContent('.flash'), new RegExp(`envoyée à ${email.replace('.', '\\.')}`));
    await shot('driver-onboarded');
  }],

  ['a viewer sees the drivers but cannot add or onboard one', async ({ page, base }) => {
    await signIn(page, base, 'viewer@demo.test');
    await page.goto(base + '/drivers');
    assert.equal(await page.locator('text=Ajouter un chauffeur').count(), 0);
    const r = await page.goto(base + '/drivers/new');
    assert.equal(r.status(), 403);
  }],
];
