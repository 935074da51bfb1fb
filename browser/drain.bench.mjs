// Draining an outbox of 200 captures at 3G (issue 9 item 7; run by bench/drain.sh): the
// demo kader prepares a day on the offline page, 200 weighings of roster persons are put
// in the phone's outbox as the page queues them, Chromium's network is set to the issue's
// 3G profile (750 kbit/s down, 250 kbit/s up, 100 ms round trip), and "Kirim sekarang" is
// timed until the page says everything was sent. Prints the figures on one line.
import { chromium } from 'playwright-core';
import { base, login } from './support.mjs';

const N = Number(process.env.CAPTURES ?? 200);
const day = new Date();
day.setUTCDate(day.getUTCDate() + 2);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await login(browser, 'kader.tegalrejo.melati', 'kader-demo-2026');
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
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/sync/steps')) { requests += 1; requestBytes += (r.postData() || '').length; } });
  const t0 = Date.now();
  await page.click('[data-do=send]');
  await page.waitForFunction(() => document.querySelector('[data-out=waiting]').textContent === 'Semua sudah terkirim'
    || document.querySelectorAll('[data-out=results] li').length > 1, null, { timeout: 120_000 });
  const seconds = (Date.now() - t0) / 1000;
  const held = Math.max(0, (await page.locator('[data-out=results] li').count()) - 1);
  console.log(`outbox=${queued} requests=${requests} request_bytes=${requestBytes} held=${held} `
    + `seconds_at_3G=${seconds.toFixed(2)} (target < 10)`);
} finally {
  await browser.close();
}
