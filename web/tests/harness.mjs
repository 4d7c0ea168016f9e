// What the browser tests and the budget script share: a static server for a built book on
// 127.0.0.1 (no dependency: node's http), headless Debian Chromium through playwright-core, and
// a page wrapper that records every request, console error and page error so a test can assert
// that nothing left the origin and nothing was logged.

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
 */
export async function recordedPage(browser, origin, options = {}) {
  const { intercept = true, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
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
