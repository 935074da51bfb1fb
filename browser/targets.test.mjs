// A target list (issue 10 item 8) in headless Chromium: the bidan opens /sasaran on her
// phone, chooses the list of doses due and overdue for her village and the demo's last
// month with visits, sees the rows, sorts by age (both ways), downloads the CSV (its header
// row and row count are the page's) and the XLSX (a zip, "PK"), and looks at the same list
// at 1280 wide and as printed. No page scrolls sideways: a wide table scrolls in its box.
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { base, login, look } from './support.mjs';

/** RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) as rows of cells. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** The month before last as `YYYY-MM`: the demo's history ends there. */
function demoMonth() {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 2);
  return d.toISOString().slice(0, 7);
}

/** The page does not scroll sideways (a table may, inside its own box). */
async function noSideScroll(page, name) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${name}: the page is ${scroll} px wide on a ${width} px screen`);
}

const bodyCells = (page) => page.$$eval('table.targets tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));

test('the bidan\'s list of doses due: rows, sorting, CSV, XLSX, phone, desktop and print', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await login(browser, 'bidan.tegalrejo', 'bidan-demo-2026', { acceptDownloads: true });
    await page.goto(base + '/sasaran');
    assert.equal((await page.textContent('h1')).trim(), 'Daftar sasaran');
    const month = demoMonth();
    await page.selectOption('#list', 'imunisasi');
    // Her own unit (the village) is the first, the posyandu under it follow.
    const units = await page.$$eval('#unit option', (os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
    assert.ok(units.length > 1, 'the village and its posyandu');
    await page.selectOption('#unit', units[0].value);
    await page.fill('#month', month);
    await page.click('button:has-text("Tampilkan")');
    await page.waitForURL(new RegExp(`/sasaran\\?list=imunisasi&unit=${units[0].value}&month=${month}`));
    assert.equal((await page.textContent('h2')).trim(), 'Imunisasi saatnya dan terlambat');
    const headers = await page.$$eval('table.targets thead th', (ths) => ths.map((th) => th.textContent.trim()));
    assert.deepEqual(headers, ['Nama', 'Tanggal lahir', 'Umur (bulan)', 'Terlambat', 'Saatnya', 'Kunjungan terakhir', 'No. HP (ibu)', 'Posyandu']);
    const rows = await bodyCells(page);
    assert.ok(rows.length >= 1, 'the village has children with doses due');
    assert.match(await page.textContent('main'), new RegExp(`${rows.length} orang · keadaan per ${month}-\\d\\d`));
    // Every row names a child (a link to the record) and what is due or overdue.
    assert.equal(await page.locator('table.targets tbody th a[href^="/orang/"]').count(), rows.length);
    assert.ok(rows.every((r) => r[3] !== '' || r[4] !== ''), 'each row has a dose overdue or due');
    await noSideScroll(page, 'list at 360');
    await look(page, 'imunisasi', 'sasaran-');

    // Sort by age: ascending, then descending, by value (numbers as numbers).
    await page.click('table.targets thead th >> text=Umur (bulan)');
    await page.waitForURL(/&sort=2$/);
    assert.equal(await page.getAttribute('table.targets thead th:nth-child(3)', 'aria-sort'), 'ascending');
    const ages = (await bodyCells(page)).map((r) => Number(r[2]));
    assert.equal(ages.length, rows.length);
    assert.deepEqual(ages, [...ages].sort((a, b) => a - b), 'youngest first');
    await page.click('table.targets thead th >> text=Umur (bulan)');
    await page.waitForURL(/&sort=2&desc=1$/);
    assert.equal(await page.getAttribute('table.targets thead th:nth-child(3)', 'aria-sort'), 'descending');
    const down = (await bodyCells(page)).map((r) => Number(r[2]));
    assert.deepEqual(down, [...ages].sort((a, b) => b - a), 'oldest first');
    await look(page, 'imunisasi-urut', 'sasaran-');

    // The CSV: the page's headers, one line per row, ISO dates.
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('a.btn:has-text("CSV")')]);
    assert.match(csvDownload.suggestedFilename(), new RegExp(`^sasaran-imunisasi-${month}\\.csv$`));
    const csv = parseCsv(readFileSync(await csvDownload.path(), 'utf8'));
    assert.deepEqual(csv[0], headers, 'the CSV header row is the page\'s');
    assert.equal(csv.length - 1, rows.length, 'as many CSV rows as on the page');
    assert.ok(csv.slice(1).every((r) => r.length === headers.length && /^\d{4}-\d{2}-\d{2}$/.test(r[1])), 'birth dates as ISO dates');
    const names = (rs) => rs.map((r) => r[0]).sort();
    assert.deepEqual(names(csv.slice(1)), names(rows), 'the same children');

    // The XLSX: a non-empty zip.
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.click('a.btn:has-text("Excel")')]);
    assert.match(xlsxDownload.suggestedFilename(), new RegExp(`^sasaran-imunisasi-${month}\\.xlsx$`));
    const xlsx = readFileSync(await xlsxDownload.path());
    assert.ok(xlsx.length > 1000, `an XLSX of ${xlsx.length} bytes`);
    assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');

    // Printed: the whole table, no controls.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('form.no-print').isVisible(), false, 'no form on paper');
    assert.equal(await page.locator('table.targets').isVisible(), true);
    await look(page, 'imunisasi-cetak', 'sasaran-');
    await page.emulateMedia({ media: 'screen' });

    // Another list on the phone: children not weighed for two months or more.
    await page.selectOption('#list', 'tidak-ditimbang');
    await page.click('button:has-text("Tampilkan")');
    await page.waitForURL(/list=tidak-ditimbang/);
    assert.equal((await page.textContent('h2')).trim(), 'Balita tidak ditimbang 2 bulan atau lebih');
    await noSideScroll(page, 'not weighed at 360');
    await look(page, 'tidak-ditimbang', 'sasaran-');

    // The same list on a desktop, 1280 wide.
    const wide = await login(browser, 'bidan.tegalrejo', 'bidan-demo-2026', { viewport: { width: 1280, height: 800 } });
    await wide.goto(`${base}/sasaran?list=imunisasi&unit=${units[0].value}&month=${month}`);
    assert.equal((await bodyCells(wide)).length, rows.length);
    await noSideScroll(wide, 'list at 1280');
    await look(wide, 'imunisasi-desktop', 'sasaran-');
  } finally {
    await browser.close();
  }
});
