// Logs in and screenshots the start page at 360x640: node login_shot.mjs BASE USER PASS OUT.png
import { chromium } from 'playwright-core';
const [base, user, pass, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
await page.goto(base + '/masuk');
await page.fill('#username', user);
await page.fill('#password', pass);
await page.click('button[type=submit]');
await page.waitForURL('**/beranda');
await page.screenshot({ path: out, fullPage: true });
await browser.close();
