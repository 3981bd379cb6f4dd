// The network of one epoch: neurons with their net input and activation, edges coloured by the sign of the chosen
// overlay (weight, gradient or update) and thickened by its size; per-layer heatmaps when there are too many edges.
import { el, svg, clear } from './common.js';

const POSITIVE = '#1f6feb';
const NEGATIVE = '#d1495b';

// The seed's names where it has them (i1, h1, o1); else inputs i, outputs o, and hidden h (with its layer when there are several).
function neuronName(n, run) {
  if (n.name) return n.name;
  if (n.layer === 0) return 'i' + n.neuron;
  if (n.layer === run.layers.length - 1) return 'o' + n.neuron;
  return run.layers.length > 3 ? 'h' + n.layer + '.' + n.neuron : 'h' + n.neuron;
}

function overlayValue(p, overlay) {
  return overlay === 'gradient' ? p.gradient : overlay === 'update' ? p.delta : p.before;
}

export const OVERLAY_NAMES = { weight: 'weight (in force during the epoch)', gradient: 'gradient ∂E/∂w', update: 'update Δw = −η·∂E/∂w' };

export function drawGraph(container, run, epoch, overlay, onPickParameter) {
  const layers = run.layers;
  const most = Math.max(...layers);
  const showValues = most <= 6;
  const showEdgeValues = run.weightCount <= 8;
  const showEdgeLabels = run.weightCount <= 32;
  const width = Math.max(660, layers.length * 220);
  const rowGap = showValues ? 150 : Math.max(22, Math.min(90, 420 / most));
  const height = Math.max(320, most * rowGap + 70);
  const radius = showValues ? 26 : Math.max(5, Math.min(18, rowGap / 3));
  const xOf = (l) => 50 + l * ((width - 230) / Math.max(1, layers.length - 1));
  const yOf = (l, i) => height / 2 + (i - (layers[l] - 1) / 2) * rowGap;
  const neurons = new Map();
  for (const n of epoch.neurons) neurons.set(n.layer + ':' + n.neuron, n);
  const params = epoch.parameters.rows;
  const weights = params.filter((p) => p.from > 0);
  const biases = new Map(params.filter((p) => p.from === 0).map((p) => [p.layer + ':' + p.to, p]));
  let largest = 0;
  for (const p of weights) largest = Math.max(largest, Math.abs(Number(overlayValue(p, overlay))));
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'diagram', role: 'img',
    'aria-label': 'network ' + run.network + ' at epoch ' + epoch.epoch });
  const edges = svg('g', { class: 'edges' });
  const labels = svg('g', { class: 'edge-labels' });
  const nodes = svg('g', { class: 'neurons' });
  root.append(edges, labels, nodes);
  for (const p of weights) {
    const v = Number(overlayValue(p, overlay));
    const x1 = xOf(p.layer - 1) + radius;
    const y1 = yOf(p.layer - 1, p.from - 1);
    const x2 = xOf(p.layer) - radius;
    const y2 = yOf(p.layer, p.to - 1);
    const w = largest > 0 ? 0.75 + 7 * Math.abs(v) / largest : 1;
    const line = svg('line', { x1, y1, x2, y2, stroke: v < 0 ? NEGATIVE : POSITIVE, 'stroke-width': w.toFixed(2),
      'stroke-opacity': '0.75', class: 'edge', 'data-name': p.name });
    line.append(svg('title', null, p.name + ' = ' + overlayValue(p, overlay)));
    line.addEventListener('click', () => onPickParameter && onPickParameter(p));
    edges.append(line);
    if (showEdgeLabels) {
      // A level edge is labelled at its middle, outside the network (above in the top half, below in the bottom);
      // a slanted one near its source, where the edges of one source have not yet met the others.
      const level = Math.abs(y1 - y2) < 1;
      const t = level ? 0.5 : 0.27;
      const lx = x1 + (x2 - x1) * t;
      const up = level && y1 < height / 2;
      const ly = y1 + (y2 - y1) * t + (level ? (up ? -(showEdgeValues ? 20 : 6) : 14) : (y2 > y1 ? 12 : -14));
      const g = svg('g', { class: 'edge-label' });
      g.append(svg('text', { x: lx, y: ly, 'text-anchor': 'middle', class: 'edge-name' }, p.name));
      if (showEdgeValues) {
        g.append(svg('text', { x: lx, y: ly + 13, 'text-anchor': 'middle', class: 'edge-value', 'data-name': 'edge-' + p.name },
          overlayValue(p, overlay)));
      }
      labels.append(g);
    }
  }
  for (let l = 0; l < layers.length; l++) {
    for (let i = 0; i < layers[l]; i++) {
      const n = neurons.get(l + ':' + (i + 1));
      const x = xOf(l);
      const y = yOf(l, i);
      const g = svg('g', { class: 'neuron' + (l === 0 ? ' input' : l === layers.length - 1 ? ' output' : '') });
      const name = n ? neuronName(n, run) : '';
      g.append(svg('circle', { cx: x, cy: y, r: radius }));
      if (radius >= 14) g.append(svg('text', { x, y: y + 5, 'text-anchor': 'middle', class: 'neuron-name' }, name));
      const bias = biases.get(l + ':' + (i + 1));
      const tip = n ? (l === 0 ? name + ' = ' + n.activation : name + ': net ' + n.netInput + ', activation ' + n.activation + ', δ ' + n.delta
        + (bias ? ', bias ' + bias.name + ' = ' + bias.before : '')) : '';
      g.append(svg('title', null, tip));
      if (showValues && n) {
        // Outputs to the right; in the other layers the top neuron's values above it, the rest below.
        const tx = l === layers.length - 1 ? x + radius + 8 : x;
        const anchor = l === layers.length - 1 ? 'start' : 'middle';
        const lines = l === 0 ? 1 : 2;
        const ty = l === layers.length - 1 ? y - 6 : i === 0 && layers[l] > 1 ? y - radius - 8 - 14 * (lines - 1) : y + radius + 16;
        if (l === 0) {
          g.append(svg('text', { x: tx, y: ty, 'text-anchor': anchor, class: 'neuron-value' }, n.activation));
        } else {
          g.append(svg('text', { x: tx, y: ty, 'text-anchor': anchor, class: 'neuron-value' }, 'net ' + n.netInput),
            svg('text', { x: tx, y: ty + 14, 'text-anchor': anchor, class: 'neuron-value strong' }, 'out ' + n.activation));
        }
      }
      nodes.append(g);
    }
  }
  const legend = el('div', { class: 'legend-row' },
    el('span', { class: 'swatch pos' }), ' positive  ', el('span', { class: 'swatch neg' }), ' negative  ',
    'thickness: |' + overlay + '| relative to the largest (', String(largest), ')');
  clear(container).append(root, legend);
}

