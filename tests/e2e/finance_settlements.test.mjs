// Finance settles a week from the screens: the week's settlements, one
// driver's statement with a manual line, « Tout valider », the ledger.
import assert from 'node:assert/strict';
import { signIn } from './common.mjs';

const WEEK = '2026-W47';	// a week of the demo's imports

export const tests = [
  ['validate a week from the screen, then read the ledger (axe clean)', async ({ page, base, axe, shot }) => {
    await signIn(page, base, 'finance@demo.test');
    await page.goto(base + '/finance?week=' + WEEK);
    assert.match(await page.textContent('h1'), new RegExp(WEEK));
    assert.deepEqual(await axe(page), []);
    const rows = page.locator('#settlements tbody tr');
    assert.ok(await rows.count() > 0);
    assert.match(await page.textContent('#settlements tbody'), /Brouillon/);
    await shot('finance-week');

    // One driver's statement: the per-platform table and a manual line.
    await rows.first().locator('a').click();
    await page.waitForSelector('#statement');
    assert.match(await page.textContent('h1'), /Relevé hebdomadaire/);
    assert.deepEqual(await axe(page), []);
    const before = await page.textContent('#closing');
    await page.selectOption('#kind', 'bonus');
    await page.fill('#amount', '15,00');
    await page.fill('#reason', 'Prime de ponctualité');
    await Promise.all([page.waitForNavigation(), page.click('#line-form button[type=submit]')]);
    assert.match(await page.textContent('#lines'), /Prime de ponctualité/);
    assert.match(await page.textContent('#lines'), /15,00/);
    assert.notEqual(await page.textContent('#closing'), before);
    await shot('finance-statement');

    // Back to the week: validate everything at once.
    await page.goto(base + '/finance?week=' + WEEK);
    await Promise.all([page.waitForNavigation(), page.click('#validate-all')]);
    assert.match(await page.textContent('main'), /Semaine validée/);
    assert.doesNotMatch(await page.textContent('#settlements tbody'), /Brouillon/);
    assert.equal(await page.locator('#validate-all').count(), 0);

    // The ledger holds the week and balances.
    await page.goto(base + '/finance/ledger');
    assert.deepEqual(await axe(page), []);
    assert.equal(await page.textContent('#total-debit'), await page.textContent('#total-credit'));
    assert.match(await page.textContent('#balances'), /rent_income|commission_income/);
    await shot('finance-ledger');
  }],
  ['a manager reads the week but cannot validate it', async ({ page, base }) => {
    await signIn(page, base, 'manager@demo.test');
    await page.goto(base + '/finance?week=2026-W46');
    assert.equal(await page.locator('#validate-all').count(), 0);
    assert.ok(await page.locator('#settlements tbody tr').count() > 0);
  }],
];
