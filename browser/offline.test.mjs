// The service day with no signal (issue 9 item 6), in headless Chromium at 360x640: two
// phones prepare the day on "wifi" and go offline (the browser context's network off). On
// the kader's: reload, change a child's phone number, weigh her with live classification
// and refer her, answer a lansia's questionnaires, register a new baby, weigh, vaccinate and refer it, reload again (nothing
// lost), close the day; back online the outbox drains by itself. The bidan's phone changed
// the same child's name and phone number offline: the name is merged, the number waits in
// the review list. The server has exactly one of everything, also after the same outbox
// is sent a second time. Logging out wipes the phone's copy (asking first about anything
// unsent).
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { base, iso, login, look, tag } from './support.mjs';

const daysFromNow = (n) => { const d = new Date(); d.setUTCDate(d.getUTCDate() + n); return iso(d); };
const text = (page, sel) => page.locator(sel).innerText();
const baby = `Bayi Luring ${tag}`;

test('a service day with no signal, sent once when the signal returns', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await login(browser, 'kader.tegalrejo.melati', 'kader-demo-2026');
    const context = page.context();
    // Tomorrow's day: the other browser test closes today's.
    await page.goto(base + '/hari');
    await page.fill('#date', daysFromNow(1));
    await page.fill('#kader', 'Bu Sri');
    await page.click('button:has-text("Buka hari")');
    await page.waitForURL(/\/hari\/[0-9a-f-]{36}$/);
    const dayId = page.url().split('/').pop();
    // What the server has of the day (a re-run on the same server starts from its counts).
    const check = async () => {
      const summary = await (await page.request.get(`${base}/api/v1/days/${dayId}/summary`)).json();
      const found = await (await page.request.get(`${base}/api/v1/days/${dayId}/search?q=${encodeURIComponent(baby)}`)).json();
      const day = await (await page.request.get(`${base}/api/v1/days/${dayId}`)).json();
      return {
        came: summary.came.map((p) => p.name).sort(),
        referred: summary.referred.length,
        doses: summary.doses_total,
        babies: found.length,
        closed: Boolean(day.day.closed_at),
      };
    };
    const before = await check();

    // Prepare on the Puskesmas wifi.
    await page.click('text=Mode tanpa sinyal (HP)');
    await page.waitForURL(`**/hari/${dayId}/luring`);
    await page.waitForFunction(() => document.querySelector('[data-out=prepared]').textContent.startsWith('Disiapkan'));
    await page.evaluate(() => navigator.serviceWorker.ready);
    const prepared = await text(page, '[data-out=prepared]');
    await look(page, 'siap', 'luring-');

    // A second phone (the bidan's) prepares the same day.
    const phoneB = await login(browser, 'bidan.tegalrejo', 'bidan-demo-2026');
    await phoneB.goto(`${base}/hari/${dayId}/luring`);
    await phoneB.waitForFunction(() => document.querySelector('[data-out=prepared]').textContent.startsWith('Disiapkan'));

    // No signal from here on, on both phones; a reload still opens the day from the phone.
    await phoneB.context().setOffline(true);
    await context.setOffline(true);
    const reloaded = await page.reload();
    assert.ok(reloaded.fromServiceWorker(), 'the page came from the service worker');
    assert.equal(await page.evaluate(() => fetch('/healthz').then(() => 'reached', () => 'no network')), 'no network');
    await page.waitForFunction(() => document.querySelector('[data-out=prepared]').textContent.startsWith('Disiapkan'));
    assert.equal(await text(page, '[data-out=prepared]'), prepared);
    assert.match(await text(page, '[data-out=net]'), /Tanpa sinyal/);
    // The app opened from the home screen with no signal: the start page falls back to the
    // list of days prepared on this phone, which leads back to this one.
    await page.goto(base + '/beranda');
    await page.waitForSelector('[data-out=days] li');
    assert.match(await page.textContent('main'), /sudah disiapkan/);
    await look(page, 'daftar-hari', 'luring-');
    await page.click('[data-out=days] a');
    await page.waitForURL(`**/hari/${dayId}/luring`);
    await page.waitForFunction(() => document.querySelector('[data-out=prepared]').textContent.startsWith('Disiapkan'));

    // A child of the roster: live classification from the prepared cut-points, then refer.
    const row = page.locator('[data-out=persons] li', { hasText: 'Balita' }).first();
    const child = (await row.locator('strong').innerText()).trim();
    await row.click();
    await page.waitForSelector('[data-view=person]:not([hidden])');
    assert.equal(await text(page, '[data-view=person] h2'), child);
    const childId = page.url().split('#orang/').pop();
    // Her mother's phone number, changed on this phone.
    await page.click('[data-out=edit-box] summary');
    await page.fill('#e-phone', '081200000001');
    await page.click('[data-form=person_edit] button[type=submit]');
    assert.ok(await page.locator('#m-head_cm').isVisible(), 'the balita form has head circumference');
    assert.ok(!(await page.locator('#m-systolic').isVisible()), 'and no blood pressure');
    await page.fill('#m-weight_kg', '4,5');
    await page.waitForSelector('[data-classify-out]:not([hidden]) li');
    const live = await page.locator('[data-classify-out] li').allInnerTexts();
    assert.ok(live.length > 0, 'live classification shows something for 4.5 kg');
    if (await page.locator('[data-recheck]').isVisible()) await page.check('[data-recheck] input');
    await look(page, 'anak-ukur', 'luring-');
    await page.click('[data-form=measurements] button[type=submit]');
    await page.check('[data-form=counselling] input[name=refer]');
    await page.fill('#c-reason', 'Berat badan sangat kurang');
    await page.click('[data-form=counselling] button[type=submit]');
    await page.waitForSelector('[data-view=list]:not([hidden])');

    // A lansia: her form has the questionnaires due at her age (TB, SRQ-20, PUMA, ADL,
    // SKILAS); a questionnaire left closed is not sent as asked.
    await page.fill('[data-in=search]', 'lansia');
    const elder = page.locator('[data-out=persons] li').first();
    const elderName = (await elder.locator('strong').innerText()).trim();
    await elder.click();
    await page.waitForSelector('[data-view=person]:not([hidden])');
    const due = await page.locator('[data-q]:not([hidden]) summary').allInnerTexts();
    assert.equal(due.length, 5, `${due}`);
    await page.fill('#m-systolic', '150');
    await page.fill('#m-diastolic', '95');
    await page.click('[data-q=srq20] summary');
    for (const i of [1, 2, 3, 4, 5, 6]) await page.check(`[data-q=srq20] input[value="${i}"]`);
    await page.click('[data-q=barthel] summary');
    await page.fill('#m-barthel', '10');
    await look(page, 'lansia', 'luring-');
    await page.click('[data-form=measurements] button[type=submit]');
    await page.click('[data-form=counselling] button[type=submit]');
    await page.waitForSelector('[data-view=list]:not([hidden])');

    // A pregnant woman's new baby, registered from her page into her household, weighed,
    // vaccinated and referred, all on the phone.
    await page.fill('[data-in=search]', 'hamil');
    const mother = page.locator('[data-out=persons] li').first();
    const motherName = (await mother.locator('strong').innerText()).trim();
    await mother.click();
    await page.waitForSelector('[data-view=person]:not([hidden])');
    const motherId = page.url().split('#orang/').pop();
    await page.click('[data-do=register-child]');
    await page.waitForSelector('[data-view=new]:not([hidden])');
    assert.equal(await text(page, '[data-out=mother]'), motherName);
    assert.ok(!(await page.locator('#r-head').isVisible()), 'her household, no new one');
    await page.fill('#r-name', baby);
    await page.check('[data-form=register] input[name=sex][value=L]');
    await page.fill('#r-birth', daysFromNow(-60));
    await look(page, 'daftar', 'luring-');
    await page.click('[data-form=register] button[type=submit]');
    await page.waitForSelector('[data-view=person]:not([hidden])');
    assert.equal(await text(page, '[data-view=person] h2'), baby);
    assert.deepEqual(await page.locator('[data-q]:not([hidden])').evaluateAll((qs) => qs.map((q) => q.dataset.q)),
      ['tb_symptoms'], 'a baby registered here gets a balita\'s form');
    assert.ok(!(await page.locator('#m-systolic').isVisible()), 'and no blood pressure');
    await page.fill('#m-weight_kg', '5,1');
    await page.fill('#m-lenhei_cm', '57');
    await page.check('[data-form=measurements] input[name=measure][value=l]');
    await page.click('[data-form=measurements] button[type=submit]');
    await page.click('[data-out=other-vaccines] summary');
    await page.check('[data-form=services] input[value=BCG]');
    await page.click('[data-form=services] button[type=submit]');
    await page.check('[data-form=counselling] input[name=refer]');
    await page.fill('#c-reason', 'Belum pernah imunisasi');
    await look(page, 'bayi', 'luring-');
    await page.click('[data-form=counselling] button[type=submit]');
    await page.waitForSelector('[data-view=list]:not([hidden])');

    // A reload with no signal loses nothing: the child's phone number, weight, referral; the
    // baby's registration, weight, vaccine and referral.
    await page.reload();
    await page.waitForFunction(() => /menunggu/.test(document.querySelector('[data-out=waiting]').textContent));
    assert.equal(await text(page, '[data-out=waiting]'), '9 menunggu dikirim');
    await page.fill('[data-in=search]', baby);
    assert.equal(await page.locator('[data-out=persons] li').count(), 1, 'the new baby is on the phone list');
    await page.fill('[data-in=search]', '');
    page.once('dialog', (d) => d.accept());
    await page.click('[data-do=close]');
    await page.waitForFunction(() => document.querySelector('[data-out=waiting]').textContent === '10 menunggu dikirim');
    await look(page, 'antrean', 'luring-');

    // The signal returns: the outbox drains by itself, in one request.
    const sent = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/v1/sync/steps')) sent.push(r.postData()); });
    await context.setOffline(false);
    const drained = () => document.querySelector('[data-out=waiting]').textContent === 'Semua sudah terkirim';
    // A baby of an earlier run on the same server may look like this one: the server holds
    // the registration (and the baby's later steps) until the cadre says it is someone else.
    await page.waitForFunction(() => document.querySelector('[data-out=waiting]').textContent === 'Semua sudah terkirim'
      || document.querySelector('[data-out=results] button:not([hidden])'), null, { timeout: 20000 });
    const anyway = page.locator('[data-out=results] button:has-text("tetap daftarkan")');
    const decided = (await anyway.count()) > 0;
    if (decided) {
      await look(page, 'mungkin-sama', 'luring-');
      await anyway.click();
    }
    await page.waitForFunction(drained, null, { timeout: 20000 });
    await look(page, 'terkirim', 'luring-');
    // The server applied the rules to the lansia's answers: SRQ-20 ≥ 6 and ADL 10.
    const results = await text(page, '[data-out=results]');
    assert.match(results, new RegExp(`${elderName}[^\\n]*SRQ-20 ≥ 6`), results);
    assert.match(results, /ketergantungan sedang/i, results);
    assert.equal(sent.length, decided ? 2 : 1, 'one request for the whole outbox (and one after the decision)');
    assert.ok(!(await text(page, '[data-out=persons]')).includes('belum terkirim'), 'the baby is no longer marked unsent');
    assert.ok(await page.locator('[data-out=closed]').isVisible(), 'the day shows as closed');
    assert.ok(!(await page.locator('[data-do=close]').isVisible()));

    // The bidan's phone changed the same child offline: her name (only there) and the
    // phone number (differently): the name is merged, the number waits for review.
    const childNow = `${child} Putri`;
    await phoneB.goto(`${base}/hari/${dayId}/luring#orang/${childId}`);
    await phoneB.waitForSelector('[data-view=person]:not([hidden])');
    await phoneB.click('[data-out=edit-box] summary');
    await phoneB.fill('#e-name', childNow);
    await phoneB.fill('#e-phone', '081300000002');
    await phoneB.click('[data-form=person_edit] button[type=submit]');
    await phoneB.waitForFunction(() => document.querySelector('[data-out=waiting]').textContent === '1 menunggu dikirim');
    await phoneB.context().setOffline(false);
    await phoneB.waitForFunction(() => document.querySelector('[data-out=waiting]').textContent === 'Semua sudah terkirim', null, { timeout: 20000 });
    assert.match(await text(phoneB, '[data-out=results]'), /tinjauan/);
    await look(phoneB, 'hp-kedua', 'luring-');
    const [newBaby] = await (await page.request.get(`${base}/api/v1/days/${dayId}/search?q=${encodeURIComponent(baby)}`)).json();
    const mum = await (await page.request.get(`${base}/api/v1/persons/${motherId}`)).json();
    assert.deepEqual([newBaby.parent_name, newBaby.household_id], [motherName, mum.household_id], 'the baby is in her household');
    const merged = await (await page.request.get(`${base}/api/v1/persons/${childId}`)).json();
    assert.equal(merged.name, childNow, 'the name changed on one phone only is merged');
    await phoneB.goto(`${base}/tinjau`);
    const review = await phoneB.textContent('main');
    assert.ok(review.includes(childNow) && review.includes('081200000001') && review.includes('081300000002'), review);
    await look(phoneB, 'tinjau', 'luring-');

    // Exactly one of everything on the server, also after the same outbox comes again.
    const csrf = await page.getAttribute('#offline', 'data-csrf');
    const first = await check();
    assert.ok(first.came.includes(baby) && first.came.includes(childNow), `${first.came}`);
    assert.deepEqual(
      { referred: first.referred - before.referred, doses: first.doses - before.doses, babies: first.babies, closed: first.closed },
      { referred: 2, doses: 1, babies: 1, closed: true },
    );
    const again = await page.request.post(`${base}/api/v1/sync/steps`, {
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      data: sent[0],
    });
    assert.equal(again.status(), 200);
    assert.deepEqual(await check(), first, 'the same outbox twice stores nothing twice');

    // Logging out leaves no health data on a shared phone, and asks first when something
    // saved with no signal has not been sent: a note saved offline, then the phone back
    // on the home page with signal.
    await page.goto(`${base}/hari/${dayId}/luring#orang/${childId}`);
    await page.waitForSelector('[data-view=person]:not([hidden])');
    await context.setOffline(true);
    await page.fill('#c-note', 'Catatan belum terkirim');
    await page.click('[data-form=counselling] button[type=submit]');
    await page.waitForFunction(() => document.querySelector('[data-out=waiting]').textContent === '1 menunggu dikirim');
    await context.setOffline(false);
    await page.goto(base + '/beranda');
    const stored = () => page.evaluate(async () => ({
      db: (await indexedDB.databases()).some((d) => d.name === 'posyandu'),
      caches: (await caches.keys()).length,
    }));
    assert.deepEqual(await stored(), { db: true, caches: 2 });
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
    await page.click('button:has-text("Keluar")');
    await page.waitForTimeout(300);
    assert.match(asked, /^1 catatan di HP ini belum terkirim/);
    assert.ok(page.url().endsWith('/beranda'), 'still logged in after "cancel"');
    page.once('dialog', (d) => d.accept());
    await page.click('button:has-text("Keluar")');
    await page.waitForURL('**/masuk');
    assert.deepEqual(await stored(), { db: false, caches: 0 }, 'nothing of the day is left on the phone');
  } finally {
    await browser.close();
  }
});
