// Curves on one epoch axis, drawn by uPlot from lines the server has thinned to about two points per pixel column
// (each bucket's lowest and highest value kept). Dragging zooms, and the finer range is fetched; a double click
// shows everything again. Values in the legend are the server's own text, exactly as the command line prints them.
import uPlot from './uplot/uPlot.esm.js';
import { el, clear, mark } from './common.js';

// Lines with different epochs on one x axis: the union of their epochs, each line null where it has no point.
function align(lines) {
  const xs = new Set();
  for (const l of lines) for (const x of l.x) xs.add(x);
  const x = Float64Array.from(xs).sort();
  const index = new Map();
  x.forEach((v, i) => index.set(v, i));
  const ys = [];
  const texts = [];
  for (const l of lines) {
    const y = new Array(x.length).fill(null);
    const t = new Array(x.length).fill(null);
    for (let i = 0; i < l.x.length; i++) {
      const at = index.get(l.x[i]);
      y[at] = Number(l.y[i]);
      t[at] = l.y[i];
    }
    ys.push(y);
    texts.push(t);
  }
  return { data: [Array.from(x), ...ys], texts };
}

export class Curves {
  // options: { yLabel, log (boolean|null: null = no log switch), fetch(from, to, points) -> Promise<{lines, from, to}>,
  //            onPick(epoch), markers() -> [{x, color, dash, label}], height, markName }
  constructor(container, options) {
    this.container = container;
    this.o = options;
    this.log = !!options.log;
    this.range = null;
    this.plot = null;
    this.texts = [];
    this.loading = 0;
    const bar = el('div', { class: 'chart-bar' });
    if (options.log !== null && options.log !== undefined) {
      const box = el('input', { type: 'checkbox' });
      box.checked = this.log;
      box.addEventListener('change', () => { this.log = box.checked; this.rebuild(); });
      bar.append(el('label', { class: 'switch' }, box, ' log scale'));
    }
    const reset = el('button', { type: 'button', class: 'small' }, 'show all epochs');
    reset.addEventListener('click', () => this.load(null));
    this.note = el('span', { class: 'chart-note' });
    bar.append(reset, this.note);
    this.area = el('div', { class: 'chart-area' });
    container.append(bar, this.area);
    new ResizeObserver(() => this.resize()).observe(this.area);
  }

  width() {
    return Math.max(300, this.area.clientWidth || this.container.clientWidth || 800);
  }

  // Loads [from, to] (null: every epoch) at about two points per pixel column.
  async load(range) {
    const ticket = ++this.loading;
    const points = Math.round(this.width() * 2);
    const got = await this.o.fetch(range ? range[0] : null, range ? range[1] : null, points);
    if (ticket !== this.loading) return;
    this.range = range;
    this.lines = got.lines;
    this.note.textContent = got.note || '';
    this.draw();
  }

  rebuild() {
    if (this.plot) {
      this.plot.destroy();
      this.plot = null;
    }
    this.draw();
  }

  draw() {
    const lines = this.lines || [];
    const aligned = align(lines.map((l) => ({ x: l.x, y: l.y })));
    if (this.log) {
      for (let s = 1; s < aligned.data.length; s++) {
        aligned.data[s] = aligned.data[s].map((v) => (v !== null && v > 0 ? v : null));
      }
    }
    this.texts = aligned.texts;
    const series = [{ label: 'epoch', value: (u, v) => (v === null || v === undefined ? '—' : String(Math.round(v))) }];
    lines.forEach((l, i) => series.push({
      label: l.label,
      stroke: l.color,
      width: l.width || 1.5,
      spanGaps: true,
      points: { show: false },
      value: (u, v, sidx, didx) => {
        const t = didx === null || didx === undefined ? null : this.texts[i][didx];
        return t === null || t === undefined ? '—' : t;
      },
    }));
    if (this.plot && this.plot.series.length === series.length) {
      this.plot.setData(aligned.data, false);
      this.fit();
      return;
    }
    if (this.plot) this.plot.destroy();
    const self = this;
    const opts = {
      width: this.width(),
      height: this.o.height || 280,
      series,
      scales: {
        x: { time: false, auto: false, range: () => this.xRange() },
        y: this.log ? { distr: 3, range: (u, min, max) => logRange(min, max) } : { auto: true, range: (u, min, max) => linearRange(min, max) },
      },
      axes: [
        { label: 'epoch', values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) },
        { label: this.o.yLabel, size: 80, values: (u, ticks) => ticks.map(tickText) },
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      hooks: {
        setSelect: [(u) => {
          if (u.select.width > 4) {
            const from = Math.max(0, Math.floor(u.posToVal(u.select.left, 'x')));
            const to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            if (to > from) self.load([from, to]);
          }
        }],
        draw: [(u) => self.drawMarkers(u)],
        ready: [(u) => {
          u.over.addEventListener('click', () => {
            if (self.o.onPick && u.cursor.left >= 0 && u.select.width <= 4) {
              self.o.onPick(Math.round(u.posToVal(u.cursor.left, 'x')));
            }
          });
          u.over.addEventListener('dblclick', () => self.load(null));
          u.over.addEventListener('mouseleave', () => setTimeout(() => self.showCurrent(), 0));
        }],
      },
    };
    this.plot = new uPlot(opts, aligned.data, this.area);
    this.fit();
  }

