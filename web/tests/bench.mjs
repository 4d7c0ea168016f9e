// The visualizer's budgets, measured (not asserted) in headless Chromium on a built book, and
// printed as a table:
//   - wasm + JS, gzipped (the loader, the wasm-bindgen glue and the wasm), <= 150 KB;
//   - first render of the demo trace on its page, <= 200 ms (median of several loads): the
//     table the book build writes into the page, which the player replaces once it is ready;
//   - one update while scrubbing a synthetic 10,000-step trace, <= 16 ms (median, p95, max).
//
//   node web/tests/bench.mjs BOOK_DIR [LOADS]

import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveBook, launchBrowser, recordedPage, syntheticTrace } from './harness.mjs';

const bookDir = process.argv[2] ? resolve(process.argv[2]) : null;
if (!bookDir || !existsSync(join(bookDir, 'visualizer.html'))) {
  console.error('usage: node web/tests/bench.mjs BOOK_DIR [LOADS]  (a book built by `cargo xtask build --out BOOK_DIR`)');
  process.exit(2);
}
const LOADS = Number(process.argv[3] || 7);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const ms = (n) => n.toFixed(1) + ' ms';

/** Gzipped sizes of what a page downloads for the visualizer. */
function sizes() {
  const files = [];
  const html = readFileSync(join(bookDir, 'visualizer.html'), 'utf8');
  const css = html.match(/href="(web\/racebook-viz[^"]*\.css)"/);
  for (const m of html.matchAll(/src="(web\/viz\/[^"]*\.js)"/g)) files.push(['page JS', m[1]]);
  for (const f of readdirSync(join(bookDir, 'racebook-viz'))) {
    files.push([f.endsWith('.wasm') ? 'wasm' : 'wasm-bindgen glue JS', 'racebook-viz/' + f]);
  }
  const rows = files.map(([what, f]) => {
    const bytes = readFileSync(join(bookDir, f));
    return { what, file: f, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  });
  const cssRow = css ? (() => {
    const bytes = readFileSync(join(bookDir, css[1]));
    return { what: 'styles (not in the budget)', file: css[1], raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  })() : null;
  return { rows, cssRow, total: rows.reduce((a, r) => a + r.gz, 0) };
}

const server = await serveBook(bookDir);
const chrome = await launchBrowser();
try {
  const s = sizes();

  const preview = [];
  const firstRender = [];
  const fromLoader = [];
  const coreReady = [];
  const loaderStart = [];
  for (let i = 0; i < LOADS; i++) {
    const { page, context } = await recordedPage(chrome.browser, server.origin, { intercept: false });
    await page.goto(server.origin + '/visualizer.html');
    await page.locator('.racebook-viz[data-mode="exercise"] .rbv-player:not([hidden])').waitFor();
    const t = await page.evaluate(() => {
      const mark = (n) => performance.getEntriesByName(n)[0].startTime;
      return {
        preview: mark('racebook-viz-preview'),
        nav: mark('racebook-viz-first-render'),
        loader: mark('racebook-viz-first-render') - mark('racebook-viz-start'),
        core: mark('racebook-viz-core-ready') - mark('racebook-viz-start'),
        start: mark('racebook-viz-start'),
      };
    });
    preview.push(t.preview);
    firstRender.push(t.nav);
    fromLoader.push(t.loader);
    coreReady.push(t.core);
    loaderStart.push(t.start);
    await context.close();
  }

  const { page, context } = await recordedPage(chrome.browser, server.origin, { intercept: false });
  await page.goto(server.origin + '/visualizer.html');
  const trace = JSON.stringify(syntheticTrace(10000));
  await page.locator('.racebook-viz[data-mode="open"] .rbv-file').setInputFiles({ name: 'bench.trace.json', mimeType: 'application/json', buffer: Buffer.from(trace) });
  await page.locator('.racebook-viz[data-mode="open"] .rbv-player:not([hidden])').waitFor();
  const scrub = await page.evaluate(() => {
    const slider = document.querySelector('.racebook-viz[data-mode="open"] .rbv-slider');
    const times = [];
    let seed = 7;
    for (let i = 0; i < 300; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const position = seed % 10001;
      const t0 = performance.now();
      slider.value = String(position);
      slider.dispatchEvent(new Event('input'));
      void document.body.offsetHeight; // include style and layout of the update
      times.push(performance.now() - t0);
    }
    const now = document.querySelector('.racebook-viz[data-mode="open"] .rbv-now').textContent;
    return { times, now };
  });
  await context.close();
  if (!/^Step \d+ of 10000/.test(scrub.now) && !scrub.now.startsWith('Before the first step')) {
    throw new Error('the scrub did not show the synthetic trace: ' + scrub.now);
  }

  console.log('\nWhat a page downloads for the visualizer (gzip -9):');
  console.log('  ' + 'file'.padEnd(46) + 'raw'.padStart(10) + 'gzipped'.padStart(10));
  for (const r of [...s.rows, s.cssRow].filter(Boolean)) {
    console.log('  ' + (r.what + ': ' + r.file).padEnd(46) + kb(r.raw).padStart(10) + kb(r.gz).padStart(10));
  }
  const rows = [
    ['wasm + JS, gzipped', kb(s.total), '150 KB', s.total <= 150 * 1024],
    ['first render of the trace, from navigation start (median of ' + LOADS + ')', ms(median(preview)), '200 ms', median(preview) <= 200],
    ['  (the table the book build wrote; the player then replaces it)', '', '', true],
    ['player interactive, from navigation start (median)', ms(median(firstRender)), '-', true],
    ['player interactive, from the loader start (median)', ms(median(fromLoader)), '200 ms', median(fromLoader) <= 200],
    ['  navigation start until the loader runs (median)', ms(median(loaderStart)), '-', true],
    ['  loader start until the wasm core is ready (median)', ms(median(coreReady)), '-', true],
    ['scrub 10,000 steps: one update, median (300)', ms(median(scrub.times)), '16 ms', median(scrub.times) <= 16],
    ['scrub 10,000 steps: one update, p95', ms(pct(scrub.times, 0.95)), '16 ms', pct(scrub.times, 0.95) <= 16],
    ['scrub 10,000 steps: one update, max', ms(Math.max(...scrub.times)), '(16 ms)', Math.max(...scrub.times) <= 16],
  ];
  console.log('\nBudgets (measured here, headless Chromium ' + (await chrome.browser.version()) + '):');
  console.log('  ' + 'measure'.padEnd(58) + 'value'.padStart(10) + 'budget'.padStart(10) + '  within');
  for (const [what, value, budget, ok] of rows) {
    console.log('  ' + what.padEnd(58) + value.padStart(10) + budget.padStart(10) + '  ' + (ok ? 'yes' : 'NO'));
  }
} finally {
  await chrome.close();
  await server.close();
}
