// The monthly report (issue 11) in headless Chromium: the Puskesmas officer opens
// /laporan on a phone for the demo's last month with visits, sees each section, taps the
// D count and gets a list of exactly that many children (each a link to their record),
// opens a village from the rows below, downloads the CSV (the same S and D as the page),
// and looks at the report at 1280 wide. No page scrolls sideways.
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

/** The value cell of the row whose heading is `label`, and its link if any. */
async function cell(page, label) {
  return page.$$eval('table.report:not(.bands):not(.children) tbody tr', (trs, label) => {
    const tr = trs.find((t) => t.querySelector('th').textContent.trim() === label);
    if (!tr) return null;
    const a = tr.querySelector('td.num a');
    return { text: tr.querySelector('td.num').textContent.trim(), href: a ? a.getAttribute('href') : null };
  }, label);
}

test('the Puskesmas\' monthly report: sections, drill-down, villages, CSV, desktop', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await login(browser, 'puskesmas.tempursari', 'puskesmas-demo-2026');
    await page.click('a[href="/laporan"]');
    await page.fill('#month', demoMonth());
    await page.click('form[action="/laporan"] button[type=submit]');
    await page.waitForSelector('h3');
    const titles = await page.$$eval('.report-section h3', (hs) => hs.map((h) => h.textContent.trim()));
    for (const t of ['Penimbangan balita (SKDN)', 'Status gizi balita', 'Imunisasi bayi dan baduta', 'Ibu hamil', 'Wilayah di bawahnya']) {
      assert.ok(titles.includes(t), `section ${t} in ${titles}`);
    }
    const s = await cell(page, 'S (semua balita)');
    const d = await cell(page, 'D (ditimbang)');
    assert.ok(+d.text > 0 && +d.text <= +s.text, `D ${d.text} of S ${s.text}`);
    await noSideScroll(page, 'report');
    await look(page, 'puskesmas', 'laporan-');

    // The D count opens the children weighed: as many as the number.
    await page.click(`a[href="${d.href}"]`);
    await page.waitForSelector('h1');
    assert.equal(await page.textContent('h1'), 'D (ditimbang)');
    const rows = await page.$$eval('table.targets tbody tr', (trs) => trs.map((tr) => tr.querySelector('th a').getAttribute('href')));
    assert.equal(rows.length, +d.text);
    assert.ok(rows.every((h) => h.startsWith('/orang/')));
    await noSideScroll(page, 'drill-down');
    await look(page, 'ditimbang', 'laporan-');

    // Back, then a village of the rows below: its own report, with its posyandu below it.
    await page.goBack();
    const village = await page.$eval('table.report.children tbody th a', (a) => ({ name: a.textContent.trim(), href: a.getAttribute('href') }));
    await page.click(`table.report.children a[href="${village.href}"]`);
    await page.waitForSelector('h2');
    assert.ok((await page.textContent('h2')).startsWith(village.name));
    const posyandu = await page.$$eval('table.report.children tbody th', (ths) => ths.map((t) => t.textContent.trim()));
    assert.ok(posyandu.length > 0 && posyandu.every((n) => n.startsWith('Posyandu')), `${posyandu}`);

    // The CSV carries the village's S and D.
    const vs = await cell(page, 'S (semua balita)');
    const vd = await cell(page, 'D (ditimbang)');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.btn:text-is("CSV")')]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('bagian,kode,indikator,nilai,pembilang,penyebut'), csv.slice(0, 80));
    assert.ok(csv.includes(`,s,S,${vs.text},`) && csv.includes(`,d,D,${vd.text},`), 'the CSV has the page\'s S and D');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/laporan?month=${demoMonth()}`);
    await noSideScroll(page, 'desktop');
    await look(page, 'desktop', 'laporan-');
  } finally {
    await browser.close();
  }
});
