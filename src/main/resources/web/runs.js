// The runs page: every run of the store, sortable and filterable, updated live; the sweeps with their tables.
import { api, el, clear, header, downloads, showError, live, statusBadge, mark } from './common.js';

header('runs');
const main = document.getElementById('main');
const rows = new Map();
const selected = new Set();
let sort = { key: 'id', dir: 1 };
let data;

const COLUMNS = [
  ['', null], ['id', 'id'], ['name', 'name'], ['network', 'network'], ['activations', 'activations'],
  ['learning rate', 'learningRate'], ['epochs', 'epochsRecorded'], ['status', 'status'], ['final error', 'finalError'],
  ['best error (epoch)', 'bestError'], ['parent', 'parent'], ['fork epoch', 'forkEpoch'], ['sweep', 'sweep'],
];
const NUMERIC = new Set(['id', 'learningRate', 'epochsRecorded', 'finalError', 'bestError', 'parent', 'forkEpoch', 'sweep']);

function cells(r) {
  const box = el('input', { type: 'checkbox', 'aria-label': 'select run ' + r.id, 'data-run': r.id });
  box.checked = selected.has(r.id);
  box.addEventListener('change', () => {
    if (box.checked) selected.add(r.id); else selected.delete(r.id);
    updateCompare();
  });
  const epochs = r.epochsRecorded === r.epochs ? String(r.epochs) : r.epochsRecorded + ' of ' + r.epochs;
  return [
    el('td', null, box),
    el('td', { class: 'num' }, el('a', { href: '/runs/' + r.id }, String(r.id))),
    el('td', { class: 'name' }, el('a', { href: '/runs/' + r.id }, r.name)),
    el('td', null, r.network), el('td', null, r.activations), el('td', { class: 'num' }, r.learningRate),
    el('td', { class: 'num' }, epochs),
    el('td', { title: r.reason || '' }, statusBadge(r.status)),
    el('td', { class: 'num' }, r.finalError ?? (r.epochsRecorded > 0 ? '…' : '')),
    el('td', { class: 'num' }, r.bestError === null ? (r.epochsRecorded > 0 ? '…' : '') : r.bestError + ' (' + r.bestEpoch + ')'),
    el('td', { class: 'num' }, r.parent === null ? '' : el('a', { href: '/runs/' + r.parent }, String(r.parent))),
    el('td', { class: 'num' }, r.forkEpoch === null ? '' : String(r.forkEpoch)),
    el('td', { class: 'num' }, r.sweep === null ? '' : el('a', { href: '/sweeps/' + r.sweep }, String(r.sweep))),
  ];
}

function rowFor(r) {
  const tr = el('tr', { 'data-id': r.id }, ...cells(r));
  tr.run = r;
  tr.text = [r.id, r.name, r.network, r.activations, r.learningRate, r.status, r.sweep ?? ''].join(' ').toLowerCase();
  return tr;
}

function value(r, key) {
  const v = r[key];
  if (v === null || v === undefined) return null;
  return NUMERIC.has(key) ? Number(v) : String(v).toLowerCase();
}

function compare(a, b) {
  const x = value(a.run, sort.key);
  const y = value(b.run, sort.key);
  if (x === y) return a.run.id - b.run.id;
  if (x === null) return 1;
  if (y === null) return -1;
  return (x < y ? -1 : 1) * sort.dir;
}

function arrange() {
  const body = document.getElementById('runs-body');
  const filter = document.getElementById('filter').value.trim().toLowerCase();
  const status = document.getElementById('status-filter').value;
  const ordered = [...rows.values()].sort(compare);
  let shown = 0;
  const fragment = document.createDocumentFragment();
  for (const tr of ordered) {
    const visible = (!filter || filter.split(/\s+/).every((w) => tr.text.includes(w))) && (!status || tr.run.status === status);
    tr.hidden = !visible;
    if (visible) shown++;
    fragment.append(tr);
  }
  body.append(fragment);
  document.getElementById('count').textContent = shown === rows.size ? rows.size + ' runs' : shown + ' of ' + rows.size + ' runs';
  document.querySelectorAll('#runs th[data-key]').forEach((th) => {
    th.dataset.sorted = th.dataset.key === sort.key ? (sort.dir > 0 ? 'up' : 'down') : '';
  });
}