// One canvas per layer: target neurons down, source neurons across, colour by sign and size of the overlay.
export function drawHeatmaps(container, run, epoch, overlay, onPickWeight) {
  clear(container);
  const heat = epoch.heat;
  const wrap = el('div', { class: 'heatmaps' });
  for (const layer of heat.layers) {
    const bytes = Uint8Array.from(atob(layer.values), (c) => c.charCodeAt(0));
    const values = new Float32Array(bytes.buffer);
    const largest = Number(layer.largest) || 1;
    const canvas = el('canvas', { width: layer.cols, height: layer.rows, class: 'heat' });
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(layer.cols, layer.rows);
    for (let i = 0; i < values.length; i++) {
      const t = Math.min(1, Math.abs(values[i]) / largest);
      const [r, g, b] = values[i] < 0 ? [209, 73, 91] : [31, 111, 235];
      image.data[4 * i] = Math.round(255 - (255 - r) * t);
      image.data[4 * i + 1] = Math.round(255 - (255 - g) * t);
      image.data[4 * i + 2] = Math.round(255 - (255 - b) * t);
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const scale = Math.max(1, Math.floor(Math.min(320 / layer.cols, 320 / layer.rows)));
    canvas.style.width = layer.cols * scale + 'px';
    canvas.style.height = layer.rows * scale + 'px';
    canvas.addEventListener('click', (e) => {
      const r = canvas.getBoundingClientRect();
      const col = Math.floor((e.clientX - r.left) / (r.width / layer.cols));
      const row = Math.floor((e.clientY - r.top) / (r.height / layer.rows));
      onPickWeight && onPickWeight(layer.firstWeight + row * layer.cols + col);
    });
    wrap.append(el('figure', { class: 'heat-layer' }, canvas,
      el('figcaption', null, 'layer ' + (layer.layer - 1) + ' → ' + layer.layer + ': ' + layer.rows + ' × ' + layer.cols
        + ' weights, |' + overlay + '| up to ' + layer.largest)));
  }
  container.append(wrap, el('div', { class: 'legend-row' },
    el('span', { class: 'swatch pos' }), ' positive  ', el('span', { class: 'swatch neg' }), ' negative  ',
    run.weightCount + ' weights in all; in each map the rows are target neurons and the columns source neurons; click a cell for its exact values'));
}
