// The register upload (issue 10 item 6) in headless Chromium: the Puskesmas officer opens
// "Unggah register" from the start page, uploads a CSV with one bad row, sees the row named
// by line, column and value before anything is stored, saves the good rows, and uploading
// the same file again adds nothing. Screenshots at 360x640 and 1280 wide in browser/out/.
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { login, look, tag } from './support.mjs';

const dmy = (daysAgo) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
};

// Names unique to this run (letters only), so the test can run again on the same server.
const who = tag.replace(/[0-9]/g, (c) => 'abcdefghij'[c]);
const register = [
  'Nama Anak;JK;Tgl Lahir;Nama Ibu;Desa;Posyandu;Tgl Ukur;BB;TB',
  `Ayu ${who};P;${dmy(420)};Ibu Ayu ${who};Tegalrejo;Melati;${dmy(7)};8,6;74,1`,
  `Bima ${who};L;${dmy(700)};Ibu Bima ${who};Tegalrejo;Melati;${dmy(7)};10,9;81`,
  `Citra ${who};P;${dmy(300)};Ibu Citra ${who};Tegalrejo;Melati;${dmy(7)};delapan;70`,
].join('\n') + '\n';
const file = { name: `register-melati-${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(register) };

const counts = async (page) => Promise.all(['count-new', 'count-existing', 'count-bad']
  .map(async (id) => Number(await page.locator(`#${id}`).innerText())));

test('a register upload: preview with the bad row named, then saved, then nothing new', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await login(browser, 'puskesmas.tempursari', 'puskesmas-demo-2026');
    await page.click('text=Unggah register');
    await page.waitForURL('**/unggah');
    await look(page, 'form', 'unggah-');
    await page.setInputFiles('#file', file);
    await page.click('button:has-text("Periksa berkas")');
    await page.locator('#upload-counts').waitFor();
    assert.deepEqual(await counts(page), [2, 0, 1]);
    const problems = await page.locator('#upload-problems').innerText();
    assert.match(problems, /Baris 4, kolom BB: “delapan”/);
    assert.match(problems, /bukan angka/);
    assert.match(problems, new RegExp(`Citra ${who}`), 'whose row it is');
    await look(page, 'pratinjau', 'unggah-');
    await page.setViewportSize({ width: 1280, height: 800 });
    await look(page, 'pratinjau-lebar', 'unggah-');
    await page.setViewportSize({ width: 360, height: 640 });

    await page.click('#upload-save');
    await page.locator('#upload-done').waitFor();
    assert.deepEqual(await counts(page), [2, 0, 1]);
    assert.match(await page.locator('#upload-done').innerText(), /Orang baru 2, penimbangan baru 2/);
    await look(page, 'disimpan', 'unggah-');

    // The same file again: every good row is already stored, nothing to save.
    await page.click('text=Unggah berkas lain');
    await page.setInputFiles('#file', file);
    await page.click('button:has-text("Periksa berkas")');
    await page.locator('#upload-nothing-new').waitFor();
    assert.deepEqual(await counts(page), [0, 2, 1]);
    assert.equal(await page.locator('#upload-save').count(), 0);
    await look(page, 'lagi', 'unggah-');
    await page.setViewportSize({ width: 1280, height: 800 });
    await look(page, 'lagi-lebar', 'unggah-');
  } finally {
    await browser.close();
  }
});
