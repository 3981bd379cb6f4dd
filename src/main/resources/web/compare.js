// The compare page: runs on one axis of history epochs (a fork placed where its history puts it), how they were
// configured differently, whether they started alike, and for two runs the first epoch where they part.
import { api, el, clear, header, downloads, showError, color, runLabel, statusBadge, mark } from './common.js';
import { Curves } from './chart.js';

header('compare');
const main = document.getElementById('main');
const ids = (new URLSearchParams(location.search).get('runs') || '').split(',').filter((s) => s.trim() !== '');
let c;
let chosen = 0;
let curves;
let difference;

function differences() {
  if (c.differences.length === 0) return el('p', null, 'configuration: the same (names, lineage and sweeps aside)');
  // Two runs: one table, A against B. More: each run against the first.
  const many = c.runs.length > 2;
  const rows = c.differences.map((d) => el('tr', null, many ? el('td', null, 'run ' + d.b) : null, el('th', { scope: 'row' }, d.field),
    el('td', { class: 'mono' }, d.valueA), el('td', { class: 'mono' }, d.valueB), el('td', { class: 'muted' }, d.note || '')));
  const first = c.runs[0].id;
  return el('table', { class: 'values differences' }, el('caption', null, 'configuration differences' + (many ? ' from run ' + first : '')),
    el('thead', null, el('tr', null, many ? el('th', null, 'run') : null, el('th', null, 'field'),
      el('th', null, many ? 'run ' + first : 'A (run ' + first + ')'), el('th', null, many ? 'this run' : 'B (run ' + c.runs[1].id + ')'), el('th', null, ''))),
    el('tbody', null, ...rows));
}

function layout() {
  const legend = el('ul', { class: 'run-legend' }, ...c.runs.map((r, i) => el('li', null, el('span', { class: 'swatch', 'data-color': i }),
    el('a', { href: '/runs/' + r.id }, runLabel(r)), ' lr ' + r.learningRate + ', ' + r.network + ', ' + r.epochsRecorded + ' epochs',
    r.parent !== null ? ', forked from run ' + r.parent + ' at epoch ' + r.forkEpoch + ' (history epoch ' + r.historyStart + ')' : '',
    ' ', statusBadge(r.status), ' ', el('span', { class: 'muted small' }, 'losses ', downloads('/download/runs/' + r.id + '/losses')))));
  legend.querySelectorAll('.swatch').forEach((s) => { s.style.background = color(Number(s.dataset.color)); });
  const start = el('p', { id: 'start', class: c.initialWeightsEqual ? 'ok' : 'warning' }, c.startStatement);
  const parts = [el('header', { class: 'page-head' }, el('h1', null, 'compare ' + c.runs.length + ' runs'), legend), start];
  if (c.diff) {
    const d = c.diff;
    parts.push(el('p', { id: 'divergence', class: 'divergence' }, d.firstDivergentEpoch === null
      ? 'first divergent epoch: none (every weight in force is bit-identical in every epoch both recorded)'
      : 'first divergent epoch: ' + d.firstDivergentEpoch),
    el('p', { class: 'meta' }, 'final loss: A ' + (d.finalLossA ?? 'none') + ', B ' + (d.finalLossB ?? 'none')
      + (d.finalLossDifference !== null ? ', B − A ' + d.finalLossDifference : '') + (d.identical ? ' · the runs are identical' : '')));
  }
  parts.push(differences());
  parts.push(el('section', { class: 'panel' }, el('div', { class: 'panel-head' }, el('h2', null, 'loss per epoch'),
    el('span', { class: 'muted' }, 'on one axis of history epochs; drag to zoom')), el('div', { id: 'curves' })));
  if (c.diff) {
    const a = c.runs[0].id;
    const b = c.runs[1].id;
    const slider = el('input', { type: 'range', min: 0, max: c.diff.rows - 1, value: 0, id: 'compare-epoch', 'aria-label': 'epoch' });
    slider.addEventListener('input', () => choose(Number(slider.value)));
    parts.push(el('section', { class: 'panel' }, el('div', { class: 'panel-head' }, el('h2', null, 'loss difference B − A per epoch'),
      downloads('/download/compare/diff', 'a=' + a + '&b=' + b)), el('div', { id: 'difference' })),
    el('section', { class: 'panel' }, el('div', { class: 'panel-head' }, el('h2', null, 'weights at epoch ', el('span', { id: 'chosen' }, '0')),
      el('span', { id: 'weights-downloads' })), el('div', { class: 'scrubber' }, slider,
      el('span', { class: 'muted' }, 'as diff compares them: the weights in force at the start of the epoch (the last row: after the final update)')),
    el('div', { id: 'weights' })));
  }
  clear(main).append(...parts);
}

