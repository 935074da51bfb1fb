// Logs in as an admin and screenshots the user administration pages at 360x640:
//   node admin_shot.mjs BASE USER PASS OUTDIR
// OUTDIR gets users.png (the list), new.png (the empty form), errors.png (the form after a
// bad submit), confirm.png (a deactivation opened), inactive.png (the list after it, with
// "Aktifkan lagi"), edit.png (the role and unit form), reactivated.png, changed.png, and
// *-top.png (what fits on one screen).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, user, pass, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
const shot = async (name) => {
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  await page.screenshot({ path: `${out}/${name}-top.png` });
};

await page.goto(base + '/masuk');
await page.fill('#username', user);
await page.fill('#password', pass);
await page.click('button[type=submit]');
await page.waitForURL('**/beranda');
await shot('home');

await page.goto(base + '/admin/pengguna');
await shot('users');

await page.goto(base + '/admin/pengguna/baru');
await shot('new');

// A bad submit: a space in the username, no name, a short password.
await page.fill('#username', 'kader baru');
await page.selectOption('#role', { index: 1 });
await page.selectOption('#unit', { index: 2 });
await page.fill('#password', 'pendek');
await page.fill('#password2', 'pendek');
await page.click('button[type=submit]');
await page.waitForLoadState();
await shot('errors');

// A good one, then the list names the new user.
await page.fill('#username', 'kader.foto.' + Date.now().toString(36));
await page.fill('#display_name', 'Kader Foto Sekali');
await page.fill('#password', 'melati-foto-2026');
await page.fill('#password2', 'melati-foto-2026');
await page.click('button[type=submit]');
await page.waitForURL('**/admin/pengguna?dibuat=*');
await shot('created');

const details = page.locator('details.confirm').last();
await details.locator('summary').click();
await details.scrollIntoViewIfNeeded();
await page.screenshot({ path: `${out}/confirm.png` });

// Deactivate the new user, then its row offers "Aktifkan lagi".
await details.locator('button[type=submit]').click();
await page.waitForURL('**/admin/pengguna?nonaktif=*');
const row = page.locator('li.user.changed');
await row.scrollIntoViewIfNeeded();
await shot('inactive');
await page.screenshot({ path: `${out}/inactive-row.png` });

// Its edit page: role and unit.
await row.locator('a[href$="/ubah"]').click();
await page.waitForURL('**/ubah');
await shot('edit');

// Reactivate from the list, then give another role and unit.
await page.goBack();
await page.locator('li.user.changed form[action$="/aktif"] button').click();
await page.waitForURL('**/admin/pengguna?aktif=*');
await shot('reactivated');
await page.locator('li.user.changed a[href$="/ubah"]').click();
await page.waitForURL('**/ubah');
await page.selectOption('#role', 'bidan');
await page.selectOption('#unit', { index: 1 });
await page.click('form.card button[type=submit]');
await page.waitForURL('**/admin/pengguna?diubah=*');
await shot('changed');
await browser.close();
