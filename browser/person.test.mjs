// The person page (issue 10 item 8) in headless Chromium, on a 360x640 phone and a
// 1280-wide desktop: a balita of the demo whose last visit found something is opened from
// the service day ("Catatan lengkap"), and shows the last findings, the growth charts (the
// KMS page of the child's age first), the immunization card and the visits, fits the phone
// without scrolling sideways and prints (print media screenshot and a PDF); a school child
// has the BMI- and height-for-age charts; the kader and the bidan correct the same phone
// number at once and the kader picks between both values; a kader of another posyandu gets
// "not found".
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { base, iso, login, look } from './support.mjs';

// Where support.mjs puts its screenshots (it creates the folder).
const shots = process.env.SHOTS ?? new URL('./out/', import.meta.url).pathname;

/** Nothing wider than the viewport (no sideways scroll), every chart inside it. */
async function fits(page) {
  const { scroll, width, charts } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
    charts: [...document.querySelectorAll('figure.growth svg')].map((s) => s.getBoundingClientRect().right),
  }));
  assert.ok(scroll <= width, `page ${scroll} px wide in a ${width} px window`);
  assert.ok(charts.length >= 1 && charts.every((r) => r <= width), `charts end at ${charts}`);
}

/** The page as printed: controls hidden, each chart as wide as the paper and short enough
 * to stay on one A4 page; a print-media screenshot at the paper's width (A4 less 1 cm
 * margins: 19 cm, 718 px) and a PDF. */
async function printed(page, name) {
  const screen = page.viewportSize();
  await page.setViewportSize({ width: 718, height: 1047 });
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await page.locator('.row-buttons').isVisible(), false, 'no buttons on paper');
    assert.equal(await page.locator('header.top').isVisible(), false, 'no navigation on paper');
    const figures = await page.locator('figure.growth').evaluateAll((fs) => fs.map((f) => ({
      avoid: getComputedStyle(f).breakInside,
      width: f.querySelector('svg').getBoundingClientRect().width,
      height: f.getBoundingClientRect().height,
    })));
    for (const f of figures) {
      assert.equal(f.avoid, 'avoid', 'a chart is not split across pages');
      assert.ok(f.height <= 1047, `a chart ${f.height} px high fits a page`);
      assert.ok(f.width >= 600, `a chart ${f.width} px wide on paper`);
    }
    await page.screenshot({ path: `${shots}/orang-${name}-cetak.png`, fullPage: true });
    const pdf = await page.pdf({ path: `${shots}/orang-${name}.pdf`, format: 'A4', printBackground: true, margin: { top: '1cm', bottom: '1cm', left: '1cm', right: '1cm' } });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages > figures.length, `${pages} PDF pages for ${figures.length} charts and the record`);
  } finally {
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(screen);
  }
}

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
    // The growth charts: the KMS page of the child's age first, with the WHO lines (−3,
    // −2, 0, +1, +2 SD), the child's weighings marked, the latest weighing in words.
    assert.match(main, /Grafik pertumbuhan/);
    const first = page.locator('figure.growth').first();
    assert.match(await first.getAttribute('id'), /^grafik-chart-kind-wfa-(0-24|24-60)$/);
    assert.match(await first.locator('h3').textContent(), /^KMS berat badan menurut umur/);
    assert.equal(await first.locator('svg polyline.z-line').count(), 5, 'five WHO lines');
    assert.ok((await first.locator('svg .point .mark').count()) >= 1, 'the weighings are marked');
    assert.match(await first.locator('figcaption').textContent(), /^Terakhir: \d+ bln, [\d,]+ kg \(/);
    await fits(page);
    assert.match(main, /Imunisasi dasar lengkap: (ya|belum)/);
    assert.match(main, /Riwayat kunjungan/);
    assert.ok((await page.locator('.visit').count()) >= 1, 'at least one visit');
    assert.ok(main.includes(`Berat badan ${String(child.last_weight[1]).replace('.', ',')} kg`), 'the last weighing is on it');
    await look(page, 'anak', 'orang-');
    await printed(page, 'anak');

    // The same page on a Dinkes desktop.
    const wide = await login(browser, 'bidan.tegalrejo', 'bidan-demo-2026', { viewport: { width: 1280, height: 800 } });
    await wide.goto(`${base}/orang/${child.id}`);
    assert.equal((await wide.textContent('h1')).trim(), child.name);
    await fits(wide);
    await look(wide, 'anak-desktop', 'orang-');

    // A school child or adolescent weighed and measured at a screening: BMI- and
    // height-for-age (WHO 2007), no KMS.
    const pupil = prepared.persons.find((p) => (p.group === 'usia_sekolah' || p.group === 'remaja') && p.last_weight);
    assert.ok(pupil, 'the demo has a school child with a weight');
    await page.goto(`${base}/orang/${pupil.id}`);
    const ids = await page.locator('figure.growth').evaluateAll((fs) => fs.map((f) => f.id));
    assert.deepEqual(ids, ['grafik-chart-kind-bmi', 'grafik-chart-kind-hfa']);
    assert.ok((await page.locator('#grafik-chart-kind-bmi .point').count()) >= 1, 'the BMI is drawn');
    await fits(page);
    await look(page, 'sekolah', 'orang-');

    // A balita over two years with a year of weighings: the 24-60 month page first.
    const older = prepared.persons.find((p) => p.group === 'balita' && p.last_weight && Date.now() - Date.parse(p.birth_date) > 900 * 864e5);
    assert.ok(older, 'the demo has a balita over two years');
    await page.goto(`${base}/orang/${older.id}`);
    assert.equal(await page.locator('figure.growth').first().getAttribute('id'), 'grafik-chart-kind-wfa-24-60');
    await fits(page);
    await look(page, 'balita-besar', 'orang-');
    await page.goto(`${base}/orang/${child.id}`);

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
