// The run page: one run replayed epoch by epoch. Its address /runs/ID?epoch=N names the epoch shown.
import { api, el, clear, header, downloads, showError, live, color, statusBadge, mark, ApiError } from './common.js';
import { Curves } from './chart.js';
import { drawGraph, drawHeatmaps, OVERLAY_NAMES } from './diagram.js';

const id = Number(location.pathname.split('/')[2]);
const params = new URLSearchParams(location.search);
const state = { epoch: 0, sample: 1, overlay: params.get('overlay') || 'weight', offset: 0, playing: null,
  inflight: false, pending: null, shown: null, requestedAt: new Map() };
let run;
let loss;
let trajectories;
// The whole run's curve is asked for at once, beside the run itself, at about the chart's width (the page's width less
// its margins and the axis); the chart takes it if its width turns out the same.
const firstPoints = 2 * Math.round(Math.min(window.innerWidth, 1400) - 48 - 30 - 80);
let firstCurve = api('/api/runs/' + id + '/curve?points=' + firstPoints).catch(() => null);

header('run');
const main = document.getElementById('main');

function meta(run) {
  const bits = [run.network + ' (' + run.activations.join(', ') + (run.biased ? run.trainBiases ? ', trained biases' : ', fixed biases' : '') + ')',
    'learning rate ' + run.learningRate, run.epochsRecorded + ' of ' + run.epochs + ' epochs recorded',
    run.samples + (run.samples === 1 ? ' sample' : ' samples')];
  const line = el('p', { class: 'meta' }, bits.join(' · '), ' ', statusBadge(run.status));
  if (run.reason) line.append(' ', el('span', { class: 'muted' }, run.reason));
  const links = el('p', { class: 'meta' });
  if (run.parent !== null) {
    links.append('forked from ', el('a', { href: '/runs/' + run.parent + '?epoch=' + Math.max(0, run.forkEpoch - 1) }, 'run ' + run.parent),
      ' at epoch ' + run.forkEpoch + ': its epoch 0 is epoch ' + run.historyStart + ' of its history · ');
  }
  if (run.sweep !== null) links.append('part of ', el('a', { href: '/sweeps/' + run.sweep }, 'sweep ' + run.sweep), ' · ');
  links.append(downloads('/download/runs/' + id + '/epochs'), ' every epoch · ',
    downloads('/download/runs/' + id + '/losses'), ' losses · ', downloads('/download/runs/' + id + '/weights'), ' weights');
  return [line, links];
}

