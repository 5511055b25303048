// The platform seen by a person: a French page with the layout over TLS.
import assert from 'node:assert/strict';

export const tests = [
  ['the home page leads to a French sign-in page with the layout, passing axe', async ({ page, base, axe, shot }) => {
    const res = await page.goto(base + '/');
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.ok(await page.locator('header').count() >= 1, 'header landmark');
    assert.ok(await page.locator('nav').count() >= 1, 'navigation landmark');
    assert.ok(await page.locator('main').count() === 1, 'one main landmark');
    await shot('platform-home');
    const violations = await axe(page);
    assert.deepEqual(violations, []);
  }],
  ['an unknown page shows the French 404 with the layout', async ({ page, base }) => {
    const res = await page.goto(base + '/introuvable');
    assert.equal(res.status(), 404);
    assert.match(await page.textContent('main'), /Page introuvable/);
  }],
];
