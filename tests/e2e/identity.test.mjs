// Identity in the browser: sign in through the form, the French dashboard,
// members, API tokens and profile pages free of axe violations, a token
// shown once, sign out.
import assert from 'node:assert/strict';

async function signIn(page, base, email, password = 'fleetcore-demo') {
  await page.goto(base + '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
}

async function axeClean(page, axe, what) {
  const violations = await axe(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
}

export const tests = [
  ['an owner signs in, sees the French dashboard, members, tokens and profile, creates a token once, signs out', async ({ page, base, axe, shot }) => {
    await signIn(page, base, 'admin@demo.test');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal((await page.textContent('h1')).trim(), 'Tableau de bord');
    assert.equal((await page.textContent('.org-name')).trim(), 'VTC Démo Paris');
    assert.match(await page.textContent('.user-menu summary'), /Alice Martin/);
    await axeClean(page, axe, 'dashboard');
    await shot('identity-dashboard');

    await page.goto(base + '/members');
    assert.equal((await page.textContent('h1')).trim(), 'Membres');
    assert.match(await page.textContent('table.data'), /manager@demo\.test/);
    await axeClean(page, axe, 'members');
    await shot('identity-members');

    await page.goto(base + '/tokens');
    await axeClean(page, axe, 'tokens');
    const name = `e2e-${Date.now()}`;
    await page.fill('#token-name', name);
    await page.check('input[name=scope][value=write]');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/tokens"] button[type=submit]')]);
    const token = (await page.textContent('#new-token')).trim();
    assert.match(token, /^fc_[A-Za-z0-9_-]{43}$/);
    assert.match(await page.textContent('.flash-warning'), new RegExp(name));
    await axeClean(page, axe, 'tokens with the new token');
    await shot('identity-token-created');
    // The token works on the API, and the list never shows it again.
    const me = await page.request.get(base + '/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(me.status(), 200);
    assert.equal((await me.json()).data.scope, 'write');
    await page.goto(base + '/tokens');
    assert.equal(await page.locator('#new-token').count(), 0);
    const list = await page.content();
    assert.ok(list.includes(name), 'listed by name');
    assert.ok(list.includes(token.slice(0, 11)), 'listed by prefix');
    assert.ok(!list.includes(token), 'never shown again');

    await page.goto(base + '/profile');
    assert.equal((await page.textContent('h1')).trim(), 'Mon profil');
    assert.equal(await page.inputValue('#email'), 'admin@demo.test');
    await axeClean(page, axe, 'profile');
    await shot('identity-profile');

    await page.click('.user-menu summary');
    await Promise.all([page.waitForNavigation(), page.click('.user-menu button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.match(await page.textContent('main'), /Vous êtes déconnecté/);
    await page.goto(base + '/members');
    assert.equal(new URL(page.url()).pathname, '/login', 'signed out for good');
  }],
  ['a wrong password shows the generic message, accessibly', async ({ page, base, axe, shot }) => {
    await signIn(page, base, 'viewer@demo.test', 'pas-le-bon-mot-de-passe');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal((await page.textContent('[role=alert]')).trim(), 'Adresse e-mail ou mot de passe incorrect.');
    assert.equal(await page.inputValue('#email'), 'viewer@demo.test');
    assert.equal(await page.inputValue('#password'), '');
    await axeClean(page, axe, 'sign-in error');
    await shot('identity-login-error');
  }],
];