function layout() {
  clear(main);
  const title = el('h1', null, 'run ' + run.id + ' ', el('span', { class: 'name' }, "'" + run.name + "'"));
  const head = el('header', { class: 'page-head' }, title, ...meta(run));
  const last = Math.max(0, run.epochsRecorded - 1);
  const slider = el('input', { type: 'range', min: 0, max: last, value: 0, id: 'slider', 'aria-label': 'epoch' });
  const jump = el('input', { type: 'number', min: 0, max: last, id: 'jump', 'aria-label': 'jump to epoch' });
  const button = (label, text, act) => {
    const b = el('button', { type: 'button', title: label, 'aria-label': label }, text);
    b.addEventListener('click', act);
    return b;
  };
  const play = button('play (space)', 'play', togglePlay);
  play.id = 'play';
  const controls = el('section', { class: 'scrubber' },
    button('first epoch (Home)', '|◀', () => go(0)), button('step back (←)', '◀', () => go(state.epoch - 1)), play,
    button('step forward (→)', '▶|', () => go(state.epoch + 1)), button('last epoch (End)', '▶▶|', () => go(run.epochsRecorded - 1)),
    slider,
    el('span', { class: 'readout' }, 'epoch ', el('strong', { id: 'epoch' }, '0'), el('span', { id: 'of', class: 'muted' }, ' of 0–' + last)),
    el('form', { id: 'jump-form', class: 'jump' }, jump, el('button', { type: 'submit' }, 'go')));
  slider.addEventListener('input', () => go(Number(slider.value)));
  controls.querySelector('#jump-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (jump.value !== '') go(Number(jump.value));
    // The arrow keys step the epoch again, rather than the number in the box.
    jump.blur();
  });
  const overlay = el('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'edges show' });
  for (const o of ['weight', 'gradient', 'update']) {
    const b = el('button', { type: 'button', 'data-overlay': o, class: o === state.overlay ? 'on' : null }, o);
    b.addEventListener('click', () => {
      state.overlay = o;
      overlay.querySelectorAll('button').forEach((x) => x.classList.toggle('on', x.dataset.overlay === o));
      render(true);
    });
    overlay.append(b);
  }
  const sample = el('select', { id: 'sample', 'aria-label': 'sample' });
  for (let s = 1; s <= Math.min(run.samples, 10000); s++) sample.append(el('option', { value: s }, 'sample ' + s));
  sample.addEventListener('change', () => { state.sample = Number(sample.value); request(state.epoch); });
  const diagramHead = el('div', { class: 'panel-head' }, el('h2', null, 'network'), el('span', { class: 'muted' }, 'edges show '), overlay,
    run.samples > 1 ? sample : null);
  const diagram = el('section', { class: 'panel diagram-panel' }, diagramHead, el('div', { id: 'diagram' }),
    el('p', { id: 'overlay-note', class: 'muted small' }));
  const values = el('section', { class: 'panel values-panel' },
    el('div', { class: 'panel-head' }, el('h2', null, 'values of epoch ', el('span', { id: 'values-epoch' })), el('span', { id: 'neuron-downloads' })),
    el('div', { id: 'values' }));
  const updates = el('section', { class: 'panel' },
    el('div', { class: 'panel-head' }, el('h2', null, 'weights and biases of epoch ', el('span', { id: 'updates-epoch' })),
      el('span', { id: 'parameter-downloads' })), el('div', { id: 'updates', class: 'table-wrap' }));
  const curve = el('section', { class: 'panel' }, el('div', { class: 'panel-head' }, el('h2', null, 'loss per epoch'),
    el('span', { class: 'muted' }, 'drag to zoom, click to pick an epoch')), el('div', { id: 'loss' }));
  const weights = el('section', { class: 'panel' }, el('div', { class: 'panel-head' }, el('h2', null, 'weights per epoch'),
    el('span', { class: 'muted' }, 'in force at the start of each epoch')), el('div', { id: 'trajectories' }));
  main.append(head, controls, el('div', { class: run.seedShaped ? 'split' : 'split even' }, diagram, values), updates, curve, weights);
}

function clamp(n) {
  return Math.max(0, Math.min(run.epochsRecorded - 1, Math.round(n)));
}

function go(n) {
  if (!run || run.epochsRecorded === 0 || Number.isNaN(n)) return;
  const epoch = clamp(n);
  state.epoch = epoch;
  document.getElementById('slider').value = epoch;
  document.getElementById('epoch').textContent = String(epoch);
  const url = new URL(location.href);
  url.searchParams.set('epoch', epoch);
  history.replaceState(null, '', url.pathname + url.search);
  request(epoch);
  if (loss) loss.redrawMarkers();
  if (trajectories) trajectories.redrawMarkers();
}

// One request at a time: while one is out, only the newest epoch asked for waits.
async function request(epoch) {
  state.requestedAt.set(epoch, performance.now());
  if (state.inflight) {
    state.pending = epoch;
    return;
  }
  state.inflight = true;
  try {
    const q = new URLSearchParams({ sample: state.sample, overlay: state.overlay, offset: state.offset });
    const values = await api('/api/runs/' + id + '/epochs/' + epoch + '?' + q);
    state.shown = values;
    render(false);
    const asked = state.requestedAt.get(epoch);
    state.requestedAt.clear();
    document.documentElement.dataset.shownEpoch = String(epoch);
    if (asked !== undefined) document.documentElement.dataset.scrubMs = (performance.now() - asked).toFixed(1);
  } catch (e) {
    showError(document.getElementById('values'), e);
  } finally {
    state.inflight = false;
    if (state.pending !== null) {
      const next = state.pending;
      state.pending = null;
      request(next);
    }
  }
}

