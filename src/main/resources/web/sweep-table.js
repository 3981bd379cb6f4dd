// A sweep's results table, as 'backprop sweep' prints it, the best rate's column marked.
import { el } from './common.js';

export function resultsTable(t) {
  const best = t.bestRun === null ? -1 : t.rows[0].indexOf(String(t.bestRun));
  const head = el('tr', null, ...t.columns.map((c, i) => el('th', { class: (i > 0 ? 'num' : '') + (i === best ? ' best' : '') },
    c, i === best ? el('span', { class: 'best-tag' }, ' best') : null)));
  const body = el('tbody');
  for (const row of t.rows) {
    body.append(el('tr', null, ...row.map((v, i) => {
      if (i === 0) return el('th', { scope: 'row' }, v);
      const cell = el('td', { class: 'num' + (i === best ? ' best' : '') });
      if (row[0] === 'run') cell.append(el('a', { href: '/runs/' + v }, v)); else cell.append(v);
      return cell;
    })));
  }
  return el('div', { class: 'table-wrap' }, el('table', { class: 'sweep' }, el('thead', null, head), body),
    el('p', { class: 'muted small' }, t.finalMeaning));
}
