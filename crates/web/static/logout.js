/* Logging out wipes this phone's copy of the record (the server answers with
 * Clear-Site-Data: the prepared days, the outbox, the cached pages): a capture not yet
 * sent would go with it, so the cadre is asked first, with the count. Decides nothing else. */
(function () {
  'use strict';
  const form = document.querySelector('form[data-unsent-warning]');
  if (!form || !window.indexedDB || !indexedDB.databases) return;

  // Items in the offline outbox; 0 when this phone never prepared a day.
  async function unsent() {
    const dbs = await indexedDB.databases();
    if (!dbs.some((d) => d.name === 'posyandu')) return 0;
    return new Promise((resolve) => {
      const open = indexedDB.open('posyandu');
      open.onerror = () => resolve(0);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('outbox')) { db.close(); return resolve(0); }
        const count = db.transaction('outbox', 'readonly').objectStore('outbox').count();
        count.onsuccess = () => { db.close(); resolve(count.result); };
        count.onerror = () => { db.close(); resolve(0); };
      };
    });
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = await unsent();
    const text = form.getAttribute('data-unsent-warning').split('{n}').join(String(n));
    if (n === 0 || window.confirm(text)) form.submit();
  });
})();