function pickParameter(k) {
  if (run.weightCount + run.biasCount > 4096 || run.diagram === 'heatmap') {
    state.offset = Math.max(0, k - 5);
    request(state.epoch);
  }
  setTimeout(() => {
    const row = document.querySelector('[data-row="' + k + '"]');
    if (row) {
      row.scrollIntoView({ block: 'center' });
      row.classList.add('flash');
      setTimeout(() => row.classList.remove('flash'), 1200);
    }
  }, 200);
}

function render(refetch) {
  if (refetch) {
    request(state.epoch);
    return;
  }
  const v = state.shown;
  if (!v) return;
  document.getElementById('values-epoch').textContent = String(v.epoch);
  document.getElementById('updates-epoch').textContent = String(v.epoch);
  const epochPath = '/download/runs/' + id + '/epochs/' + v.epoch;
  clear(document.getElementById('neuron-downloads')).append(downloads(epochPath + '/neurons'), ' neurons · ',
    downloads(epochPath + '/outputs'), ' outputs');
  clear(document.getElementById('parameter-downloads')).append(downloads(epochPath + '/parameters'));
  const diagram = document.getElementById('diagram');
  if (run.diagram === 'heatmap') {
    drawHeatmaps(diagram, run, v, state.overlay, (k) => pickParameter(k));
  } else {
    drawGraph(diagram, run, v, state.overlay, (p) => pickParameter(p.k));
  }
  document.getElementById('overlay-note').textContent = 'edges: ' + OVERLAY_NAMES[state.overlay]
    + (run.samples > 1 ? '; neurons: sample ' + v.sample + ' of ' + v.samples : '');
  const box = clear(document.getElementById('values'));
  if (v.sheet) {
    box.append(sheet(v));
  } else {
    box.append(neuronTable(v), outputTable(v));
  }
  const updates = document.getElementById('updates');
  clear(updates).append(parameterTable(v));
  // A new page of rows starts at its top.
  if (state.tableOffset !== v.parameters.offset) updates.scrollTop = 0;
  state.tableOffset = v.parameters.offset;
}

const SHEET_GROUPS = [
  ['inputs and targets', ['i1', 'i2', 't1', 't2']],
  ['hidden layer', ['w1', 'w2', 'w3', 'w4', 'h1', 'a_h1', 'h2', 'a_h2']],
  ['output layer', ['w5', 'w6', 'w7', 'w8', 'o1', 'a_o1', 'o2', 'a_o2']],
  ['error', ['e1', 'e2', 'e_tot']],
  ['gradients', ['de_dw1', 'de_dw2', 'de_dw3', 'de_dw4', 'de_dw5', 'de_dw6', 'de_dw7', 'de_dw8']],
];

// The tutorial's spreadsheet row, by its names: exactly the epoch_sheet view's columns and values.
function sheet(v) {
  const value = new Map(v.sheet.columns.map((c, i) => [c, v.sheet.values[i]]));
  const wrap = el('div', { class: 'sheet' });
  for (const [title, names] of SHEET_GROUPS) {
    const list = el('dl', null);
    for (const n of names) {
      list.append(el('div', { class: 'pair' }, el('dt', null, n), el('dd', { 'data-name': n }, value.get(n))));
    }
    wrap.append(el('div', { class: 'group' }, el('h3', null, title), list));
  }
  wrap.append(el('p', { class: 'muted small' }, 'the epoch_sheet row of run ' + v.run + ', epoch ' + v.epoch
    + ' (learning rate ' + value.get('learning_rate') + '): weights as used in this epoch\'s forward pass'));
  return wrap;
}

function table(caption, columns, rows, rowAttrs) {
  const t = el('table', { class: 'values' });
  t.append(el('caption', null, caption));
  t.append(el('thead', null, el('tr', null, ...columns.map((c) => el('th', null, c)))));
  const body = el('tbody');
  rows.forEach((r, i) => body.append(el('tr', rowAttrs ? rowAttrs(i) : null, ...r.map((c, j) => el('td', { class: j > 0 ? 'num' : null }, c ?? '')))));
  t.append(body);
  return t;
}

