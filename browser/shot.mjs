// Screenshot of one page at a phone's size: node shot.mjs URL OUT.png [width] [height]
import { chromium } from 'playwright-core';
const [url, out, w = '360', h = '640'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
await page.goto(url);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
