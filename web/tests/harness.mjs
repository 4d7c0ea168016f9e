// What the browser tests and the budget script share: a static server for a built book on
// 127.0.0.1 (no dependency: node's http), headless Debian Chromium through playwright-core, a
// page wrapper that records every request, console error and page error so a test can assert
// that nothing left the origin and nothing was logged, and a long synthetic trace.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serve `dir` on 127.0.0.1 at a free port; resolves to { origin, close }. */
export async function serveBook(dir) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] || 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = 'http://127.0.0.1:' + server.address().port;
  return { origin, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * Launch headless Chromium. Playwright gives every launch a fresh temporary profile of its own
 * (`--user-data-dir` in a new temp folder, removed on close), which is why it is not passed here.
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(CHROMIUM + ' is missing: run `apt-get install -y chromium` (cargo xtask test installs it when run as root)');
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return { browser, close: () => browser.close() };
}

/**
 * A fresh page that records what it did. Requests to another origin are aborted and
 * recorded, so a test can both prove none was attempted and never reach the network.
 * `intercept: false` (for timing) only records them: interception adds a round trip per request.
 * `theme: 'navy'` opens every page of the context in that mdBook theme.
 */
export async function recordedPage(browser, origin, options = {}) {
  const { intercept = true, theme, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  // mdBook reads the reader's theme from localStorage before the page paints.
  if (theme) await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
  const record = { requests: [], foreign: [], console: [], errors: [] };
  const local = (url) => url.startsWith(origin + '/') || url.startsWith('data:') || url.startsWith('blob:');
  if (intercept) {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      record.requests.push(url);
      if (local(url)) return route.continue();
      record.foreign.push(url);
      return route.abort();
    });
  }
  const page = await context.newPage();
  if (!intercept) {
    // Timing runs: every request still recorded, none held up by a round trip to this process.
    page.on('request', (r) => {
      record.requests.push(r.url());
      if (!local(r.url())) record.foreign.push(r.url());
    });
  }
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') record.console.push(msg.type() + ': ' + msg.text());
  });
  page.on('pageerror', (e) => record.errors.push(String(e)));
  return { page, context, record };
}

/** A valid trace of `n` steps: four threads taking turns on locks and atomics. */
export function syntheticTrace(n) {
  const at = (line) => ({ file: 'exercises/bench/src/lib.rs', line, column: 5, text: 'let v = shared.load(Ordering::Acquire);' });
  const threads = [0, 1, 2, 3].map((id) => ({ id, name: id ? 'worker-' + id : 'main', ...(id ? { parent: 0 } : {}) }));
  const objects = [];
  for (let i = 0; i < 4; i++) objects.push({ id: objects.length, name: 'lock-' + i, kind: 'mutex', initial: '0' });
  for (let i = 0; i < 4; i++) objects.push({ id: objects.length, name: 'counter-' + i, kind: 'atomic', initial: '0' });
  const steps = [];
  const push = (s) => steps.push({ index: steps.length, at: at(10 + (steps.length % 50)), ...s });
  for (let t = 1; t < 4; t++) push({ thread: 0, op: 'spawn', other_thread: t });
  let value = 0;
  while (steps.length < n) {
    const t = 1 + (steps.length % 3);
    const lock = steps.length % 4;
    const counter = 4 + (steps.length % 4);
    push({ thread: t, op: 'lock', object: lock, value: String(value), locks_held: [lock] });
    push({ thread: t, op: 'load', object: counter, value: String(value), access: 'read', ordering: 'acquire' });
    value += 1;
    push({ thread: t, op: 'store', object: counter, value: String(value), access: 'write', ordering: 'release' });
    push({ thread: t, op: 'unlock', object: lock, value: String(value), access: 'write', locks_held: [lock] });
  }
  steps.length = n;
  return {
    format: 'racebook-trace', version: 1, exercise: 'bench', variant: 'synthetic',
    schedule: { engine: 'shuttle', encoded: 'S1:', preemptions: 0 },
    threads, objects, steps,
  };
}