function neuronTable(v) {
  return table('neurons, sample ' + v.sample + ' (forward_values)', ['layer', 'neuron', 'net_input', 'activation', 'delta'],
    v.neurons.map((n) => [String(n.layer), String(n.neuron), n.netInput, n.activation, n.delta]));
}

function outputTable(v) {
  return table('outputs, sample ' + v.sample + ' (losses); total_error ' + v.loss, ['output', 'target', 'actual', 'error'],
    v.outputs.map((o) => [String(o.output), o.target, o.actual, o.error]));
}

function parameterTable(v) {
  const p = v.parameters;
  const rows = p.rows.map((r) => [r.name, String(r.layer), String(r.from), String(r.to), r.gradient, r.before, r.delta, r.after]);
  const t = table('as the weight_updates and gradients views give them: before is in force during the epoch, after = before + delta, delta = −η·gradient'
    + (p.rows.length < p.total ? '; rows ' + (p.offset + 1) + ' to ' + (p.offset + p.rows.length) + ' of ' + p.total : ''),
  ['weight', 'layer', 'from', 'to', 'gradient', 'before', 'delta', 'after'], rows, (i) => ({ 'data-row': p.rows[i].k }));
  if (p.rows.length < p.total) {
    const nav = el('div', { class: 'pager' });
    const page = (label, offset) => {
      const b = el('button', { type: 'button', class: 'small' }, label);
      b.disabled = offset < 0 || offset >= p.total;
      b.addEventListener('click', () => { state.offset = offset; request(state.epoch); });
      return b;
    };
    nav.append(page('previous', p.offset - p.rows.length), page('next', p.offset + p.rows.length));
    return el('div', null, t, nav);
  }
  return t;
}

function togglePlay() {
  const button = document.getElementById('play');
  if (state.playing) {
    clearInterval(state.playing);
    state.playing = null;
    button.textContent = 'play';
    button.title = 'play (space)';
    button.setAttribute('aria-label', button.title);
    return;
  }
  if (state.epoch >= run.epochsRecorded - 1) go(0);
  // The whole run in about twenty seconds, however long it is.
  const step = Math.max(1, Math.ceil(run.epochsRecorded / 600));
  button.textContent = 'pause';
  button.title = 'pause (space)';
  button.setAttribute('aria-label', button.title);
  state.playing = setInterval(() => {
    if (state.epoch >= run.epochsRecorded - 1) {
      togglePlay();
      return;
    }
    if (!state.inflight) go(state.epoch + step);
  }, 33);
}

document.addEventListener('keydown', (e) => {
  if (!run || e.target.matches('input[type=number], select, textarea') || e.altKey || e.ctrlKey || e.metaKey) return;
  const big = e.shiftKey ? 10 : 1;
  const moves = { ArrowLeft: -big, ArrowRight: big, ArrowDown: -big, ArrowUp: big, PageDown: -100, PageUp: 100 };
  if (e.key in moves) {
    e.preventDefault();
    go(state.epoch + moves[e.key]);
  } else if (e.key === 'Home') {
    e.preventDefault();
    go(0);
  } else if (e.key === 'End') {
    e.preventDefault();
    go(run.epochsRecorded - 1);
  } else if (e.key === ' ' && !e.target.matches('button')) {
    e.preventDefault();
    togglePlay();
  }
});

function lossCurve() {
  loss = new Curves(document.getElementById('loss'), {
    yLabel: 'total error', log: false, markName: 'curveDrawnMs', onPick: go,
    markers: () => [{ x: state.epoch, color: '#111', label: 'epoch ' + state.epoch }], current: () => state.epoch,
    fetch: async (from, to, points) => {
      const q = new URLSearchParams({ points });
      if (from !== null) { q.set('from', from); q.set('to', to); }
      const early = from === null && firstCurve && Math.abs(points - firstPoints) <= 0.05 * points ? await firstCurve : null;
      firstCurve = null;
      const c = early || await api('/api/runs/' + id + '/curve?' + q);
      return { lines: [{ label: 'loss', x: c.x, y: c.y, color: color(0) }],
        note: c.everyEpoch ? 'every epoch of ' + c.from + '–' + c.to
          : 'epochs ' + c.from + '–' + c.to + ', thinned to ' + c.x.length + ' points (each bucket\'s lowest and highest kept)' };
    },
  });
  return loss.load(null);
}

