// End-to-end tests of 'backprop ui' in Debian's Chromium, on stores the command line made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { backprop, csv, startUi, startProcess, browser, screenshot, median, marked, indexed, tempDir, root } from './harness.mjs';

const XSS = '<img src=x onerror=alert(1)>';
let dir;
let store;
let many;
let ui;
let manyUi;
let chrome;
let sweepCsv;
const dialogs = [];

before(async () => {
  dir = tempDir('backprop-ui-test-');
  store = path.join(dir, 'store');
  many = path.join(dir, 'many');
  backprop(store, ['train', '-q']);                                                          // run 1
  sweepCsv = backprop(store, ['sweep', '--lr', '0.1,0.2,0.5', '--format', 'csv', '-q']);      // runs 2-4, sweep 1
  backprop(store, ['sweep', '--lr', '0.1,0.2', '--chained', '-q']);                         // runs 5-6, sweep 2
  backprop(store, ['train', '--name', XSS, '--epochs', '30', '-q']);                        // run 7
  backprop(store, ['train', '--config', path.join(root, 'scripts/examples/xor.json'), '-q']); // run 8
  backprop(store, ['train', '--epochs', '1000000', '--name', 'long', '-q']);                 // run 9
  const wide = path.join(dir, 'wide.json');
  fs.writeFileSync(wide, JSON.stringify({ name: 'wide', layers: [16, 64, 40, 4], activations: ['tanh', 'tanh', 'sigmoid'],
    seed: 5, biases: true, inputs: [Array.from({ length: 16 }, (_, i) => i / 16)], targets: [[0.1, 0.4, 0.6, 0.9]],
    learningRate: 0.05, epochs: 40 }));
  backprop(store, ['train', '--config', wide, '-q']);                                         // run 10
  const rates = Array.from({ length: 1000 }, (_, i) => ((i + 1) / 1000).toString()).join(',');
  backprop(many, ['sweep', '--lr', rates, '--epochs', '100', '-q']);
  ui = await startUi(store);
  manyUi = await startUi(many);
  chrome = await browser();
  chrome.context.on('page', (page) => page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); }));
  // The first visit of each server, as a person opening the printed address: it leaves the cookie every test uses.
  for (const server of [ui, manyUi]) {
    const page = await chrome.context.newPage();
    await page.goto(server.url);
    await page.close();
  }
});

