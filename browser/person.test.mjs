// The person page (issue 10 item 8) in headless Chromium, on a 360x640 phone and a
// 1280-wide desktop: a balita of the demo whose last visit found something is opened from
// the service day ("Catatan lengkap"), and shows the last findings, the immunization card
// and the visits; the kader and the bidan correct the same phone number at once and the
// kader picks between both values; a kader of another posyandu gets "not found".
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { base, iso, login, look } from './support.mjs';

const daysFromNow = (n) => { const d = new Date(); d.setUTCDate(d.getUTCDate() + n); return iso(d); };

test('a child\'s record on a phone and on a desktop', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await login(browser, 'kader.tegalrejo.melati', 'kader-demo-2026');
    await page.goto(base + '/hari');
    await page.fill('#date', daysFromNow(2));
    await page.fill('#kader', 'Bu Sri');
    await page.click('button:has-text("Buka hari")');
    await page.waitForURL(/\/hari\/[0-9a-f-]{36}$/);
    const dayId = page.url().split('/').pop();
    // A balita whose last visit found something, from what the day prepares.
    const prepared = await (await page.request.get(`${base}/api/v1/days/${dayId}/prepare`)).json();
    const child = prepared.persons.find((p) => p.group === 'balita' && p.last_findings && p.last_weight);
    assert.ok(child, 'the demo has a balita with findings');

    // From the day: the person, then "Catatan lengkap".
    await page.goto(`${base}/hari/${dayId}/orang/${child.id}`);
    await page.click('text=Catatan lengkap');
    await page.waitForURL(`**/orang/${child.id}`);
    assert.equal((await page.textContent('h1')).trim(), child.name);
    const main = await page.textContent('main');
    assert.match(main, new RegExp(`Temuan terakhir \\(${child.last_findings.date}\\)`));
    assert.match(main, /Catatan imunisasi/);
    // The KMS card: the WHO lines and the child's own line with its marks.
    assert.equal(await page.locator('svg.kms polyline').count() >= 6, true, 'six WHO lines');
    assert.ok((await page.locator('svg.kms .mark').count()) >= 1, 'the weighings are marked');
    assert.match(main, /Imunisasi dasar lengkap: (ya|belum)/);
    assert.match(main, /Riwayat kunjungan/);
    assert.ok((await page.locator('.visit').count()) >= 1, 'at least one visit');
    assert.ok(main.includes(`Berat badan ${String(child.last_weight[1]).replace('.', ',')} kg`), 'the last weighing is on it');
    await look(page, 'anak', 'orang-');

    // The same page on a Dinkes desktop.
    const wide = await login(browser, 'bidan.tegalrejo', 'bidan-demo-2026', { viewport: { width: 1280, height: 800 } });
    await wide.goto(`${base}/orang/${child.id}`);
    assert.equal((await wide.textContent('h1')).trim(), child.name);
    await look(wide, 'anak-desktop', 'orang-');

    // Two people correct the same child at once: the kader and the bidan both open the
    // form, the bidan saves a phone number first; the kader's different number comes back
    // with both values, and she picks.
    await page.click('text=Ubah data');
    await page.waitForURL(`**/orang/${child.id}/ubah`);
    await wide.click('text=Ubah data');
    await wide.fill('#phone', '081311112222');
    await wide.click('button:has-text("Simpan perubahan")');
    await wide.waitForURL(`**/orang/${child.id}`);
    await page.fill('#phone', '081244445555');
    await look(page, 'ubah', 'orang-');
    await page.click('button:has-text("Simpan perubahan")');
    await page.waitForURL(`**/orang/${child.id}/ubah`);
    const conflict = await page.textContent('main');
    assert.match(conflict, /Data ini juga diubah orang lain/);
    assert.ok(conflict.includes('081244445555') && conflict.includes('081311112222'), conflict);
    await look(page, 'konflik', 'orang-');
    await page.click('button:has-text("Pakai nilai tersimpan")');
    await page.waitForURL(`**/orang/${child.id}`);
    assert.match(await page.textContent('main'), /HP 081311112222/);

    // Another posyandu's kader: the same address says "not found".
    const other = await login(browser, 'kader.tegalrejo.mawar', 'kader-demo-2026');
    const res = await other.goto(`${base}/orang/${child.id}`);
    assert.equal(res.status(), 404);
    assert.ok(!(await other.textContent('main')).includes(child.name));
  } finally {
    await browser.close();
  }
});
