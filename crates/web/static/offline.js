/* Posyandu offline service day (issue 9 item 1): stores, shows and sends; decides nothing.
 *
 * - "Siapkan hari buka" keeps the server's prepared day (/api/v1/days/<day>/prepare: the
 *   roster with each person's group, last weighing, offer of services and cut-points) in
 *   IndexedDB, and the page itself in the cache, so a reload with no signal still works.
 * - Every step saved goes into the outbox as the very body its online endpoint takes, with
 *   a client id; the outbox drains in order through /api/v1/sync/steps when there is
 *   signal (on its own, and on the button), and each answer is shown. The server applies
 *   the rules on arrival; live classification is classify.js comparing with cut-points.
 * - An item the server did not store stays in the outbox, marked, with the server's message
 *   and, where the cadre can decide (a re-check, a possible duplicate), a button for it.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- IndexedDB

  const DB_NAME = 'posyandu';
  let dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const r = indexedDB.open(DB_NAME, 1);
        r.onupgradeneeded = () => {
          r.result.createObjectStore('days', { keyPath: 'id' });
          const o = r.result.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
          o.createIndex('day', 'day');
        };
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    }
    return dbPromise;
  }

  // Runs fn(store) in one transaction; resolves with fn's request result once committed.
  async function tx(name, mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const t = d.transaction(name, mode);
      const r = fn(t.objectStore(name));
      t.oncomplete = () => resolve(r ? r.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }

  const getDay = (id) => tx('days', 'readonly', (s) => s.get(id));
  const putDay = (day) => tx('days', 'readwrite', (s) => s.put(day));
  const allDays = () => tx('days', 'readonly', (s) => s.getAll());
  const outboxOf = (day) => tx('outbox', 'readonly', (s) => s.index('day').getAll(day));
  const allOutbox = () => tx('outbox', 'readonly', (s) => s.getAll());
  const putItem = (item) => tx('outbox', 'readwrite', (s) => s.put(item));
  const deleteItem = (seq) => tx('outbox', 'readwrite', (s) => s.delete(seq));

  // ---------------------------------------------------------------- page helpers

  let M = {};
  const fmt = (key, vals) => Object.keys(vals || {})
    .reduce((text, k) => text.split('{' + k + '}').join(vals[k]), M[key] || key);
  const $ = (root, sel) => root.querySelector(sel);
  const out = (root, name) => $(root, '[data-out="' + name + '"]');

  function fromTemplate(id, slots) {
    const node = document.getElementById(id).content.firstElementChild.cloneNode(true);
    Object.keys(slots).forEach((k) => {
      const el = node.querySelector('[data-slot="' + k + '"]');
      if (el) el.textContent = slots[k];
    });
    return node;
  }

  // A form's fields as the endpoint's JSON: text trimmed (blank left out), a checkbox
  // marked data-list collects its value into an array, value="true" gives a boolean, any
  // other checked box its value; data-int values are whole numbers (else sent as typed,
  // for the server to name); a dotted name nests ("puma.cough"); a data-ask block (a
  // questionnaire) with nothing ticked or typed was not asked and is left out; data-nest
  // puts it all under that key.
  function formBody(form) {
    const body = {};
    const filled = (el) => (el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value.trim() !== '');
    const unasked = new Set(Array.from(form.querySelectorAll('[data-ask]'))
      .filter((block) => !Array.from(block.querySelectorAll('input')).some(filled)));
    const slot = (name) => {
      const path = name.split('.');
      const key = path.pop();
      return [path.reduce((o, k) => (o[k] = o[k] || {}), body), key];
    };
    const typed = (el, v) => {
      if (!el.hasAttribute('data-int')) return v;
      const n = Number(v);
      return Number.isInteger(n) ? n : v;
    };
    form.querySelectorAll('input[name], textarea[name], select[name]').forEach((el) => {
      if (el.closest('[hidden]') || unasked.has(el.closest('[data-ask]'))) return;
      const [obj, key] = slot(el.name);
      if (el.type === 'checkbox') {
        if (el.hasAttribute('data-list')) {
          obj[key] = obj[key] || [];
          if (el.checked) obj[key].push(typed(el, el.value));
        } else if (el.value === 'true') {
          obj[key] = el.checked;
        } else if (el.checked && el.value) {
          obj[key] = el.value;
        }
      } else if (el.type === 'radio') {
        if (el.checked) obj[key] = el.value;
      } else if (el.value.trim() !== '') {
        obj[key] = typed(el, el.value.trim());
      }
    });
    const nest = form.getAttribute('data-nest');
    return nest ? { [nest]: body } : body;
  }

  const uuid = () => crypto.randomUUID();

  // ---------------------------------------------------------------- the day page

  function dayPage(root) {
    const dayId = root.getAttribute('data-day');
    const csrf = root.getAttribute('data-csrf');
    let day = null;
    let person = null;
    // The mother whose child the register form is for (her household and her as mother).
    let motherOf = null;
    let sending = false;
    let lastSent = 0;
    // What the server answered for the steps sent while this page is open, newest first.
    const log = [];

    const showNet = () => { out(root, 'net').textContent = navigator.onLine ? M.online : M.offline; };

    function showPrepared() {
      out(root, 'prepared').textContent = day
        ? fmt('prepared', { n: day.persons.length, time: new Date(day.prepared_at).toLocaleString() })
        : M['not-prepared'];
    }

    async function prepare() {
      out(root, 'prepared').textContent = M.preparing;
      try {
        const res = await fetch('/api/v1/days/' + dayId + '/prepare', { credentials: 'same-origin' });
        if (res.status === 401) throw new Error(M['login-again']);
        if (!res.ok) throw new Error(M['prepare-failed']);
        const data = await res.json();
        const before = (await getDay(dayId)) || { persons: [] };
        const known = new Set(data.persons.map((p) => p.id));
        // People registered on this phone and not yet sent stay on the list.
        const local = before.persons.filter((p) => p.local && !known.has(p.id));
        day = {
          id: dayId,
          title: $(document, 'h1').textContent,
          prepared_at: new Date().toISOString(),
          persons: data.persons.concat(local),
          tables: data.tables || null,
          newcomers: data.newcomers || [],
          closed: Boolean(data.day.closed_at) || Boolean(before.closed),
        };
        await putDay(day);
        // The page itself, for a reload with no signal (the worker may not control it yet).
        if ('caches' in window) {
          const pages = await caches.open('posyandu-pages');
          await pages.add(location.pathname);
        }
        showPrepared();
        renderList();
      } catch (e) {
        out(root, 'prepared').textContent = e.message || M['prepare-failed'];
      }
    }

    // ------------------------------------------------ the outbox

    async function queue(op, personId, body) {
      await putItem({ day: dayId, op: op, person: personId, body: body, id: uuid(), state: 'waiting', created: new Date().toISOString() });
      await showOutbox();
      send();
    }

    function nameOf(id) {
      const p = day && day.persons.find((x) => x.id === id);
      return p ? p.name : '';
    }

    async function showOutbox(note) {
      const items = await outboxOf(dayId);
      out(root, 'waiting').textContent = items.length ? fmt('waiting', { n: items.length }) : M['none-waiting'];
      const list = out(root, 'results');
      while (list.firstChild) list.removeChild(list.firstChild);
      if (note) list.appendChild(fromTemplate('t-result', { what: note, message: '' }));
      items.filter((i) => i.state === 'held').forEach((item) => {
        const li = fromTemplate('t-result', {
          what: M['op-' + item.op] + (item.person ? ' · ' + nameOf(item.person) : ''),
          message: item.message || '',
        });
        const button = $(li, '[data-slot="action"]');
        if (item.action) {
          button.textContent = M[item.action];
          button.hidden = false;
          button.addEventListener('click', () => decide(item));
        }
        list.appendChild(li);
      });
      log.slice(0, 20).forEach((entry) => list.appendChild(fromTemplate('t-result', entry)));
    }

    // A stored step's answer in a few words: what the rules found in a measurement, a
    // change that waits for review, else "stored".
    function resultOf(body) {
      if (body && Array.isArray(body.findings) && body.findings.length) {
        return body.findings.map((f) => f.label).join(', ');
      }
      if (body && Array.isArray(body.reviews) && body.reviews.length) return M['edit-review'];
      return M.stored;
    }

    // What the list shows once the server has a step: a registration no longer "new", a
    // closed day without its close button.
    async function noteStored(item) {
      if (!day || (item.op !== 'register' && item.op !== 'close')) return;
      const p = day.persons.find((x) => x.id === item.person);
      if (item.op === 'register' && p) p.local = false;
      if (item.op === 'close') day.closed = true;
      await putDay(day);
      showClosed();
      renderList();
    }

    function showClosed() {
      const closed = Boolean(day && day.closed) || root.getAttribute('data-closed') === 'true';
      $(root, '[data-do="close"]').hidden = closed;
      out(root, 'closed').hidden = !closed;
    }

    // The cadre's decision on a held item, then it is sent again.
    async function decide(item) {
      if (item.action === 'confirm-recheck') item.body.readings.confirmed = true;
      if (item.action === 'register-anyway') item.body.not_a_duplicate = true;
      item.state = 'waiting';
      item.action = null;
      item.message = '';
      await putItem(item);
      send();
    }

    async function send() {
      if (sending || !navigator.onLine) return;
      sending = true;
      try {
        const items = await outboxOf(dayId);
        const held = new Set(items.filter((i) => i.state === 'held').map((i) => i.person));
        const ready = items.filter((i) => i.state === 'waiting' && !held.has(i.person)
          && !(i.op === 'close' && held.size > 0));
        let sent = 0;
        for (let start = 0; start < ready.length; start += 200) {
          const chunk = ready.slice(start, start + 200);
          out(root, 'waiting').textContent = M.sending;
          const res = await fetch('/api/v1/sync/steps', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify({
              steps: chunk.map((i) => ({ id: i.id, op: i.op, day: i.day, person: i.person, body: i.body })),
            }),
          });
          if (res.status === 401 || res.status === 403) {
            await showOutbox(M['login-again']);
            return;
          }
          if (!res.ok) throw new Error('HTTP ' + res.status);
          const answer = await res.json();
          for (const r of answer.results) {
            const item = chunk.find((i) => i.id === r.id);
            if (!item) continue;
            const stored = r.status >= 200 && r.status < 300
              && !(item.op === 'register' && r.body && r.body.stored === false);
            if (stored) {
              await deleteItem(item.seq);
              sent += 1;
              await noteStored(item);
              log.unshift({ what: M['op-' + item.op] + (item.person ? ' · ' + nameOf(item.person) : ''), message: resultOf(r.body) });
            } else if (r.status !== 424) {
              item.state = 'held';
              const similar = item.op === 'register' && r.body && r.body.similar;
              item.message = similar
                ? M.similar + ' ' + similar.map((x) => x.name || x.unit_name).join(', ')
                : (r.body && r.body.message) || 'HTTP ' + r.status;
              item.action = item.op === 'measurements' && r.body && r.body.error === 'recheck' ? 'confirm-recheck'
                : item.op === 'register' && r.status === 200 ? 'register-anyway' : 'retry';
              await putItem(item);
            }
          }
        }
        lastSent += sent;
        await showOutbox(lastSent ? fmt('sent', { n: lastSent }) : '');
      } catch (e) {
        await showOutbox(M['send-failed']);
      } finally {
        sending = false;
      }
    }

    // ------------------------------------------------ views

    function renderList() {
      const list = out(root, 'persons');
      while (list.firstChild) list.removeChild(list.firstChild);
      if (!day) return;
      const q = $(root, '[data-in="search"]').value.trim().toLowerCase();
      day.persons
        // By name, parent's name or group ("hamil" lists the pregnant women).
        .filter((p) => !q || [p.name, p.parent_name, M['group-' + p.group]]
          .some((v) => (v || '').toLowerCase().includes(q)))
        // A short list until the cadre types: the close button stays in reach.
        .slice(0, q ? 50 : 20)
        .forEach((p) => {
          const li = fromTemplate('t-person', { name: p.name, detail: detailOf(p) });
          $(li, 'a').setAttribute('href', '#orang/' + p.id);
          list.appendChild(li);
        });
    }

    function detailOf(p) {
      const parts = [p.local ? M.new : M['group-' + p.group] || '', p.birth_date];
      if (p.parent_name) parts.push(p.parent_name);
      if (p.last_weight) parts.push(fmt('last-weight', { kg: p.last_weight[1], date: p.last_weight[0] }));
      return parts.filter(Boolean).join(' · ');
    }

    function show(view) {
      root.querySelectorAll('[data-view]').forEach((v) => { v.hidden = v.getAttribute('data-view') !== view; });
      window.scrollTo(0, 0);
    }

    async function route() {
      const hash = location.hash;
      if (hash === '#baru') {
        const view = $(root, '[data-view="new"]');
        out(view, 'mother-line').hidden = !motherOf;
        out(view, 'mother').textContent = motherOf ? motherOf.name : '';
        // A child of a registered mother joins her household.
        out(view, 'new-household').hidden = Boolean(motherOf && motherOf.record && motherOf.record.household_id);
        $(view, '[name=parent_name]').value = motherOf ? motherOf.name : '';
        return show('new');
      }
      motherOf = null;
      const m = /^#orang\/([0-9a-f-]{36})$/.exec(hash);
      person = m && day ? day.persons.find((p) => p.id === m[1]) : null;
      if (!person) {
        renderList();
        return show('list');
      }
      // No arrival is queued for opening a person: the first step saved records the visit
      // (as its endpoint does), and a person opened by mistake has not come.
      openPerson();
      show('person');
    }

    let cuts = null;

    function openPerson() {
      const view = $(root, '[data-view="person"]');
      out(view, 'name').textContent = person.name;
      out(view, 'detail').textContent = detailOf(person);
      view.querySelectorAll('form').forEach((f) => f.reset());
      const refs = person.referrals || [];
      const refList = out(view, 'referrals');
      while (refList.firstChild) refList.removeChild(refList.firstChild);
      refs.forEach((r) => {
        const li = document.createElement('li');
        li.textContent = r.referred_on + ' · ' + r.reason + ' · ' + (M['ref-' + r.status] || r.status)
          + (r.note ? ' (' + r.note + ')' : '');
        refList.appendChild(li);
      });
      out(view, 'referrals-box').hidden = refs.length === 0;
      const home = person.household;
      out(view, 'household').hidden = !home;
      out(view, 'household').textContent = home ? fmt('household', { head: home.head }) + (home.address ? ' · ' + home.address : '') : '';
      // Last visit's findings, in the words of the live classification.
      const last = person.last_findings;
      const labels = JSON.parse($(view, '[data-classify-out]').getAttribute('data-labels') || '{}');
      const found = out(view, 'findings');
      while (found.firstChild) found.removeChild(found.firstChild);
      (last ? last.codes : []).forEach((code) => {
        const li = document.createElement('li');
        li.textContent = labels[code] || code;
        found.appendChild(li);
      });
      out(view, 'findings-title').textContent = last ? fmt('last-findings', { date: last.date }) : '';
      out(view, 'findings-box').hidden = !last;
      // The questionnaires due (rules.md §8), closed until the cadre opens one.
      view.querySelectorAll('[data-q]').forEach((q) => {
        q.hidden = !(person.questionnaires || []).includes(q.getAttribute('data-q'));
        q.open = false;
      });
      // The fields of the person's group; all of them when the phone cannot tell.
      view.querySelectorAll('[data-field]').forEach((f) => {
        f.hidden = Boolean(person.group) && !f.getAttribute('data-groups').split(' ').includes(person.group);
      });
      const C = window.PosyanduClassify;
      cuts = person.cutpoints && C ? (C.join ? C.join(person.cutpoints, day.tables) : person.cutpoints) : null;
      out(view, 'no-live').hidden = Boolean(cuts);
      classifyNow();
      // Step 4: what the server offers this person today.
      const offer = person.offer || { due: [] };
      const dueBox = out(view, 'due');
      const other = out(view, 'other-vaccines');
      view.querySelectorAll('[data-vaccine]').forEach((label) => {
        const due = offer.due.find((d) => d.code === label.getAttribute('data-vaccine'));
        $(label, '.late').hidden = !(due && due.overdue);
        (due ? dueBox : other).appendChild(label);
      });
      out(view, 'due-box').hidden = offer.due.length === 0;
      // A woman's child is registered from her page, into her household.
      out(view, 'child-box').hidden = person.sex !== 'P' || person.group === 'balita';
      // Editing needs the server's record as its base: not for someone registered here.
      out(view, 'edit-box').hidden = !person.record;
      out(view, 'edit-box').open = false;
      if (person.record) {
        const edit = $(view, '[data-form="person_edit"]');
        ['name', 'phone', 'nik'].forEach((k) => { edit.elements[k].value = person.record[k] || ''; });
      }
      const vitaminA = $(view, '[data-offer="vitamin_a"]');
      vitaminA.hidden = !offer.vitamin_a;
      $(vitaminA, 'input').value = offer.vitamin_a || '';
      out(vitaminA, 'capsule').textContent = offer.vitamin_a ? '(' + M['capsule-' + offer.vitamin_a] + ')' : '';
      $(view, '[data-offer="deworming"]').hidden = !offer.deworming;
      $(view, '[data-offer="iron_tablets"]').hidden = !offer.iron_tablets;
      $(view, '[data-offer="kia_book"]').hidden = !offer.kia_book;
    }

    function classifyNow() {
      const form = $(root, '[data-form="measurements"]');
      const C = window.PosyanduClassify;
      const list = $(form, '[data-classify-out]');
      let recheck = false;
      if (cuts && C && C.readForm) {
        const result = C.classify(cuts, C.readForm(form));
        C.render(list, result);
        recheck = result.recheck;
      } else {
        list.hidden = true;
      }
      $(form, '[data-recheck]').hidden = !recheck;
    }

    function flash(form) {
      const note = document.createElement('p');
      note.className = 'notice';
      note.setAttribute('role', 'status');
      note.textContent = M.saved;
      form.appendChild(note);
      setTimeout(() => note.remove(), 2500);
    }

    function bindForms() {
      const measure = $(root, '[data-form="measurements"]');
      measure.addEventListener('input', classifyNow);
      measure.addEventListener('change', classifyNow);
      ['measurements', 'services', 'counselling'].forEach((op) => {
        const form = $(root, '[data-form="' + op + '"]');
        form.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          if (!person) return;
          const body = Object.assign({ id: uuid() }, formBody(form));
          await queue(op, person.id, body);
          flash(form);
          form.reset();
          classifyNow();
          if (op === 'counselling') location.hash = '';
        });
      });
      const edit = $(root, '[data-form="person_edit"]');
      edit.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (!person || !person.record) return;
        const typed = formBody(edit);
        // The server's copy stays the base until a new prepare; the phone shows the edit.
        const base = person.base || person.record;
        const edited = Object.assign({}, person.record, {
          name: typed.name || person.record.name, phone: typed.phone || null, nik: typed.nik || null,
        });
        Object.assign(person, { base: base, record: edited, name: edited.name });
        await putDay(day);
        await queue('person_edit', person.id, { base_version: person.version, base: base, edited: edited });
        out(root, 'name').textContent = person.name;
        flash(edit);
      });
      const reg = $(root, '[data-form="register"]');
      reg.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (!day) return;
        const fields = formBody(reg);
        const id = uuid();
        const body = Object.assign({ person_id: id, visit_id: uuid() }, fields);
        if (motherOf) {
          body.mother_id = motherOf.id;
          if (motherOf.record && motherOf.record.household_id) body.household_id = motherOf.record.household_id;
        }
        // The form by birth date, as the server worked it out for the day (prepare's
        // newcomers, youngest first); the server decides the group on arrival.
        const band = (day.newcomers || []).find((b) => fields.birth_date >= b.born_from);
        day.persons.push({
          id: id, name: fields.name, sex: fields.sex, birth_date: fields.birth_date,
          parent_name: fields.parent_name || null, group: band ? band.group : null,
          questionnaires: band ? band.questionnaires : [], local: true,
        });
        await putDay(day);
        await queue('register', id, body);
        reg.reset();
        location.hash = '#orang/' + id;
      });
      $(root, '[data-do="register-child"]').addEventListener('click', () => {
        motherOf = person;
        location.hash = '#baru';
      });
      $(root, '[data-in="search"]').addEventListener('input', renderList);
      $(root, '[data-do="send"]').addEventListener('click', send);
      $(root, '[data-do="prepare"]').addEventListener('click', prepare);
      $(root, '[data-do="close"]').addEventListener('click', async () => {
        if (!window.confirm(M['close-confirm'])) return;
        await queue('close', null, {});
        await showOutbox(M.closed);
      });
    }

    async function start() {
      bindForms();
      showNet();
      window.addEventListener('online', () => { showNet(); send(); });
      window.addEventListener('offline', showNet);
      window.addEventListener('hashchange', route);
      setInterval(send, 30000);
      day = (await getDay(dayId)) || null;
      showPrepared();
      showClosed();
      await showOutbox();
      if (!day && navigator.onLine) await prepare();
      await route();
      send();
    }

    start();
  }

  // ---------------------------------------------------------------- /luring

  async function homePage(root) {
    const days = await allDays();
    const items = await allOutbox();
    const list = out(root, 'days');
    days.forEach((d) => {
      const waiting = items.filter((i) => i.day === d.id).length;
      const li = fromTemplate('t-day', {
        title: d.title,
        detail: fmt('prepared', { n: d.persons.length, time: new Date(d.prepared_at).toLocaleString() })
          + (waiting ? ' · ' + fmt('waiting', { n: waiting }) : ''),
      });
      $(li, 'a').setAttribute('href', '/hari/' + d.id + '/luring');
      list.appendChild(li);
    });
    out(root, 'no-days').hidden = days.length > 0;
  }

  function main() {
    if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
    const page = document.getElementById('offline') || document.getElementById('offline-home');
    if (!page) return;
    M = JSON.parse(page.getAttribute('data-messages') || '{}');
    if (page.id === 'offline') dayPage(page);
    else homePage(page);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
  else main();
})();
