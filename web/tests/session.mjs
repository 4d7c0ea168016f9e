// What the browser test files share in one run: the book being tested, its server, the browser,
// and `open`, which gives a recorded page whose `done()` asserts it logged no error and stayed on
// its own origin.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveBook, launchBrowser, recordedPage } from './harness.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const session = { bookDir: null, artifacts: null, server: null, chrome: null, records: [] };

/** Check the book folder given on the command line, or exit with the usage line. */
export function bookFromArgs(script) {
  const bookDir = process.argv[2] ? resolve(process.argv[2]) : null;
  if (!bookDir || !existsSync(join(bookDir, 'visualizer.html'))) {
    console.error('usage: node web/tests/' + script + ' BOOK_DIR  (a book built by `cargo xtask build --out BOOK_DIR`; '
      + (bookDir ? bookDir + ' has no visualizer.html' : 'none given') + ')');
    process.exit(2);
  }
  session.bookDir = bookDir;
  session.artifacts = resolve(process.env.RACEBOOK_ARTIFACTS || join(repo, 'target', 'browser-artifacts'));
  mkdirSync(session.artifacts, { recursive: true });
  return bookDir;
}

export async function start() {
  session.server = await serveBook(session.bookDir);
  session.chrome = await launchBrowser();
}

export async function stop() {
  if (session.chrome) await session.chrome.close();
  if (session.server) await session.server.close();
}

/** A fresh page at `path`; `done()` asserts it logged nothing and stayed on its origin. */
export async function open(path, options) {
  const p = await recordedPage(session.chrome.browser, session.server.origin, options);
  session.records.push(p.record);
  await p.page.goto(session.server.origin + path);
  p.done = async () => {
    assert.deepEqual(p.record.errors, [], 'page errors');
    assert.deepEqual(p.record.console, [], 'console errors or warnings');
    assert.deepEqual(p.record.foreign, [], 'requests outside the origin');
    await p.context.close();
  };
  return p;
}

/** Wait until every visualizer block of the page has finished starting (or shows its error). */
export async function settled(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.racebook-viz')]
    .every((el) => el.dataset.state === 'ready' || el.dataset.state === 'failed'), null, { timeout: 20000 });
}

/** `open` a page and wait for its visualizers. */
export async function ready(path, options) {
  const p = await open(path, options);
  await settled(p.page);
  return p;
}

/** Press Tab (Shift+Tab with `back`) until `selector` matches the focused element; false
 *  after `limit` presses. */
export async function tabTo(page, selector, { limit = 400, back = false } = {}) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return true;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  return false;
}

/** What the reader sees in `locator`: rendered text, whitespace folded. */
export async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** Every HTML page of the built book, as a path from its root ("/chapters/01-….html"). */
export function bookPages() {
  const pages = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.html')) pages.push('/' + relative(session.bookDir, path).split('\\').join('/'));
    }
  };
  walk(session.bookDir);
  return pages.sort();
}
