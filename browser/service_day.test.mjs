// A whole posyandu day in headless Chromium at 360x640, as a cadre does it on a phone:
// log in, open the day, register a new baby with its mother, weigh a stunted child and see
// "Rujuk" before saving, give a due vaccine, screen an adult with high blood pressure,
// refer, close the day; then a cadre of another posyandu cannot open that child by URL or
// by the API. Every page is checked with axe-core (no serious or critical violation) and
// screenshotted into $SHOTS (default browser/out/).
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { base, heaviest, iso, login, look, tag } from './support.mjs';

const monthsAgo = (n) => { const d = new Date(); d.setUTCMonth(d.getUTCMonth() - n); return iso(d); };
const yearsAgo = (n) => { const d = new Date(); d.setUTCFullYear(d.getUTCFullYear() - n); return iso(d); };

async function register(page, fields) {
  await page.click('text=Daftar orang baru');
  await page.fill('#name', fields.name);
  await page.check(`input[name=sex][value=${fields.sex}]`);
  await page.fill('#birth_date', fields.birth);
  if (fields.head) await page.fill('#household_head', fields.head);
}

test('a whole service day on a phone', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await login(browser, 'kader.tegalrejo.melati', 'kader-demo-2026');
    await look(page, 'beranda');

    // Open the day.
    await page.click('text=Hari buka');
    await page.fill('#kader', 'Bu Sri, Bu Ani');
    await look(page, 'buka-hari');
    await page.click('button:has-text("Buka hari")');
    await page.waitForURL(/\/hari\/[0-9a-f-]{36}$/);
    const dayUrl = page.url();
    await look(page, 'langkah-1');

    // A new mother, then her baby through "register their child".
    const mother = `Ibu Uji ${tag}`;
    await register(page, { name: mother, sex: 'P', birth: '1997-04-12', head: `Pak Uji ${tag}` });
    await look(page, 'daftar-ibu');
    await page.click('button:has-text("Simpan dan lanjut")');
    await page.waitForURL(/\/orang\//);
    await page.goto(dayUrl);
    await page.fill('#q', tag);
    await page.waitForSelector(`#hasil >> text=${mother}`);
    await look(page, 'cari');
    await page.click(`#hasil li:has-text("${mother}") >> text=Daftarkan anaknya`);
    await page.fill('#name', `Bayi ${tag}`);
    await page.check('input[name=sex][value=L]');
    await page.fill('#birth_date', monthsAgo(2));
    assert.equal(await page.inputValue('#parent_name'), mother);
    await look(page, 'daftar-bayi');
    await page.click('button:has-text("Simpan dan lanjut")');
    await page.waitForURL(/\/orang\/[0-9a-f-]{36}$/);
    const babyUrl = page.url();

    // The baby's services: the dose due today is listed first; give it.
    await page.goto(babyUrl + '/layanan');
    await look(page, 'langkah-4-bayi');
    const due = page.locator('fieldset:has-text("Imunisasi jadwal hari ini") input[name=vaccine]').first();
    const vaccine = (await page.locator('fieldset:has-text("Imunisasi jadwal hari ini") label').first().textContent())
      .replace('terlambat', '').trim();
    assert.ok(vaccine, 'a dose is due for a 2-month-old');
    await due.check();
    await page.click('button:has-text("Simpan dan lanjut")');
    await page.waitForURL(/\/konseling$/);
    await page.click('button:has-text("Selesai")');
    await page.waitForURL(dayUrl);

    // A stunted child: 24 months, 78 cm. "Rujuk" shows before anything is saved.
    await page.goto(dayUrl);
    await register(page, { name: `Anak Pendek ${tag}`, sex: 'P', birth: monthsAgo(24), head: `Pak Pendek ${tag}` });
    await page.click('button:has-text("Simpan dan lanjut")');
    await page.waitForURL(/\/orang\/[0-9a-f-]{36}$/);
    const childUrl = page.url();
    // Live classification while typing, with no request to the server.
    let requests = 0;
    const count = () => { requests += 1; };
    await page.waitForFunction(() => window.PosyanduClassify !== undefined);
    page.on('request', count);
    await page.fill('#weight_kg', '9,6');
    await page.fill('#lenhei_cm', '78');
    await page.check('input[name=measure][value=h]');
    await page.waitForSelector('.live-list li[data-code=lfa_stunted]');
    page.off('request', count);
    assert.equal(requests, 0, 'no request while typing');
    await look(page, 'langkah-2-anak');
    await page.click('button:has-text("Periksa hasil")');
    await page.waitForSelector('text=Pendek (stunting)');
    assert.ok(await page.isVisible('li.finding.rujuk'), 'rujuk before saving');
    await look(page, 'langkah-3-rujuk');
    await page.click('button:has-text("Simpan")');
    await page.waitForURL(/\/layanan$/);
    await page.click('button:has-text("Simpan dan lanjut")');
    await page.waitForURL(/\/konseling$/);
    assert.ok(await page.isChecked('input[name=refer]'), 'the referral is proposed');
    assert.match(await page.inputValue('#reason'), /Pendek/);
    await look(page, 'langkah-5-rujuk');
    await page.click('button:has-text("Selesai")');
    await page.waitForURL(dayUrl);

    // An adult with high blood pressure, referred.
    await register(page, { name: `Bapak Tensi ${tag}`, sex: 'L', birth: yearsAgo(52), head: `Bapak Tensi ${tag}` });
    await page.click('button:has-text("Simpan dan lanjut")');
    await page.waitForURL(/\/orang\/[0-9a-f-]{36}$/);
    await page.fill('#weight_kg', '72,5');
    await page.fill('#systolic', '165');
    await page.fill('#diastolic', '100');
    await look(page, 'langkah-2-dewasa');
    await page.click('button:has-text("Periksa hasil")');
    await page.waitForSelector('li.finding.rujuk');
    await look(page, 'langkah-3-hipertensi');
    await page.click('button:has-text("Simpan")');
    await page.waitForURL(/\/layanan$/);
    await page.click('button:has-text("Simpan dan lanjut")');
    await page.waitForURL(/\/konseling$/);
    await page.fill('#note', 'Kurangi garam, kontrol ke Puskesmas');
    await page.click('button:has-text("Selesai")');
    await page.waitForURL(dayUrl);
    await look(page, 'langkah-1-sudah-datang');

    // Close the day: the summary.
    await page.click('text=Tutup hari');
    await page.waitForURL(/\/tutup$/);
    const summary = await page.textContent('main');
    for (const name of [`Bayi ${tag}`, `Anak Pendek ${tag}`, `Bapak Tensi ${tag}`]) assert.ok(summary.includes(name), name);
    assert.ok(summary.includes(vaccine), `${vaccine} listed among the doses`);
    await look(page, 'ringkasan');
    // Close it: the summary says so, and the day's page no longer registers arrivals.
    await page.click('button:has-text("Tutup hari buka")');
    await page.waitForSelector('text=ditutup pukul');
    await look(page, 'ringkasan-ditutup');
    await page.goto(dayUrl);
    assert.ok((await page.textContent('main')).includes('sudah ditutup'));
    assert.equal(await page.locator('#q').count(), 0, 'no search on a closed day');
    await page.goto(`${base}/hari`);
    assert.ok((await page.textContent('main')).includes('ditutup'), 'the days list marks it closed');

    // Another posyandu's cadre: the child's page and the API answer 404, with nothing of it.
    const other = await login(browser, 'kader.tegalrejo.mawar', 'kader-demo-2026');
    const res = await other.goto(childUrl);
    assert.equal(res.status(), 404);
    assert.ok(!(await other.textContent('body')).includes('Anak Pendek'));
    await look(other, 'lain-posyandu-404');
    const personId = childUrl.split('/').pop();
    const api = await other.request.get(`${base}/api/v1/persons/${personId}`);
    assert.equal(api.status(), 404);
    assert.ok(!(await api.text()).includes('Anak Pendek'));
    console.log(`heaviest first load: ${heaviest.name}, ${heaviest.bytes} bytes`);
  } finally {
    await browser.close();
  }
});