after(async () => {
  await chrome?.close();
  await ui?.stop();
  await manyUi?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(pathAndQuery, server = ui) {
  const page = await chrome.context.newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  await page.goto(server.origin + pathAndQuery);
  return page;
}

test('the printed address lets the browser in and swaps its token for an HttpOnly, SameSite=Strict cookie', async () => {
  const fresh = await browser();
  const page = await fresh.context.newPage();
  await page.goto(ui.url);
  assert.equal(page.url(), ui.origin + '/');
  await page.waitForSelector('#runs-body tr');
  const cookies = await fresh.context.cookies(ui.origin);
  const cookie = cookies.find((c) => c.name === 'backprop-ui-' + ui.port);
  assert.equal(cookie.value, ui.token);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read the cookie');
  await fresh.close();
});

test('the runs page lists every run, sorts and filters them, and a name made of markup is shown as text', async () => {
  const page = await open('/');
  await page.waitForFunction(() => document.querySelectorAll('#runs-body tr').length === 10);
  const name = page.locator('#runs-body td.name a', { hasText: XSS });
  assert.equal(await name.textContent(), XSS);
  assert.equal(await page.locator('#main img').count(), 0, 'the name did not become an element');
  await page.goto(ui.origin + '/runs/7');
  await page.waitForFunction(() => document.documentElement.dataset.shownEpoch === '0');
  assert.equal(await page.locator('h1 .name').textContent(), "'" + XSS + "'");
  assert.equal(await page.locator('#main img').count(), 0);
  assert.equal(await page.title(), "run 7 '" + XSS + "' · backprop");
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('#runs-body tr').length === 10);
  assert.deepEqual(dialogs, [], 'no script ran');
  assert.deepEqual(page.errors, []);

  await page.click('#runs th[data-key=finalError]');
  const finals = await page.$$eval('#runs-body tr', (rows) => rows.map((r) => Number(r.children[8].textContent)));
  assert.deepEqual(finals, [...finals].sort((a, b) => a - b), 'sorted by final error');
  await page.fill('#filter', 'xor');
  await page.waitForFunction(() => document.getElementById('count').textContent === '1 of 10 runs');
  assert.equal(await page.locator('#runs-body tr:not([hidden]) td.name').textContent(), 'xor');
  await page.fill('#filter', '');
  await page.click('#runs th[data-key=id]');
  await page.locator('#sweeps details[data-sweep="1"] summary').click();
  await page.waitForSelector('#sweeps details[data-sweep="1"] table.sweep');
  await screenshot(page, 'runs');
  await page.close();
});

test('run 1 at epoch 50 shows exactly the values sql gives for that epoch', async () => {
  const page = await open('/runs/1?epoch=50');
  await page.waitForFunction(() => document.documentElement.dataset.shownEpoch === '50');
  const [columns, values] = csv(backprop(store, ['sql', 'SELECT * FROM epoch_sheet WHERE run_id = 1 AND epoch = 50', '--format', 'csv']));
  let compared = 0;
  for (let i = 0; i < columns.length; i++) {
    if (['run_id', 'epoch', 'learning_rate'].includes(columns[i])) continue;
    assert.equal(await page.locator('.sheet dd[data-name="' + columns[i] + '"]').textContent(), values[i], columns[i]);
    compared++;
  }
  assert.equal(compared, 31);
  assert.equal(await page.locator('.sheet dd[data-name="w1"]').textContent(), '0.14861839134677562');
  assert.equal(await page.locator('[data-name="edge-w1"]').textContent(), '0.14861839134677562');
  const updates = csv(backprop(store, ['sql', 'SELECT u.weight, g.gradient, u.before, u.delta, u.after FROM weight_updates u'
    + ' JOIN gradients g ON g.run_id = u.run_id AND g.epoch = u.epoch AND g.weight = u.weight'
    + ' WHERE u.run_id = 1 AND u.epoch = 50 ORDER BY u.weight', '--format', 'csv'])).slice(1);
  const shown = await page.$$eval('#updates tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.deepEqual(shown.map((r) => [r[0], r[4], r[5], r[6], r[7]]), updates);
  // The weights' lines load once they are in view.
  await page.locator('#trajectories').scrollIntoViewIfNeeded();
  await page.waitForSelector('#trajectories .uplot');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await screenshot(page, 'run-1-epoch-50', 'ui-run.png');
  await page.close();
});

test('scrubbing, the buttons and the arrow keys move the epoch, and each shows its exact values', async () => {
  const page = await open('/runs/1?epoch=50');
  const at = async (epoch) => {
    await page.waitForFunction((e) => document.documentElement.dataset.shownEpoch === String(e), epoch);
    assert.equal(await page.locator('#epoch').textContent(), String(epoch));
    assert.ok(page.url().endsWith('/runs/1?epoch=' + epoch), page.url());
  };
  await at(50);
  await page.keyboard.press('ArrowRight');
  await at(51);
  const w1 = csv(backprop(store, ['sql', 'SELECT w1 FROM epoch_sheet WHERE run_id = 1 AND epoch = 51', '--format', 'csv']))[1][0];
  assert.equal(await page.locator('.sheet dd[data-name="w1"]').textContent(), w1);
  await page.keyboard.press('Shift+ArrowRight');
  await at(61);
  await page.keyboard.press('ArrowLeft');
  await at(60);
  await page.keyboard.press('End');
  await at(99);
  await page.keyboard.press('ArrowRight');
  await at(99);
  await page.keyboard.press('Home');
  await at(0);
  await page.locator('#slider').fill('33');
  await at(33);
  await page.fill('#jump', '77');
  await page.press('#jump', 'Enter');
  await at(77);
  await page.click('button[aria-label="step forward (→)"]');
  await at(78);
  await page.click('button[aria-label="play (space)"]');
  await page.waitForFunction(() => Number(document.documentElement.dataset.shownEpoch) >= 85);
  await page.click('button[aria-label="pause (space)"]');
  await screenshot(page, 'run-1-scrubbed');
  await page.close();

  // Any epoch of the million-epoch run: the time from the key or the jump to its exact values on the page.
  const long = await open('/runs/9?epoch=500000');
  await long.waitForFunction(() => document.documentElement.dataset.shownEpoch === '500000');
  const times = [];
  for (const epoch of [3, 999999, 123457, 876543, 400000, 1, 654321, 250000, 750001, 999000]) {
    await long.fill('#jump', String(epoch));
    await long.press('#jump', 'Enter');
    await long.waitForFunction((e) => document.documentElement.dataset.shownEpoch === String(e), epoch);
    times.push(Number(await long.evaluate(() => document.documentElement.dataset.scrubMs)));
    await long.keyboard.press('ArrowLeft');
    await long.waitForFunction((e) => document.documentElement.dataset.shownEpoch === String(e - 1), epoch);
    times.push(Number(await long.evaluate(() => document.documentElement.dataset.scrubMs)));
  }
  const row = csv(backprop(store, ['sql', 'SELECT e_tot FROM epoch_sheet WHERE run_id = 9 AND epoch = 998999', '--format', 'csv']))[1][0];
  assert.equal(await long.locator('.sheet dd[data-name="e_tot"]').textContent(), row);
  console.log('# ui.scrub.long_run: median ' + median(times).toFixed(1) + ' ms, slowest ' + Math.max(...times).toFixed(1)
    + ' ms over ' + times.length + ' epochs (target < 50 ms)');
  await long.close();
});

test('compare states the first divergent epoch that diff --format json gives, and warns when the starts differ', async () => {
  for (const [a, b] of [[2, 3], [5, 6], [1, 2], [2, 8]]) {
    const diff = JSON.parse(backprop(store, ['diff', String(a), String(b), '--format', 'json']));
    const page = await open('/compare?runs=' + a + ',' + b);
    await marked(page, 'compareReadyMs');
    const stated = await page.locator('#divergence').textContent();
    if (diff.firstDivergentEpoch === null) {
      assert.ok(stated.startsWith('first divergent epoch: none'), stated);
    } else {
      assert.equal(stated, 'first divergent epoch: ' + diff.firstDivergentEpoch);
      assert.equal(await page.locator('#chosen').textContent(), String(diff.firstDivergentEpoch));
    }
    assert.equal(await page.locator('#start').textContent(), diff.initialWeights);
    assert.equal(await page.locator('#start').getAttribute('class'), diff.initialWeightsEqual ? 'ok' : 'warning');
    if (a === 2) {
      await page.mouse.move(0, 0);
      await screenshot(page, 'compare-' + a + '-' + b, b === 3 ? 'ui-compare.png' : null);
    } else {
      await screenshot(page, 'compare-' + a + '-' + b);
    }
    await page.close();
  }
  assert.equal(JSON.parse(backprop(store, ['diff', '2', '3', '--format', 'json'])).firstDivergentEpoch, 1);
  const three = await open('/compare?runs=2,3,4');
  await marked(three, 'compareReadyMs');
  assert.equal(await three.locator('#divergence').count(), 0, 'a divergent epoch is for two runs');
  assert.equal(await three.locator('.run-legend li').count(), 3);
  await screenshot(three, 'compare-2-3-4');
  await three.close();
});

test('a sweep page shows the results table as sweep prints it, with the best rate marked', async () => {
  const page = await open('/sweeps/1');
  await marked(page, 'sweepReadyMs');
  const rows = await page.$$eval('table.sweep tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.childNodes[0].textContent)));
  assert.deepEqual(rows, csv(sweepCsv));
  assert.equal(await page.locator('table.sweep thead th.best').textContent(), '0.5 best');
  assert.ok((await page.locator('p.ok').textContent()).startsWith('independent'));
  await screenshot(page, 'sweep-1');
  await page.goto(ui.origin + '/sweeps/2');
  await marked(page, 'sweepReadyMs');
  assert.ok((await page.locator('p.warning').textContent()).includes('do not share a start'));
  await screenshot(page, 'sweep-2-chained');
  await page.close();
});

test("a live run's page and the runs list grow while it trains", async () => {
  const trainer = startProcess(['train', '--epochs', '5000000', '--name', 'live', '-q'], store, /$^/);
  trainer.seen.catch(() => {});
  try {
    const list = await open('/');
    await list.waitForFunction(() => document.querySelector('#runs-body tr[data-id="11"]') !== null, null, { timeout: 30000 });
    const page = await open('/runs/11');
    await page.waitForFunction(() => Number(document.documentElement.dataset.epochsRecorded) > 0, null, { timeout: 30000 });
    const first = Number(await page.evaluate(() => document.documentElement.dataset.epochsRecorded));
    const t0 = Date.now();
    await page.waitForFunction((n) => Number(document.documentElement.dataset.epochsRecorded) > n, first, { timeout: 5000 });
    const grewAfter = Date.now() - t0;
    const second = Number(await page.evaluate(() => document.documentElement.dataset.epochsRecorded));
    assert.ok(second > first, second + ' > ' + first);
    assert.equal(Number(await page.locator('#slider').getAttribute('max')), second - 1);
    await page.waitForFunction(() => document.querySelector('.status.running') !== null);
    const cell = () => list.$eval('#runs-body tr[data-id="11"]', (tr) => tr.children[6].textContent);
    const before = await cell();
    await list.waitForFunction((b) => document.querySelector('#runs-body tr[data-id="11"]').children[6].textContent !== b, before, { timeout: 5000 });
    console.log('# ui.live: the run page grew from ' + first + ' to ' + second + ' epochs, ' + grewAfter + ' ms after it was opened');
    await page.waitForTimeout(1200);
    await screenshot(page, 'live-run');
    await screenshot(list, 'live-runs');
    await page.close();
    await list.close();
  } finally {
    trainer.child.kill('SIGINT');
    const end = await trainer.exited;
    assert.ok(end.code === 130 || end.code === 0, 'the trainer stopped: ' + JSON.stringify(end));
  }
});

test('the 1,000,000-epoch loss curve is drawn from the click, thinned to about two points per pixel column', async () => {
  const page = await open('/');
  await indexed(page, ui.origin);
  const times = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(ui.origin + '/');
    await page.waitForSelector('#runs-body a[href="/runs/9"]');
    await page.click('#runs-body td.name a[href="/runs/9"]');
    times.push(await marked(page, 'curveDrawnMs'));
  }
  const points = await page.evaluate(() => document.querySelector('#loss .chart-note').textContent);
  const width = await page.evaluate(() => document.querySelector('#loss .u-over').clientWidth);
  const kept = Number(points.match(/thinned to (\d+) points/)[1]);
  assert.ok(kept <= 2 * Math.ceil(width * 1.02) + 4 && kept > width / 2, kept + ' points for ' + width + ' pixels');
  console.log('# ui.curve.1m_epochs: drawn ' + median(times).toFixed(0) + ' ms after the click (median of ' + times.length
    + ': ' + times.map((t) => t.toFixed(0)).join(', ') + ' ms; target < 300 ms), ' + kept + ' points for ' + width + ' pixel columns');
  // Zooming fetches the finer range: a tenth of the run, then a few pixels of that, which are every epoch.
  const drag = async (from, to) => {
    await page.locator('#loss .u-over').scrollIntoViewIfNeeded();
    const box = await page.locator('#loss .u-over').boundingBox();
    await page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * (from + to) / 2, box.y + box.height / 2, { steps: 3 });
    await page.mouse.move(box.x + box.width * to, box.y + box.height / 2, { steps: 3 });
    await page.mouse.up();
  };
  await drag(0.4, 0.5);
  await page.waitForFunction(() => /^epochs 3\d{5}–4\d{5}, thinned/.test(document.querySelector('#loss .chart-note').textContent), null, { timeout: 10000 });
  await drag(0.5, 0.505);
  await page.waitForFunction(() => /^every epoch of/.test(document.querySelector('#loss .chart-note').textContent), null, { timeout: 10000 });
  await screenshot(page, 'run-9-million-epochs');
  await page.close();
});

test('the runs page of a store with 1,000 runs is drawn whole', async () => {
  const page = await open('/', manyUi);
  await indexed(page, manyUi.origin);
  const times = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(manyUi.origin + '/');
    times.push(await marked(page, 'runsRenderedMs'));
    assert.equal(await page.locator('#runs-body tr').count(), 1000);
  }
  assert.equal(await page.locator('#count').textContent(), '1000 runs');
  assert.equal(await page.locator('#runs-body tr[data-id="1000"] td').nth(8).textContent(),
    csv(backprop(many, ['sql', 'SELECT total_error FROM epoch_losses WHERE run_id = 1000 AND epoch = 99', '--format', 'csv']))[1][0]);
  console.log('# ui.runs_page.1000_runs: drawn ' + median(times).toFixed(0) + ' ms after navigation (median of ' + times.length
    + ': ' + times.map((t) => t.toFixed(0)).join(', ') + ' ms; target < 500 ms)');
  await screenshot(page, 'runs-1000', null, false);
  await page.close();
});

