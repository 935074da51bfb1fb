/* Posyandu service worker (issue 9 item 1). The server prepends `const ASSETS = [...]`:
 * this release's scripts, styles and icons, whose URLs carry their content hash.
 *
 * - Assets: from the cache first (a hashed URL never changes), fetched and kept if absent.
 * - Pages that work offline (/luring, /hari/<day>/luring): from the network when there is
 *   signal, and kept; from the cache when not. Any other page asked for with no signal
 *   gets the kept /luring, the list of days prepared on this phone.
 * - Everything else (the API, other pages with signal) goes to the network untouched: the
 *   page's script keeps what it could not send.
 */
'use strict';

const STATIC = 'posyandu-static';
const PAGES = 'posyandu-pages';
const OFFLINE_PAGE = /^\/(luring|hari\/[0-9a-f-]{36}\/luring)$/;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC);
    await cache.addAll(ASSETS);
    const pages = await caches.open(PAGES);
    try {
      await pages.add('/luring');
    } catch (e) {
      // Not logged in yet: the page is kept on its first visit instead.
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

async function fromCacheFirst(request) {
  const cache = await caches.open(STATIC);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function page(request, keep) {
  const pages = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    // Only a real page is kept (not the login redirect's target or an error).
    if (keep && response.ok && !response.redirected) await pages.put(request, response.clone());
    return response;
  } catch (e) {
    const kept = await pages.match(request, { ignoreSearch: true });
    if (kept) return kept;
    const list = await pages.match('/luring');
    if (list) return list;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/') || url.pathname.startsWith('/icon/')) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === 'navigate') {
    event.respondWith(page(request, OFFLINE_PAGE.test(url.pathname)));
  }
});