function weightCurves() {
  const box = document.getElementById('trajectories');
  trajectories = new Curves(box, {
    yLabel: 'value', log: null, onPick: go, height: 260,
    markers: () => [{ x: state.epoch, color: '#111' }], current: () => state.epoch,
    fetch: async (from, to, points) => {
      const t = await api('/api/runs/' + id + '/weights?points=' + points);
      if (t.shown === 0) return { lines: [], note: t.lines + ' weights and biases: too many for one line each (download them as CSV or JSON)' };
      return { lines: t.series.map((s, i) => ({ label: s.label, x: s.x, y: s.y, color: color(i), width: 1.25 })),
        note: from !== null ? 'zoomed: the lines are thinned over the whole run' : '' };
    },
  });
  return trajectories.load(null);
}

let lastRefresh = 0;
let refreshTimer = null;

function follow(row) {
  const wasLast = state.epoch >= run.epochsRecorded - 1;
  const grew = row.epochsRecorded !== run.epochsRecorded;
  run.epochsRecorded = row.epochsRecorded;
  run.status = row.status;
  run.reason = row.reason;
  const last = Math.max(0, run.epochsRecorded - 1);
  document.getElementById('slider').max = last;
  document.getElementById('jump').max = last;
  document.getElementById('of').textContent = ' of 0–' + last;
  const head = document.querySelector('.page-head');
  head.querySelectorAll('.meta').forEach((m) => m.remove());
  head.append(...meta(run));
  document.documentElement.dataset.epochsRecorded = String(run.epochsRecorded);
  if (!grew) return;
  if (wasLast && !state.playing) go(last);
  // Curves are fetched again at most once a second while the run trains.
  const due = Math.max(0, 1000 - (performance.now() - lastRefresh));
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    lastRefresh = performance.now();
    loss.load(loss.range);
    if (run.trajectories <= 64 && trajectories) trajectories.load(trajectories.range);
  }, due);
}

async function start() {
  try {
    run = await api('/api/runs/' + id);
  } catch (e) {
    showError(main, e);
    return;
  }
  document.title = 'run ' + run.id + " '" + run.name + "' · backprop";
  layout();
  document.documentElement.dataset.epochsRecorded = String(run.epochsRecorded);
  if (run.epochsRecorded === 0) {
    clear(document.getElementById('values')).append(el('p', { class: 'muted' }, 'no epochs recorded yet'));
  } else {
    const asked = Number(params.get('epoch'));
    // A run that is training is shown at its newest epoch, and follows it, unless an epoch was asked for.
    go(params.has('epoch') && Number.isFinite(asked) ? asked : run.status === 'running' ? run.epochsRecorded - 1 : 0);
  }
  await lossCurve();
  whenInView(document.getElementById('trajectories'));
  if (run.status === 'running') live('/api/live?run=' + id, follow);
}

// The weights' lines read every epoch of the run once (a second for a million), so only when they come into view.
function whenInView(box) {
  if (run.trajectories > 64) {
    box.append(el('p', { class: 'muted' }, (run.weightCount + run.biasCount) + ' weights and biases are too many for one line each:'
      + ' the heatmaps show them epoch by epoch, and the weights download has every value of every epoch.'));
    return;
  }
  box.append(el('p', { class: 'muted', id: 'trajectories-wait' }, 'reading the weights of every epoch…'));
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      seen.disconnect();
      weightCurves().then(() => document.getElementById('trajectories-wait')?.remove())
        .catch((e) => showError(box, e));
    }
  }, { rootMargin: '200px' });
  seen.observe(box);
}

start().catch((e) => showError(main, e instanceof ApiError ? e : new Error(e.message)));