test('a network with more than 2,000 weights is drawn as per-layer heatmaps, its table a page at a time', async () => {
  const page = await open('/runs/10?epoch=39');
  await page.waitForFunction(() => document.documentElement.dataset.shownEpoch === '39');
  assert.equal(await page.locator('canvas.heat').count(), 3);
  assert.equal(await page.locator('svg.diagram').count(), 0);
  // 3,744 weights and 108 biases, 200 rows at a time; a click on a cell shows that weight's row.
  assert.equal(await page.locator('#updates tbody tr').count(), 200);
  assert.ok((await page.locator('#updates caption').textContent()).endsWith('rows 1 to 200 of 3852'));
  await page.click('#updates .pager button:text("next")');
  await page.waitForFunction(() => document.querySelector('#updates caption').textContent.endsWith('rows 201 to 400 of 3852'));
  const parameters = csv(backprop(store, ['sql', "SELECT weight, gradient FROM gradients WHERE run_id = 10 AND epoch = 39 AND weight = 'w201'", '--format', 'csv']));
  assert.equal(await page.locator('#updates tr[data-row="200"] td').nth(4).textContent(), parameters[1][1]);
  await page.click('.segmented button[data-overlay=gradient]');
  await page.waitForFunction(() => document.getElementById('overlay-note').textContent.includes('gradient'));
  await screenshot(page, 'run-10-heatmaps');
  await page.close();
});

