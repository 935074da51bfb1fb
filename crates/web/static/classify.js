/* Posyandu live classification (issue 8 item 4): no request, no growth maths here.
 *
 * The server embeds the child's cut-points (domain::cutpoints, serde_json of CutPoints) and
 * this script only compares typed values with them. A band table `{cuts, labels}` reads:
 * value v (integer grams or millimetres) is in band i = the number of cuts <= v, and
 * labels[i] are finding codes or "recheck" ("periksa ulang").
 *
 * Grid: the server found every cut on whole grams and whole millimetres, so a typed value
 * is classified only when it is on that grid: weight with at most 3 decimals in kg, lengths
 * and circumferences with at most 1 decimal in cm (trailing zeros allowed). toGrams and
 * toMm convert the text exactly (string arithmetic, no float rounding) and return null for
 * a finer value: "9,45" -> 9450 g, whose kg value 9450 / 1000 is the same number the
 * server's screen gets from "9.45"; "9,4505" -> null (no live answer; the server decides
 * on save). Values above the server's maxima (cuts.max) count as not typed.
 *
 * The prepared day (GET /api/v1/days/{day}/prepare, domain::cutpoints::prepared) carries
 * the same cut-points smaller: each weight table (lenhei[i].wfl, .bmi) is either packed,
 * {from_mm, labels, columns} with columns[k] = row 0's cut k, then each row's difference
 * from the row before, or a slice {table, from_mm, len} of the packed table tables[table]
 * shared by the children of one sex and case. join(cutpoints, tables) rebuilds the full
 * shape with integer sums and a slice only, so classify answers exactly as on the page.
 */
