// Browser tests: Debian's Chromium driven by playwright-core against the
// stack that tests/run-all started.  Each tests/e2e/*.test.mjs exports
// `tests`, an array of [name, async ({ page, base, axe, shot }) => {}].
// Ends with one line: "e2e: N passed, N failed".
import { readdir } from 'node:fs/promises';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const base = `https://localhost:${process.env.HTTPS_PORT || 8443}`;
const shots = join(here, 'screenshots');
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

// Without the background-networking flags Chromium keeps trying hosts
// this machine cannot reach.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Runs axe-core in the page; returns the violations (WCAG 2.1 A and AA).
async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

let passed = 0;
let failed = 0;
const files = (await readdir(here)).filter((f) => f.endsWith('.test.mjs')).sort();
const only = process.argv.slice(2);
for (const file of files) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const { tests } = await import(join(here, file));
  for (const [name, fn] of tests) {
    // bypassCSP only lets the test inject axe-core; the policy itself is
    // checked by the integration tests.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', bypassCSP: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const shot = (label, size) => page.screenshot({ path: join(shots, `${label}.png`), fullPage: true, ...(size || {}) });
    try {
      await fn({ page, context, browser, base, axe, shot });
      if (errors.length) throw new Error(`JavaScript errors: ${errors.join('; ')}`);
      passed++;
      console.log(`ok   ${file} › ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${file} › ${name}\n     ${String(e.stack || e).split('\n').slice(0, 6).join('\n     ')}`);
    } finally {
      await context.close();
    }
  }
}
await browser.close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
