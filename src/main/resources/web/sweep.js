// The sweep page: its results table as 'backprop sweep' prints it, the best rate marked, and its runs' curves.
import { api, el, clear, header, downloads, showError, color, mark } from './common.js';
import { Curves } from './chart.js';
import { resultsTable } from './sweep-table.js';

header('sweep');
const main = document.getElementById('main');
const id = Number(location.pathname.split('/')[2]);

async function start() {
  let t;
  try {
    t = await api('/api/sweeps/' + id);
  } catch (e) {
    showError(main, e);
    return;
  }
  document.title = 'sweep ' + id + ' · backprop';
  const runs = await Promise.all(t.runs.map((r) => api('/api/runs/' + r)));
  clear(main).append(
    el('header', { class: 'page-head' }, el('h1', null, 'sweep ' + id), el('p', { class: 'meta' }, t.heading),
      t.progress ? el('p', { class: 'meta', id: 'progress' }, t.progress) : null,
      el('p', { class: 'meta' }, downloads('/download/sweeps/' + id), ' · ',
        el('a', { href: '/compare?runs=' + t.runs.join(',') }, 'compare its runs'))),
    t.warning ? el('p', { class: 'warning' }, t.warning) : el('p', { class: 'ok' }, 'independent: every learning rate started from the same initial weights'),
    t.bestRun !== null ? el('p', { class: 'best-line' }, 'lowest final error: learning rate ' + t.bestRate + ' (run ' + t.bestRun + '), ' + t.bestError) : null,
    el('div', { id: 'results' }, resultsTable(t)),
    el('p', { class: 'meta' }, 'losses per epoch: ', ...runs.flatMap((r, i) => [i ? ' · ' : '', 'run ' + r.id + ' ',
      downloads('/download/runs/' + r.id + '/losses')])),
    el('section', { class: 'panel' }, el('div', { class: 'panel-head' }, el('h2', null, 'loss per epoch'),
      el('span', { class: 'muted' }, t.chained ? 'chained: each run placed at its history epoch' : 'every run from epoch 0')), el('div', { id: 'curves' })));
  const curves = new Curves(document.getElementById('curves'), {
    yLabel: 'total error', log: true, markName: 'sweepDrawnMs',
    fetch: async (from, to, points) => ({
      lines: await Promise.all(runs.map(async (r, i) => {
        const q = new URLSearchParams({ points, history: 1 });
        if (from !== null) { q.set('from', from); q.set('to', to); }
        const got = await api('/api/runs/' + r.id + '/curve?' + q);
        return { label: 'lr ' + r.learningRate + (r.id === t.bestRun ? ' (best)' : ''), x: got.x, y: got.y, color: color(i), width: r.id === t.bestRun ? 2.5 : 1.5 };
      })),
    }),
  });
  await curves.load(null);
  mark('sweepReadyMs');
  if (t.progress) follow();
}

// While workers train a queued sweep, its progress and table follow the store every two seconds until every run has ended.
function follow() {
  setTimeout(async () => {
    let t;
    try {
      t = await api('/api/sweeps/' + id);
    } catch (e) {
      follow();
      return;
    }
    const progress = document.getElementById('progress');
    if (progress) progress.textContent = t.progress || 'every run has ended';
    clear(document.getElementById('results')).append(resultsTable(t));
    if (t.progress) follow();
  }, 2000);
}

start().catch((e) => showError(main, e));