  xRange() {
    const x = this.plot ? this.plot.data[0] : null;
    if (this.range) return [this.range[0], this.range[1]];
    if (!x || x.length === 0) return [0, 1];
    return [x[0], Math.max(x[x.length - 1], x[0] + 1)];
  }

  fit() {
    this.plot.setScale('x', { min: this.xRange()[0], max: this.xRange()[1] });
    this.showCurrent();
    if (this.o.markName) mark(this.o.markName);
  }

  // Away from the pointer, the legend shows each line's value nearest the chosen epoch.
  showCurrent() {
    const x = this.o.current ? this.o.current() : null;
    if (x === null || x === undefined || !this.plot || this.plot.cursor.left >= 0) return;
    const xs = this.plot.data[0];
    if (!xs.length) return;
    let lo = 0;
    let hi = xs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < x) lo = mid + 1; else hi = mid;
    }
    const at = lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x) ? lo - 1 : lo;
    const idxs = [at];
    for (let s = 1; s < this.plot.data.length; s++) {
      const ys = this.plot.data[s];
      let best = null;
      for (let d = 0; d < ys.length && best === null; d++) {
        if (at - d >= 0 && ys[at - d] !== null) best = at - d;
        else if (at + d < ys.length && ys[at + d] !== null) best = at + d;
      }
      idxs.push(best);
    }
    this.plot.setLegend({ idxs }, false);
  }

  drawMarkers(u) {
    const markers = this.o.markers ? this.o.markers() : [];
    const ctx = u.ctx;
    for (const m of markers) {
      if (m.x === null || m.x === undefined) continue;
      const x = Math.round(u.valToPos(m.x, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
      ctx.save();
      ctx.strokeStyle = m.color || '#111';
      ctx.lineWidth = (m.width || 1.5) * devicePixelRatio;
      ctx.setLineDash(m.dash ? [5 * devicePixelRatio, 4 * devicePixelRatio] : []);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      if (m.label) {
        ctx.fillStyle = m.color || '#111';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        ctx.font = (11 * devicePixelRatio) + 'px system-ui, sans-serif';
        // Beside the line, on whichever side has room for it.
        const room = u.bbox.left + u.bbox.width - x;
        const right = ctx.measureText(m.label).width + 8 * devicePixelRatio > room;
        ctx.textAlign = right ? 'right' : 'left';
        ctx.fillText(m.label, x + (right ? -4 : 4) * devicePixelRatio, u.bbox.top + (4 + 14 * (m.row || 0)) * devicePixelRatio);
      }
      ctx.restore();
    }
  }

  redrawMarkers() {
    if (this.plot) {
      this.plot.redraw(false, false);
      this.showCurrent();
    }
  }

  resize() {
    if (this.plot) {
      const w = this.width();
      if (Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: this.o.height || 280 });
    }
  }
}

// A log axis from the 1-2-5 step just below the lowest value to the one just above the highest, not whole decades.
function logRange(min, max) {
  if (!(min > 0 && max > 0)) return [1e-12, 1];
  const down = (v) => {
    const p = 10 ** Math.floor(Math.log10(v));
    return [5, 2, 1].map((m) => m * p).find((c) => c <= v * (1 + 1e-12));
  };
  const up = (v) => {
    const p = 10 ** Math.floor(Math.log10(v));
    return [1, 2, 5, 10].map((m) => m * p).find((c) => c >= v * (1 - 1e-12));
  };
  const lo = down(min);
  const hi = up(max);
  return hi > lo ? [lo, hi] : [lo / 2, hi * 2];
}

// A line that never moves (a run that has converged to its last bit) still gets an axis around its value.
function linearRange(min, max) {
  if (min === null || max === null) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.5 : 1;
    return [min - pad, max + pad];
  }
  return uPlot.rangeNum(min, max, 0.1, true);
}

function tickText(t) {
  if (t === null || t === undefined) return '';
  const a = Math.abs(t);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return t.toExponential(1);
  return String(Number(t.toPrecision(4)));
}

export function emptyNote(container, text) {
  clear(container).append(el('p', { class: 'muted' }, text));
}
