// « En direct » and the form of a live source in the browser: the board
// refreshes itself with htmx (its request answered by the fragment), both
// pages axe clean.
import assert from 'node:assert/strict';
import { signIn } from './common.mjs';

export const tests = [
  ['the live board refreshes itself and the page is axe clean', async ({ page, base, axe, shot }) => {
    await signIn(page, base, 'manager@demo.test');
    await page.goto(base + '/live');
    assert.match(await page.textContent('h1'), /En direct/);
    assert.equal(await page.getAttribute('#live-board', 'hx-trigger'), 'every 15s');
    assert.deepEqual(await axe(page), []);
    await shot('live');
    // What htmx asks for every 15 s: the board alone.
    const board = await page.evaluate(async () => {
      const r = await fetch('/live/board', { headers: { 'HX-Request': 'true' } });
      return { status: r.status, text: await r.text() };
    });
    assert.equal(board.status, 200);
    assert.match(board.text, /^\s*<div id="live-board"/);
    assert.doesNotMatch(board.text, /<html/);
  }],
  ['the Bolt source form asks for its credentials and history (axe clean)', async ({ page, base, axe }) => {
    await signIn(page, base, 'manager@demo.test');
    await page.goto(base + '/sources/new');
    await page.click('text=Bolt — API flotte (en direct)');
    assert.equal(await page.getAttribute('input[name=client_secret]', 'type'), 'password');
    assert.equal(await page.inputValue('select[name=backfill_weeks]'), '8');
    assert.deepEqual(await axe(page), []);
  }],
];
