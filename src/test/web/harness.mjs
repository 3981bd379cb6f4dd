// What the browser tests share: the backprop command line, a 'backprop ui' child process, Debian's Chromium through
// playwright-core (which downloads no browser), and screenshots under target/ui-screenshots/.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const launcher = path.join(root, 'scripts', 'backprop');
export const shots = path.join(root, 'target', 'ui-screenshots');

export function chromiumPath() {
  if (process.env.BACKPROP_CHROMIUM) return process.env.BACKPROP_CHROMIUM;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', 'command -v ' + name], { encoding: 'utf8' }).trim();
    } catch {
      // Not this name.
    }
  }
  throw new Error("the browser tests need Debian's Chromium: apt-get install -y chromium (or set BACKPROP_CHROMIUM to a Chromium binary)");
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Runs 'backprop ARGS --db STORE' and returns what it printed; a non-zero exit fails the test unless expected.
export function backprop(store, args, expectCode = 0) {
  const r = spawnSync(launcher, [...args, '--db', store], { encoding: 'utf8', env: quietEnv(), maxBuffer: 1 << 28 });
  if (r.status !== expectCode) {
    throw new Error('backprop ' + args.join(' ') + ' exited with ' + r.status + ': ' + r.stderr);
  }
  return r.stdout;
}

function quietEnv() {
  const env = { ...process.env };
  delete env.BACKPROP_HEAP;
  delete env.BACKPROP_JAVA_OPTS;
  return env;
}

// A CSV as the command line prints it (the tests' values have no commas), as rows of cells.
export function csv(text) {
  return text.trim().split('\n').map((line) => line.split(','));
}

// Starts a child process and resolves once a line of its output matches.
export function startProcess(args, store, ready) {
  const child = spawn(launcher, [...args, '--db', store], { env: quietEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const seen = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(ready);
      if (m) resolve(m);
    });
    child.on('exit', (code) => reject(new Error('backprop ' + args.join(' ') + ' exited with ' + code + ': ' + err)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, seen, exited, output: () => out, errors: () => err };
}

// 'backprop ui --port 0' on a store: its address, token and origin, and how to stop it.
export async function startUi(store) {
  const p = startProcess(['ui', '--port', '0'], store, /open: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))\n/);
  const m = await p.seen;
  return {
    url: m[1], port: Number(m[2]), token: m[3], origin: 'http://127.0.0.1:' + m[2],
    cookie: 'backprop-ui-' + m[2] + '=' + m[3],
    errors: p.errors,
    async stop() {
      p.child.kill('SIGINT');
      await p.exited;
    },
  };
}

export async function browser() {
  const profile = tempDir('backprop-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Saves a screenshot for a person to look at; the README's two are copied to docs/ when BACKPROP_UPDATE_DOCS=1.
export async function screenshot(page, name, docsName, fullPage = true) {
  fs.mkdirSync(shots, { recursive: true });
  const file = path.join(shots, name + '.png');
  await page.screenshot({ path: file, fullPage });
  if (docsName && process.env.BACKPROP_UPDATE_DOCS === '1') {
    fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
    fs.copyFileSync(file, path.join(root, 'docs', docsName));
  }
  return file;
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

// Milliseconds the page marked (see common.js mark()), once it has.
export async function marked(page, name, timeout = 15000) {
  await page.waitForFunction((n) => document.documentElement.dataset[n] !== undefined, name, { timeout });
  return Number(await page.evaluate((n) => document.documentElement.dataset[n], name));
}

// Waits until the server has read every run's losses once (the runs page's final and best errors).
export async function indexed(page, origin) {
  await page.waitForFunction(async (o) => (await (await fetch(o + '/api/runs')).json()).indexed, origin, { timeout: 60000, polling: 200 });
}
