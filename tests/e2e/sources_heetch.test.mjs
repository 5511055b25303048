// A fleet manager adds a Heetch source, clicks « Se connecter », types
// the code Heetch sent by SMS (read from the fake, as from a phone) and
// sees the first run load the week; a wrong code first says so.  The
// fake (tests/fakes/heetch.py) runs on FAKE_HEETCH_PORT, where the stack
// looks for Heetch.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fresh, signIn } from './common.mjs';

const fakes = join(dirname(fileURLToPath(import.meta.url)), '..', 'fakes');

// The fake in its own process; resolves once it listens.
function startFake() {
  const port = process.env.FAKE_HEETCH_PORT;
  const child = spawn('python3', [join(fakes, 'heetch.py'), '--port', port],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', () => resolve({ child, base: `http://127.0.0.1:${port}` }));
  });
}

async function control(fake, op, body) {
  const r = await fetch(`${fake.base}/_fake/${op}`, { method: 'POST', body: JSON.stringify(body) });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text);
}

// The Monday of the last complete week in Paris, "YYYY-MM-DD".
function lastMonday() {
  const paris = new Date(new Date().toLocaleString('en-US', { timeZone: 'Europe/Paris' }));
  paris.setDate(paris.getDate() - ((paris.getDay() + 6) % 7) - 7);
  return `${paris.getFullYear()}-${String(paris.getMonth() + 1).padStart(2, '0')}-${String(paris.getDate()).padStart(2, '0')}`;
}

export const tests = [
  ['add a Heetch source, log in with the SMS code, see the first run (axe clean)', async ({ page, base, axe, shot }) => {
    const fake = await startFake();
    try {
      const p = fresh();
      const acct = await control(fake, 'account', {
        weeks: { [lastMonday()]: [{ email: `nadia.${p}@example.fr` }, { email: `paul.${p}@example.fr`, first: 'Paul' }] },
      });
      await signIn(page, base, 'manager@demo.test');
      await page.goto(base + '/sources/new?type=heetch_portal');
      await page.fill('#name', `Heetch e2e ${p}`);
      await page.fill('#field-phone_number', acct.phone);
      await page.fill('#field-password', acct.password);
      await page.selectOption('#field-backfill_weeks', '1');
      await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
      assert.match(page.url(), /\/sources\/[0-9a-f-]{36}\?done=created/);
      assert.match(await page.textContent('#session-state'), /Non connectée/);
      assert.deepEqual(await axe(page), []);

      await Promise.all([page.waitForNavigation(), page.click('#login-button')]);
      // The job runner asks Heetch; the block refreshes itself until the
      // code is awaited.
      await page.waitForSelector('#sms-code', { timeout: 30000 });
      assert.match(await page.textContent('#sms-code-help'), /Le code expire/);
      assert.deepEqual(await axe(page), []);
      await shot('heetch-sms-code');

      await page.fill('#sms-code', '000000');
      await Promise.all([page.waitForNavigation(), page.click('#sms-button')]);
      await page.waitForSelector('#sms-code', { timeout: 30000 });
      assert.match(await page.textContent('#session-message'), /Code SMS incorrect/);

      const { code } = await control(fake, 'sms', { phone: acct.phone });
      await page.fill('#sms-code', code);
      await Promise.all([page.waitForNavigation(), page.click('#sms-button')]);
      await page.waitForFunction(() => /Connectée/.test(document.querySelector('#session-state')?.textContent || ''),
        null, { timeout: 30000 });
      assert.match(await page.textContent('#session-path'), /code SMS/);
      // The first run, started by the login, ends successfully.
      for (let i = 0; i < 120; i++) {
        await page.reload();
        const runs = await page.textContent('#runs').catch(() => '');
        if (/Réussie/.test(runs)) break;
        await page.waitForTimeout(500);
      }
      assert.match(await page.textContent('#runs'), /Réussie/);
      assert.deepEqual(await axe(page), []);
      await shot('heetch-connected');
    } finally {
      fake.child.kill('SIGTERM');
    }
  }],
];
