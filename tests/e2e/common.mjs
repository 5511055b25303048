// What several browser tests share: signing in as a demo person, SQL
// against the stack's database, and small generators of test values.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

// Signs in with the demo password and checks the page it lands on: the
// dashboard, or the portal for a driver.
export async function signIn(page, base, email, landing = '/') {
  await page.goto(base + '/login');
  await page.fill('#email', email);
  await page.fill('#password', 'fleetcore-demo');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, landing);
}

// SQL as the stack's superuser; the first column of the answer.
export function sql(query) {
  const v = process.env.VAR || 'var';
  const args = ['-h', `${v}/run`, '-U', 'postgres', '-d', 'fleetcore', '-X', '-q', '-At',
    '-v', 'ON_ERROR_STOP=1', '-c', query];
  const out = process.getuid && process.getuid() === 0
    ? execFileSync('runuser', ['-u', 'fleetcore', '--', 'psql', ...args])
    : execFileSync('psql', args);
  return out.toString().trim();
}

export const fresh = () => Math.random().toString(16).slice(2, 10).padEnd(8, '0');

// A French SIV plate nobody has yet (letters without I, O, U, W; "SS" is
// never issued and the application refuses it).
export function randomPlate() {
  const L = 'ABCDEFGHJKLMNPQRSTVXYZ';
  const pair = () => {
    for (;;) {
      const p = L[Math.floor(Math.random() * L.length)] + L[Math.floor(Math.random() * L.length)];
      if (p !== 'SS') return p;
    }
  };
  return `${pair()}-${100 + Math.floor(Math.random() * 899)}-${pair()}`;
}

// The date n days from today, as a date input takes it.
export function inDays(n) {
  return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
}

// The smallest file the server recognises as a PDF by its bytes.
export const pdf = Buffer.from('%PDF-1.4\n1 0 obj <</Type/Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