(function (root) {
  'use strict';

  function parseDecimal(text) {
    const m = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(String(text));
    return m ? Number(m[1] + '.' + (m[2] || '0')) : null;
  }

  // Text in a unit -> integer count of 1/10^places of it, or null off the grid / not > 0.
  function scaled(text, places) {
    const m = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(String(text));
    if (!m) return null;
    const frac = m[2] || '';
    if (/[1-9]/.test(frac.slice(places))) return null;
    const n = Number(m[1]) * Math.pow(10, places) + Number(frac.slice(0, places).padEnd(places, '0'));
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  }

  const toGrams = (kgText) => scaled(kgText, 3);
  const toMm = (cmText) => scaled(cmText, 1);

  function band(b, v) {
    return b.labels[b.cuts.filter((c) => c <= v).length];
  }

  function row(t, mm, g) {
    const r = t.rows[mm - t.from_mm];
    return r ? t.labels[r.filter((c) => c <= g).length] : null;
  }

  // input: {weight_g, lenhei_mm, position: "l"|"h", head_mm, muac_mm, oedema} (integers;
  // null/undefined = not measured). Returns {labels: sorted unique finding codes,
  // recheck, complete}; complete is false when the length is implausible for the age and
  // the weight-for-length/height and BMI categories are therefore not known here.
  function classify(cuts, input) {
    const found = new Set();
    let recheck = false;
    let complete = true;
    const add = (labels) => labels.forEach((l) => (l === 'recheck' ? (recheck = true) : found.add(l)));
    const ok = (v, max) => Number.isInteger(v) && v > 0 && v <= max;
    const max = cuts.max;
    const w = ok(input.weight_g, max.weight_g) ? input.weight_g : null;
    const oedema = input.oedema === true;
    if (oedema) found.add('nutritional_oedema');
    if (w !== null) {
      if (!oedema) {
        [cuts.wfa, cuts.bgm, cuts.faltering].forEach((b) => b && add(band(b, w)));
      }
      [cuts.kms, cuts.weight_change].forEach((b) => b && add(band(b, w)));
    }
    if (ok(input.lenhei_mm, max.lenhei_mm)) {
      const mm = input.lenhei_mm;
      const pos = input.position === 'l' || input.position === 'h' ? input.position : cuts.standard_position;
      const l = cuts.lenhei.find((x) => x.position === pos);
      const lfa = band(l.lfa, mm);
      add(lfa);
      if (l.shrink) add(band(l.shrink, mm));
      if (w !== null && !oedema) {
        const lengthFlagged = lfa.indexOf('recheck') >= 0;
        [l.wfl, l.bmi].forEach((t) => {
          const labels = row(t, mm, w);
          if (labels) add(labels);
          else if (lengthFlagged) complete = false;
        });
      }
    }
    if (ok(input.head_mm, max.head_mm)) add(band(cuts.head, input.head_mm));
    if (ok(input.muac_mm, max.muac_mm)) {
      [cuts.muac_sam, cuts.zac].forEach((b) => b && add(band(b, input.muac_mm)));
    }
    return { labels: Array.from(found).sort(), recheck: recheck, complete: complete };
  }

  // Packed table -> {from_mm, labels, rows}: running sums down each column.
  function unpack(p) {
    const sums = p.columns.map(() => 0);
    const n = p.columns.length ? p.columns[0].length : 0;
    const rows = [];
    for (let i = 0; i < n; i++) rows.push(p.columns.map((c, k) => (sums[k] += c[i])));
    return { from_mm: p.from_mm, labels: p.labels, rows: rows };
  }

  // A prepared child's cut-points and the answer's tables -> the shape classify reads.
  function join(personCuts, tables) {
    const table = (t) => {
      if (t.table === undefined) return unpack(t);
      if (!tables || !tables[t.table]) throw new Error('cut-point table ' + t.table + ' missing');
      const shared = unpack(tables[t.table]);
      const at = t.from_mm - shared.from_mm;
      return { from_mm: t.from_mm, labels: shared.labels, rows: t.len ? shared.rows.slice(at, at + t.len) : [] };
    };
    const lenhei = personCuts.lenhei.map((l) => Object.assign({}, l, { wfl: table(l.wfl), bmi: table(l.bmi) }));
    return Object.assign({}, personCuts, { lenhei: lenhei });
  }

  // DOM: a form holding <script type="application/json" id="cutpoints">, inputs marked
  // data-classify="weight|lenhei|head|muac" (kg / cm text), optionally "position" (select,
  // radios or input with l/h) and "oedema" (checkbox), and elements [data-classify-out]
  // whose data-labels JSON maps code -> text (also "recheck" and "incomplete").
  function readForm(form) {
    const field = (name) => form.querySelector('[data-classify="' + name + '"]');
    const text = (name) => (field(name) ? field(name).value : '');
    const checked = form.querySelector('[data-classify="position"]:checked');
    const pos = checked ? checked.value : text('position');
    const oedema = field('oedema');
    return {
      weight_g: toGrams(text('weight')),
      lenhei_mm: toMm(text('lenhei')),
      position: String(pos).toLowerCase(),
      head_mm: toMm(text('head')),
      muac_mm: toMm(text('muac')),
      oedema: Boolean(oedema && oedema.checked),
    };
  }

  function render(out, result) {
    const names = JSON.parse(out.getAttribute('data-labels') || '{}');
    const codes = (result.recheck ? ['recheck'] : []).concat(result.labels);
    if (!result.complete) codes.push('incomplete');
    while (out.firstChild) out.removeChild(out.firstChild);
    codes.forEach((code) => {
      const item = out.ownerDocument.createElement('li');
      item.textContent = names[code] || code;
      item.setAttribute('data-code', code);
      out.appendChild(item);
    });
    out.hidden = codes.length === 0;
  }

  function bind(doc) {
    const data = doc.getElementById('cutpoints');
    const form = data && data.closest('form');
    if (!form) return;
    const cuts = JSON.parse(data.textContent);
    const update = () => {
      const result = classify(cuts, readForm(form));
      form.querySelectorAll('[data-classify-out]').forEach((out) => render(out, result));
    };
    form.addEventListener('input', update);
    form.addEventListener('change', update);
    update();
  }

  const api = { classify: classify, join: join, parseDecimal: parseDecimal, toGrams: toGrams, toMm: toMm, bind: bind,
    readForm: readForm, render: render };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof root.document === 'object') {
    root.PosyanduClassify = api;
    if (root.document.readyState === 'loading') {
      root.document.addEventListener('DOMContentLoaded', () => bind(root.document));
    } else {
      bind(root.document);
    }
  }
})(typeof window === 'object' ? window : this);