function request(method, target, headers) {
  return new Promise((resolve, reject) => {
    const url = new URL(target);
    const req = http.request({ host: '127.0.0.1', port: url.port, path: url.pathname + url.search, method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('without the token nothing is served, another Host is refused, POST is 405, and no other site may use the page', async () => {
  for (const p of ['/', '/runs/1?epoch=50', '/api/runs', '/api/live', '/api/live?run=1', '/static/run.js', '/download/runs.csv']) {
    const r = await request('GET', ui.origin + p, {});
    assert.equal(r.status, 401, p);
    assert.ok(!r.body.includes('seed'), p);
  }
  const ok = await request('GET', ui.origin + '/api/runs', { Cookie: ui.cookie });
  assert.equal(ok.status, 200);
  assert.ok(ok.headers['content-security-policy'].startsWith("default-src 'self'"));
  assert.ok(Object.keys(ok.headers).every((h) => !h.startsWith('access-control-')), JSON.stringify(ok.headers));
  const rebound = await request('GET', ui.origin + '/api/runs', { Cookie: ui.cookie, Host: 'attacker.example:' + ui.port });
  assert.equal(rebound.status, 403);
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await request(method, ui.origin + '/api/runs', { Cookie: ui.cookie });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.allow, 'GET, HEAD');
  }
  const head = await request('HEAD', ui.origin + '/api/runs', { Cookie: ui.cookie });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');

  // In a browser with no cookie for it: refused, and the page it gets says which address to open.
  const stranger = await browser();
  const page = await stranger.context.newPage();
  const response = await page.goto(ui.origin + '/');
  assert.equal(response.status(), 401);
  assert.ok((await page.textContent('body')).includes("the address 'backprop ui' printed"));
  await screenshot(page, 'stranger-refused');
  await stranger.close();
  assert.equal(ui.errors(), '', 'the server reported no failure of its own');
});
