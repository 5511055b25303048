// A driver signs in from a phone and lands on their own page: the vehicle
// they drive, their documents (a file opens), their record.  axe-clean at
// a desktop width and at 375 px, where nothing overflows sideways.
import assert from 'node:assert/strict';
import { signIn, sql } from './common.mjs';

const DRIVER = 'chauffeur@demo.test';

export const tests = [
  ['a driver lands on their portal page (axe clean, 375 px)', async ({ page, base, axe, shot }) => {
    const plate = sql(`SELECT v.plate FROM assignments a JOIN vehicles v ON v.id = a.vehicle_id
      JOIN drivers d ON d.id = a.driver_id JOIN users u ON u.id = d.user_id
      WHERE u.email = '${DRIVER}' AND a.starts_at <= now() AND (a.ends_at IS NULL OR a.ends_at > now())`);
    await signIn(page, base, DRIVER, '/portal');
    assert.equal(await page.textContent('h1'), 'Mon espace');
    assert.match(await page.textContent('#vehicle'), new RegExp(plate));
    assert.ok(await page.locator('#documents .doc-list li').count() >= 1);
    assert.match(await page.textContent('#profile'), /chauffeur@demo\.test/);
    // The navigation is the portal's; the fleet's pages are not offered.
    assert.deepEqual(await page.locator('.side-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['/portal']);
    assert.deepEqual(await axe(page), []);
    await shot('portal-home');

    // Their own file opens.
    const link = page.locator('#documents .doc-list a').first();
    const name = (await link.textContent()).trim();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename().replace(/\.[a-z]+$/, ''), name.replace(/\.[a-z]+$/, ''));

    // "/" brings a driver back here.
    await page.goto(base + '/');
    assert.equal(new URL(page.url()).pathname, '/portal');

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(base + '/portal');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    assert.ok(await page.locator('#vehicle').isVisible());
    assert.deepEqual(await axe(page), []);
    await shot('portal-home-375');
  }],
];