function updateCompare() {
  const button = document.getElementById('compare');
  button.disabled = selected.size < 2;
  button.textContent = selected.size < 2 ? 'compare (pick two or more)' : 'compare ' + selected.size + ' runs';
}

function layout() {
  const filter = el('input', { type: 'search', id: 'filter', placeholder: 'filter: name, network, rate, status…', 'aria-label': 'filter runs' });
  filter.addEventListener('input', arrange);
  const status = el('select', { id: 'status-filter', 'aria-label': 'status' }, el('option', { value: '' }, 'any status'),
    ...['running', 'completed', 'failed', 'interrupted'].map((s) => el('option', { value: s }, s)));
  status.addEventListener('change', arrange);
  const compareButton = el('button', { type: 'button', id: 'compare', class: 'primary' }, 'compare');
  compareButton.addEventListener('click', () => {
    location.href = '/compare?runs=' + [...selected].sort((a, b) => a - b).join(',');
  });
  const head = el('tr', null, ...COLUMNS.map(([label, key]) => {
    const th = el('th', key ? { 'data-key': key, class: NUMERIC.has(key) ? 'num' : null, tabindex: 0 } : null, label);
    if (key) {
      const by = () => {
        sort = { key, dir: sort.key === key ? -sort.dir : 1 };
        arrange();
      };
      th.addEventListener('click', by);
      th.addEventListener('keydown', (e) => { if (e.key === 'Enter') by(); });
    }
    return th;
  }));
  const table = el('table', { id: 'runs', class: 'runs' }, el('thead', null, head), el('tbody', { id: 'runs-body' }));
  clear(main).append(
    el('header', { class: 'page-head' }, el('h1', null, 'runs'),
      el('p', { class: 'meta' }, el('span', { id: 'count' }), ' in ', el('code', null, data.store), ' · ', downloads('/download/runs'))),
    el('div', { class: 'toolbar' }, filter, status, compareButton),
    el('div', { class: 'table-wrap' }, table),
    el('section', { id: 'sweeps' }));
  updateCompare();
}

function sweeps() {
  const box = clear(document.getElementById('sweeps'));
  if (data.sweeps.length === 0) return;
  box.append(el('h2', null, 'sweeps'));
  for (const s of data.sweeps) {
    const details = el('details', { 'data-sweep': s.id });
    const summary = el('summary', null, el('a', { href: '/sweeps/' + s.id }, 'sweep ' + s.id), ': ',
      s.runs.length + ' runs, learning rates ' + s.rates.join(', ') + ', ',
      el('span', { class: s.chained ? 'warn-text' : null }, s.chained ? 'chained (the columns do not share a start)' : 'independent (one start for every rate)'));
    const body = el('div', { class: 'sweep-table' }, el('p', { class: 'muted' }, 'loading…'));
    details.append(summary, body);
    details.addEventListener('toggle', async () => {
      if (!details.open || details.loaded) return;
      details.loaded = true;
      try {
        const t = await api('/api/sweeps/' + s.id);
        const { resultsTable } = await import('./sweep-table.js');
        clear(body).append(resultsTable(t));
      } catch (e) {
        showError(body, e);
      }
    });
    box.append(details);
  }
}

function update(r) {
  const old = rows.get(r.id);
  const tr = rowFor(r);
  if (old) old.replaceWith(tr);
  rows.set(r.id, tr);
  if (!old) {
    document.getElementById('runs-body').append(tr);
    if (r.sweep !== null && !data.sweeps.some((s) => s.id === r.sweep)) refreshSweeps();
  }
  scheduleArrange();
}

let arrangeTimer = null;
function scheduleArrange() {
  if (arrangeTimer) return;
  arrangeTimer = setTimeout(() => { arrangeTimer = null; arrange(); }, 200);
}

async function refreshSweeps() {
  data.sweeps = (await api('/api/runs')).sweeps;
  sweeps();
}

async function start() {
  try {
    data = await api('/api/runs');
  } catch (e) {
    showError(main, e);
    return;
  }
  layout();
  for (const r of data.runs) rows.set(r.id, rowFor(r));
  arrange();
  sweeps();
  mark('runsRenderedMs');
  if (data.runs.length === 0) {
    main.append(el('p', { class: 'muted' }, "no runs in this store yet: 'backprop train' records one, and it appears here as it trains"));
  }
  live('/api/live?since=' + data.version, update);
}

start();
