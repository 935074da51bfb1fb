// Draining an outbox of 200 captures at 3G (issue 9 item 7; run by bench/drain.sh): the
// demo kader prepares a day on the offline page, 200 weighings of roster persons are put
// in the phone's outbox as the page queues them, Chromium's network is set to the issue's
// 3G profile (750 kbit/s down, 250 kbit/s up, 100 ms round trip), and the page is opened
// again, which sends its outbox: timed until it says all were sent. Prints the figures.
import { chromium } from 'playwright-core';
import { base, login } from './support.mjs';

const N = Number(process.env.CAPTURES ?? 200);
const day = new Date();
day.setUTCDate(day.getUTCDate() + 2);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  // Without the service worker: Chromium's network emulation does not slow the requests
  // of a page a worker controls, and the drain does not need it (the page is loaded).
  const page = await login(browser, 'kader.tegalrejo.melati', 'kader-demo-2026', { serviceWorkers: 'block' });
  await page.goto(base + '/hari');
  await page.fill('#date', day.toISOString().slice(0, 10));
  await page.fill('#kader', 'bench');
  await page.click('button:has-text("Buka hari")');
  await page.waitForURL(/\/hari\/[0-9a-f-]{36}$/);
  const dayId = page.url().split('/').pop();
  await page.goto(`${base}/hari/${dayId}/luring`);
  await page.waitForFunction(() => document.querySelector('[data-out=prepared]').textContent.startsWith('Disiapkan'));

  // The outbox as the page fills it: one weighing per person, each with its client id.
  const queued = await page.evaluate(async ({ dayId, n }) => {
    const open = () => new Promise((ok, no) => { const r = indexedDB.open('posyandu', 1); r.onsuccess = () => ok(r.result); r.onerror = no; });
    const db = await open();
    const get = () => new Promise((ok) => { const r = db.transaction('days').objectStore('days').get(dayId); r.onsuccess = () => ok(r.result); });
    const persons = (await get()).persons.filter((p) => p.last_weight).slice(0, n);
    await new Promise((ok, no) => {
      const t = db.transaction('outbox', 'readwrite');
      persons.forEach((p) => t.objectStore('outbox').add({
        day: dayId, op: 'measurements', person: p.id, id: crypto.randomUUID(), state: 'waiting', created: new Date().toISOString(),
        body: { id: crypto.randomUUID(), readings: { weight_kg: (p.last_weight[1] + 0.1).toFixed(1), confirmed: true } },
      }));
      t.oncomplete = ok; t.onerror = no;
    });
    return persons.length;
  }, { dayId, n: N });

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 100, downloadThroughput: 750_000 / 8, uploadThroughput: 250_000 / 8,
  });
  let requestBytes = 0;
  let requests = 0;
  let requestMs = 0;
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/sync/steps')) { requests += 1; requestBytes += (r.postData() || '').length; } });
  page.on('requestfinished', (r) => {
    if (r.url().endsWith('/api/v1/sync/steps')) requestMs += r.timing().responseEnd;
  });
  // The page drains its outbox when it opens with signal: reloading it at 3G times the whole
  // of it (the page itself, the request, and storing the answers), from the reload to
  // "Semua sudah terkirim".
  const t0 = Date.now();
  await page.reload();
  await page.waitForFunction((n) => document.querySelector('[data-out=results]').textContent.includes(n + ' terkirim')
    || document.querySelectorAll('[data-out=results] li button:not([hidden])').length > 0, queued, { timeout: 120_000 });
  const seconds = (Date.now() - t0) / 1000;
  const held = await page.locator('[data-out=results] li button:not([hidden])').count();
  const waiting = await page.locator('[data-out=waiting]').innerText();
  console.log(`outbox=${queued} requests=${requests} request_bytes=${requestBytes} held=${held} after="${waiting}" `
    + `request_seconds=${(requestMs / 1000).toFixed(2)} reload_to_sent_seconds_at_3G=${seconds.toFixed(2)} (target < 10)`);
} finally {
  await browser.close();
}
