// What the browser tests share: the server's address, screenshots with an accessibility
// check and a weight limit on every page, and logging in on a 360x640 phone.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const base = process.env.POSYANDU_URL ?? 'http://127.0.0.1:8089';
const shots = process.env.SHOTS ?? new URL('./out/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const iso = (d) => d.toISOString().slice(0, 10);
export const tag = Date.now().toString(36);

let step = 0;
export const heaviest = { name: '', bytes: 0 };

/** Screenshot (`<prefix><nn>-<name>.png`), accessibility check and weight of the page now. */
export async function look(page, name, prefix = '') {
  step += 1;
  // What a first load of this page moves over the wire: the document and everything it
  // loaded, compressed as sent (encodedBodySize is counted even when the cache served it).
  const bytes = await page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .reduce((sum, e) => sum + (e.encodedBodySize || 0) + 300, 0));
  assert.ok(bytes < 150_000, `${name}: first load ${bytes} bytes, over 150 KB`);
  if (bytes > heaviest.bytes) Object.assign(heaviest, { name, bytes });
  await page.screenshot({ path: `${shots}/${prefix}${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`), [], `axe on ${name}`);
}

/** A new phone-sized browser context (more context `options` if given), logged in as `user`. */
export async function login(browser, user, pass, options = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'id-ID', ...options });
  const page = await context.newPage();
  await page.goto(base + '/masuk');
  await page.fill('#username', user);
  await page.fill('#password', pass);
  await page.click('button[type=submit]');
  await page.waitForURL('**/beranda');
  return page;
}