async function choose(epoch) {
  chosen = epoch;
  const a = c.runs[0].id;
  const b = c.runs[1].id;
  document.getElementById('chosen').textContent = String(epoch);
  clear(document.getElementById('weights-downloads')).append(downloads('/download/compare/weights', 'a=' + a + '&b=' + b + '&epoch=' + epoch));
  const w = await api('/api/compare/weights?a=' + a + '&b=' + b + '&epoch=' + epoch);
  if (w.epoch !== chosen) return;
  const rows = w.weights.map((x) => el('tr', { class: x.difference !== null && Number(x.difference) !== 0 ? 'differs' : null },
    el('th', { scope: 'row' }, x.name), el('td', { class: 'num' }, x.a ?? ''), el('td', { class: 'num' }, x.b ?? ''), el('td', { class: 'num' }, x.difference ?? '')));
  clear(document.getElementById('weights')).append(
    el('p', { class: 'meta' }, 'loss A ' + (w.lossA ?? '—') + ', B ' + (w.lossB ?? '—') + ', B − A ' + (w.lossDifference ?? '—')
      + ' · largest |weight difference| ' + (w.maxWeightDifference ?? '—') + ' · ' + (w.weightsEqual === null ? 'not comparable'
        : w.weightsEqual ? 'weights bit-identical' : 'weights differ')),
    el('table', { class: 'values' }, el('thead', null, el('tr', null, el('th', null, 'weight'), el('th', { class: 'num' }, 'A (run ' + a + ')'),
      el('th', { class: 'num' }, 'B (run ' + b + ')'), el('th', { class: 'num' }, 'B − A'))), el('tbody', null, ...rows)));
  if (curves) curves.redrawMarkers();
  if (difference) difference.redrawMarkers();
}

function markers(shift) {
  const out = [];
  if (c.diff && c.diff.firstDivergentEpoch !== null) {
    const [a, b] = c.runs;
    out.push({ x: c.diff.firstDivergentEpoch + (shift ? a.historyStart : 0), color: '#d1495b', dash: true,
      label: 'first divergent epoch ' + c.diff.firstDivergentEpoch });
    // A fork's own epochs start later on the history axis: its side of the divergence is marked where it stands.
    if (shift && b.historyStart !== a.historyStart) {
      out.push({ x: c.diff.firstDivergentEpoch + b.historyStart, color: '#d1495b', dash: true, row: 1,
        label: "B's epoch " + c.diff.firstDivergentEpoch });
    }
    out.push({ x: chosen + (shift ? c.runs[0].historyStart : 0), color: '#111', width: 1 });
  }
  return out;
}

async function start() {
  try {
    c = await api('/api/compare?runs=' + encodeURIComponent(ids.join(',')));
  } catch (e) {
    showError(main, e);
    return;
  }
  document.title = 'compare ' + c.runs.map((r) => r.id).join(', ') + ' · backprop';
  layout();
  curves = new Curves(document.getElementById('curves'), {
    yLabel: 'total error', log: true, markName: 'compareDrawnMs', markers: () => markers(true),
    current: () => (c.diff ? chosen + c.runs[0].historyStart : null),
    onPick: c.diff ? (x) => {
      const e = Math.max(0, Math.min(c.diff.rows - 1, x - c.runs[0].historyStart));
      document.getElementById('compare-epoch').value = e;
      choose(e);
    } : null,
    fetch: async (from, to, points) => {
      const lines = await Promise.all(c.runs.map(async (r, i) => {
        const q = new URLSearchParams({ points, history: 1 });
        if (from !== null) { q.set('from', from); q.set('to', to); }
        const got = await api('/api/runs/' + r.id + '/curve?' + q);
        return { label: 'run ' + r.id + ' (lr ' + r.learningRate + ')', x: got.x, y: got.y, color: color(i) };
      }));
      return { lines };
    },
  });
  await curves.load(null);
  if (c.diff) {
    const a = c.runs[0].id;
    const b = c.runs[1].id;
    difference = new Curves(document.getElementById('difference'), {
      yLabel: 'B − A', log: null, height: 220, markers: () => markers(false), current: () => chosen, onPick: (e) => {
        document.getElementById('compare-epoch').value = e;
        choose(e);
      },
      fetch: async (from, to, points) => {
        const q = new URLSearchParams({ a, b, points });
        if (from !== null) { q.set('from', from); q.set('to', to); }
        const d = await api('/api/compare/diff?' + q);
        return { lines: [{ label: 'loss B − A', x: d.x, y: d.y, color: '#7b2cbf' }],
          note: 'epochs of the diff (each run\'s own epochs, as diff lines them up)' };
      },
    });
    await difference.load(null);
    const first = c.diff.firstDivergentEpoch;
    const e = first === null ? 0 : first;
    document.getElementById('compare-epoch').value = e;
    await choose(e);
  }
  mark('compareReadyMs');
}

start().catch((e) => showError(main, e));
