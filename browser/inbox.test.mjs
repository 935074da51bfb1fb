// The referral round trip (issue 10 item 8) in headless Chromium on 360x640 phones: the
// cadre refers a child at step 5 of the service day; the village midwife finds it in
// "Rujukan masuk" with the day's findings, accepts it, records the follow-up and closes
// it; the cadre then sees on the child's step 2 (and the full record) what became of it.
//
// Needs a running server with the demo loaded: POSYANDU_URL (default http://127.0.0.1:8089).
// `cargo test -p posyandu --test browser` starts one and runs this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { base, iso, login, look, tag } from './support.mjs';

const daysFromNow = (n) => { const d = new Date(); d.setUTCDate(d.getUTCDate() + n); return iso(d); };

test('a referral from the posyandu to the midwife and back', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const kader = await login(browser, 'kader.tegalrejo.melati', 'kader-demo-2026');
    await kader.goto(base + '/hari');
    await kader.fill('#date', daysFromNow(3));
    await kader.fill('#kader', 'Bu Sri');
    await kader.click('button:has-text("Buka hari")');
    await kader.waitForURL(/\/hari\/[0-9a-f-]{36}$/);
    const dayId = kader.url().split('/').pop();
    const prepared = await (await kader.request.get(`${base}/api/v1/days/${dayId}/prepare`)).json();
    const child = prepared.persons.find((p) => p.group === 'balita' && !(p.referrals || []).length);
    assert.ok(child, 'a balita without a referral');

    // Step 5: refer, with the reason the cadre writes.
    const reason = `Batuk lama, berat turun ${tag}`;
    await kader.goto(`${base}/hari/${dayId}/orang/${child.id}/konseling`);
    await kader.check('input[name=refer]');
    await kader.fill('#reason', reason);
    await kader.click('button:has-text("Selesai")');
    await kader.waitForLoadState();

    // The midwife's inbox.
    const bidan = await login(browser, 'bidan.tegalrejo', 'bidan-demo-2026');
    await bidan.click('text=Rujukan masuk');
    await bidan.waitForURL('**/rujukan');
    const card = bidan.locator('.referral', { hasText: reason });
    await card.waitFor();
    assert.match(await card.innerText(), new RegExp(child.name));
    await look(bidan, 'masuk', 'rujukan-');
    // The same inbox on a desktop: no sideways scroll, then back to the phone.
    await bidan.setViewportSize({ width: 1280, height: 900 });
    const wide = await bidan.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `the inbox is ${wide} px too wide at 1280`);
    await look(bidan, 'masuk-desktop', 'rujukan-');
    await bidan.setViewportSize({ width: 360, height: 640 });
    await card.locator('button:has-text("Terima rujukan")').click();
    await bidan.waitForURL('**/rujukan');
    const accepted = bidan.locator('.referral', { hasText: reason });
    assert.match(await accepted.innerText(), /Status: diterima/);
    await accepted.locator('input[name=note]').fill('Diperiksa dokter, rontgen dada');
    await accepted.locator('button:has-text("Catat tindak lanjut")').click();
    await bidan.waitForURL('**/rujukan');
    const followed = bidan.locator('.referral', { hasText: reason });
    await followed.locator('input[name=note]').fill('Bukan TBC, kembali ke posyandu');
    await followed.locator('button:has-text("Tandai selesai")').click();
    await bidan.waitForURL('**/rujukan');
    assert.equal(await bidan.locator('.referral', { hasText: reason }).count(), 0, 'no longer open');
    await bidan.click('nav.tabs a[href="/rujukan?status=selesai"]');
    await bidan.locator('.referral', { hasText: reason }).waitFor();
    await look(bidan, 'selesai', 'rujukan-');

    // The cadre, at the child's next step 2 and on the full record.
    await kader.goto(`${base}/hari/${dayId}/orang/${child.id}`);
    assert.match(await kader.textContent('main'), /selesai \(Bukan TBC, kembali ke posyandu\)/);
    await look(kader, 'kader-lihat', 'rujukan-');
    await kader.goto(`${base}/orang/${child.id}`);
    assert.match(await kader.textContent('main'), new RegExp(`${reason}.*selesai`));
  } finally {
    await browser.close();
  }
});
