// What every page shares: fetching the server's JSON, building elements whose text is always text (never HTML),
// the header, download links, and the live event stream.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    throw new ApiError(res.status, (await res.text()).trim() || res.statusText);
  }
  return res.json();
}

// el('td', {class: 'num'}, 'text', child...): strings become text nodes, so a run's name can never become markup.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  setAttrs(e, attrs);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function setAttrs(e, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'href' && !String(v).startsWith('/')) throw new Error('links stay on this server: ' + v);
    if (k.startsWith('on')) throw new Error('no inline handlers: ' + k);
    e.setAttribute(k, v === true ? '' : String(v));
  }
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

export function header(here) {
  const nav = el('nav', { class: 'top' },
    el('a', { href: '/', class: 'brand' }, 'backprop'),
    el('a', { href: '/', class: here === 'runs' ? 'here' : null }, 'runs'),
    el('span', { class: 'spacer' }),
    el('span', { id: 'live', class: 'live off', hidden: true }, 'live'));
  document.body.prepend(nav);
}

export function setLive(on) {
  const dot = document.getElementById('live');
  if (dot) {
    dot.hidden = false;
    dot.className = on ? 'live on' : 'live off';
    dot.textContent = on ? 'live' : 'reconnecting…';
    dot.title = on ? 'updates arrive as runs commit epochs' : 'the server is not answering: trying again every second';
  }
}

// Download links for one table: CSV and JSON, uncapped, from the same code as the command line.
export function downloads(path, query) {
  const q = query ? '?' + query : '';
  return el('span', { class: 'downloads' }, 'download ',
    el('a', { href: path + '.csv' + q, download: true }, 'CSV'), ' ',
    el('a', { href: path + '.json' + q, download: true }, 'JSON'));
}

export function showError(container, err) {
  clear(container).append(el('p', { class: 'error' }, err instanceof ApiError ? err.message : 'error: ' + err.message));
}

// A stream of run rows as they change; the browser reconnects by itself, sending the last event id it saw.
export function live(url, onRun) {
  const source = new EventSource(url);
  source.addEventListener('open', () => setLive(true));
  source.addEventListener('error', () => setLive(false));
  source.addEventListener('run', (e) => onRun(JSON.parse(e.data)));
  return source;
}

export const PALETTE = ['#1f6feb', '#d1495b', '#2a9d8f', '#e09f3e', '#7b2cbf', '#3d5a80', '#b5838d', '#588157',
  '#9c6644', '#ff006e', '#006d77', '#8338ec'];

export function color(i) {
  return PALETTE[i % PALETTE.length];
}

export function runLabel(run) {
  return 'run ' + run.id + " '" + run.name + "'";
}

export function statusBadge(status) {
  return el('span', { class: 'status ' + status }, status);
}

// Marks a moment for the browser tests and the benchmark: milliseconds since this page's navigation began.
export function mark(name) {
  document.documentElement.dataset[name] = performance.now().toFixed(1);
}
