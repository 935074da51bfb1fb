// The dashboard (/laporan/dasbor, issue 11 item 3) in headless Chromium: the Puskesmas
// officer opens it from the home page on a 360×640 phone (this month: nobody has reported
// yet), then chooses the demo's last month with visits, reads the five charts without
// scrolling sideways, checks that the completeness tile agrees with the list of pos not
// reported and that the ranking runs from the highest value, ranks on D/S with the
// indicator form (no script needed), and opens a village from the ranking. The Dinkes officer sees the kabupaten's dashboard on a 1280×800 desktop in
// two columns. axe and a screenshot on every page (browser/out/dasbor-*.png).
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { base, login, look } from './support.mjs';

/** The month before last as `YYYY-MM`: the demo's history ends there. */
function demoMonth() {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 2);
  return d.toISOString().slice(0, 7);
}

async function noSideScroll(page, name) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${name}: the page is ${scroll} px wide on a ${width} px screen`);
}

/** The ranking's rows as [name, value text] (each row: a name link, then a value link). */
async function ranking(page) {
  return page.$$eval('svg[aria-labelledby="rank-title"] a text', (ts) => {
    const out = [];
    for (let i = 0; i + 1 < ts.length; i += 2) out.push([ts[i].textContent, ts[i + 1].textContent]);
    return out;
  });
}

/** `21,3 % · 12/56` → 21.3; `–` → -1 (nothing to divide by: ranked last). */
const percentOf = (text) => (text.includes('%') ? parseFloat(text.split(' ')[0].replace(',', '.')) : -1);

/** The completeness tile's `x/y`, and the pos listed as not reported. */
async function completeness(page) {
  const line = await page.textContent('#tile-pos strong');
  const [, x, y] = line.match(/(\d+)\/(\d+)/);
  const missing = await page.$$eval('ul.dash-missing li a', (as) => as.map((a) => a.textContent.trim()));
  return { x: +x, y: +y, missing };
}

test('the dashboard on a Puskesmas phone and a Dinkes desktop', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await login(browser, 'puskesmas.tempursari', 'puskesmas-demo-2026');
    await page.click('a[href="/laporan/dasbor"]');
    await page.waitForSelector('#h-kelengkapan');
    // This month (past the demo's data): nobody has reported yet, every pos is listed.
    const now = await completeness(page);
    assert.ok(now.y > 0 && now.y - now.x === now.missing.length, `${now.x} of ${now.y}: ${now.missing}`);
    await noSideScroll(page, 'this month');
    await look(page, 'bulan-ini', 'dasbor-');
    await page.click('details.dash-choose summary');
    await page.fill('#month', demoMonth());
    await page.click('form.dash-form button[type=submit]');
    await page.waitForSelector('#h-kelengkapan');
    assert.match(await page.textContent('h1'), new RegExp(`Puskesmas Tempursari · ${demoMonth()}`));
    const titles = await page.$$eval('.dash-card h2', (hs) => hs.map((h) => h.textContent.trim()));
    assert.equal(titles.length, 5, `${titles}`);
    for (const id of ['gizi-title', 'timbang-title', 'coverage-title', 'rank-title', 'complete-title']) {
      assert.ok(await page.$(`svg [id="${id}"]`), `chart ${id}`);
    }
    await noSideScroll(page, 'dashboard');

    // Completeness: "x of y" and the list say the same.
    const c = await completeness(page);
    assert.equal(c.y - c.x, c.missing.length, `${c.x} of ${c.y}, missing ${c.missing}`);
    assert.equal(c.y, now.y, 'the same pos in any month');

    // The ranking runs from the highest stunting prevalence, every village listed.
    const rows = await ranking(page);
    assert.ok(rows.length >= 2, `${rows}`);
    const values = rows.map(([, v]) => percentOf(v));
    assert.deepEqual(values, [...values].sort((a, b) => b - a), `sorted: ${rows}`);
    assert.ok(rows.every(([n], i) => n.startsWith(`${i + 1}. `)), `${rows}`);
    await look(page, 'puskesmas', 'dasbor-');

    // The indicator form (a plain GET): D/S instead.
    await page.selectOption('#ind', 'd_per_s');
    await page.click('form.dash-ind button[type=submit]');
    await page.waitForURL(/ind=d_per_s/);
    assert.match(await page.textContent('svg[aria-labelledby="rank-title"] title'), /D\/S/);
    const ds = (await ranking(page)).map(([, v]) => percentOf(v));
    assert.deepEqual(ds, [...ds].sort((a, b) => b - a));
    await page.locator('#h-peringkat').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${process.env.SHOTS ?? new URL('./out', import.meta.url).pathname}/dasbor-ranking-ds.png` });

    // A village's name opens its own dashboard, the same month and indicator.
    const [first] = await ranking(page);
    const village = first[0].replace(/^\d+\. /, '');
    await page.click('svg[aria-labelledby="rank-title"] a >> nth=0');
    await page.waitForSelector('#h-kelengkapan');
    assert.match(await page.textContent('h1'), new RegExp(village));
    assert.match(page.url(), /ind=d_per_s/);
    await noSideScroll(page, 'village');
    await look(page, 'desa', 'dasbor-');
    await page.context().close();

    // The Dinkes on a desktop: the kabupaten, two columns, nothing sideways.
    const desk = await login(browser, 'dinkes.lumajang', 'dinkes-demo-2026', { viewport: { width: 1280, height: 800 } });
    await desk.goto(`${base}/laporan/dasbor?month=${demoMonth()}`);
    await desk.waitForSelector('#h-kelengkapan');
    await noSideScroll(desk, 'desktop');
    const boxes = await desk.$$eval('.dash-card', (cs) => cs.slice(0, 2).map((c) => c.getBoundingClientRect()).map((r) => ({ top: r.top, left: r.left })));
    assert.equal(boxes[0].top, boxes[1].top, 'the first two charts side by side');
    assert.ok(boxes[1].left > boxes[0].left);
    const k = await completeness(desk);
    assert.equal(k.y - k.x, k.missing.length);
    await look(desk, 'dinkes-desktop', 'dasbor-');
  } finally {
    await browser.close();
  }
});
