// Accessibility audits, in the browser tests (imported by run.mjs, which starts the server and
// the browser). axe-core checks the WCAG 2.0/2.1 A and AA rules on every page of the built book,
// in the light and the navy theme, once every visualizer on the page has rendered, and again in
// each state a reader reaches: a step in the middle of a run, the failure, a game won, the
// compare view, a reader's own trace and the error for a malformed one. Any violation fails with
// a per-rule table. Reduced motion is checked here too; keys and announcements in keyboard.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, ready, tabTo, bookPages } from './session.mjs';
import { audit, table, AXE_VERSION, WCAG_TAGS } from './axe.mjs';
import { decideContrast } from './contrast.mjs';
import { syntheticTrace } from './harness.mjs';

// Light and navy are the themes the book promises AA in; others can be surveyed by hand.
const THEMES = (process.env.RACEBOOK_AXE_THEMES || 'light,navy').split(',');
const CHAPTER = '/chapters/01-counter-map.html';
const VIZ = '.racebook-viz[data-exercise="01-counter-map"]';
const OPEN = '.racebook-viz[data-mode="open"]';
const found = { violations: [], incomplete: [], decided: 0, audits: 0, seconds: 0 };

/** Audit the page as it is; its violations fail the calling test with the table. */
async function check(page, where) {
  const t0 = Date.now();
  const r = await audit(page, where);
  found.seconds += (Date.now() - t0) / 1000;
  if (process.env.RACEBOOK_AXE_TIMES) console.log('  axe ' + ((Date.now() - t0) / 1000).toFixed(2) + ' s ' + where);
  found.audits += 1;
  found.violations.push(...r.violations);
  found.incomplete.push(...r.incomplete);
  found.decided += r.decided;
  return r.violations;
}

function assertClean(violations, what) {
  assert.equal(violations.length, 0, what + ': axe-core ' + AXE_VERSION + ' (' + WCAG_TAGS.join(', ')
    + ') found violations:\n' + table(violations, THEMES));
}

/** Run `job` on each of `items`, `width` at a time (the browser renders pages in parallel). */
async function pool(items, width, job) {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    while (queue.length) await job(queue.shift());
  }));
}

test('axe: every page of the book, light and navy, once its visualizers have rendered', async () => {
  const violations = [];
  const unfocusable = [];
  const pages = THEMES.flatMap((theme) => bookPages().map((path) => ({ theme, path })));
  let audited = 0;
  await pool(pages, 2, async ({ theme, path }) => {
    const p = await ready(path, { theme });
    audited += 1;
    // toc.html is the sidebar's frame for readers without JavaScript: it has no theme switch.
    if (path !== '/toc.html') assert.match(await p.page.evaluate(() => document.documentElement.className), new RegExp('\\b' + theme + '\\b'), path);
    violations.push(...await check(p.page, path + ' ' + theme));
    // Every code block and table can take focus (it may scroll sideways) and has a name.
    const pres = await p.page.locator('main pre > code, main .table-wrapper').evaluateAll((all) => all
      .filter((el) => el.tabIndex !== 0 || !el.getAttribute('aria-label')).map((el) => el.textContent.slice(0, 40)));
    unfocusable.push(...pres.map((t) => path + ' ' + theme + ': ' + JSON.stringify(t)));
    await p.done();
  });
  assert.equal(audited, pages.length, 'every page was audited');
  assertClean(violations, 'pages');
  assert.deepEqual(unfocusable, [], 'code blocks or tables that cannot take focus or have no name');
});

test('axe: the states a reader reaches, light and navy', async () => {
  const violations = [];
  for (const theme of THEMES) {
    let p = await ready(CHAPTER, { theme });
    const viz = p.page.locator(VIZ);
    const steps = Number(await viz.locator('.rbv-player .rbv-slider').getAttribute('max'));
    await viz.locator('.rbv-player .rbv-arrows-toggle').check();
    await viz.locator('.rbv-player .rbv-slider').fill(String(Math.floor(steps / 2)));
    violations.push(...await check(p.page, 'chapter 01 ' + theme + ', a step in the middle of the run, with arrows'));
    await viz.locator('.rbv-player [data-act="last"]').click();
    violations.push(...await check(p.page, 'chapter 01 ' + theme + ', the last step: failure and conflict'));
    await viz.locator('.rbv-game [data-game="shortest"]').click();
    await viz.locator('.rbv-game .rbv-outcome:not([hidden])').waitFor();
    const compare = viz.locator('.rbv-compare-variant');
    const fixes = await compare.locator('option').evaluateAll((os) => os.map((o) => o.value));
    await compare.selectOption(fixes[fixes.length - 1]);
    violations.push(...await check(p.page, 'chapter 01 ' + theme + ', game won, compare with ' + fixes[fixes.length - 1]));
    await viz.locator('.rbv-game-variant').selectOption(fixes[0]);
    violations.push(...await check(p.page, 'chapter 01 ' + theme + ', game on a fix (every path passes)'));
    // mdBook's own states: search results, and the keyboard help.
    await p.page.locator('#mdbook-search-toggle').click();
    await p.page.locator('#mdbook-searchbar').pressSequentially('lost update');
    await p.page.locator('#mdbook-searchresults li').first().waitFor();
    violations.push(...await check(p.page, 'chapter 01 ' + theme + ', search results'));
    await p.page.keyboard.press('Escape');
    await p.page.locator('main h1').first().click();
    await p.page.keyboard.press('?');
    await p.page.locator('#mdbook-help-popup').waitFor();
    violations.push(...await check(p.page, 'chapter 01 ' + theme + ', keyboard help'));
    await p.done();

    const trace = Buffer.from(await (await fetch(session.server.origin + '/racebook/01-counter-map/broken.trace.json')).text());
    p = await ready('/visualizer.html#trace=j:' + trace.toString('base64url'), { theme });
    await p.page.locator(OPEN + ' .rbv-share').click();
    await p.page.locator(OPEN + ' .rbv-share-link:not([hidden])').waitFor();
    violations.push(...await check(p.page, 'visualizer.html ' + theme + ', a reader\'s trace opened, link made'));
    await p.page.evaluate((h) => { window.location.hash = h; }, 'trace=j:' + trace.subarray(0, 300).toString('base64url'));
    await p.page.locator(OPEN + ' .rbv-error:not([hidden])').waitFor();
    violations.push(...await check(p.page, 'visualizer.html ' + theme + ', error for a malformed trace'));
    await p.done();
  }
  assertClean(violations, 'states');
});

test('graphics that carry meaning reach 3:1 in both themes (arrows, marks, bracket, highlights, focus)', async () => {
  const P = VIZ + ' .rbv-player';
  const rows = P + ' tbody tr > *';
  const graphics = {
    'happens-before arrow': { target: P + ' path.rbv-arrow', property: 'stroke', against: rows },
    'arrow head': { target: P + ' marker path', property: 'fill', against: rows },
    '◆ conflict mark': { target: P + ' .rbv-mark-conflict .rbv-symbols', property: 'color' },
    '✗ failure mark': { target: P + ' .rbv-mark-failure .rbv-symbols', property: 'color' },
    'failing step border': { target: P + ' .rbv-mark-failure .rbv-act', property: 'border-top-color' },
    'conflict bracket': { target: P + ' .rbv-num.rbv-br', pseudo: '::before', property: 'background-image' },
    'conflict tick': { target: P + ' .rbv-num.rbv-br-point', pseudo: '::after', property: 'background-color' },
    'current step outline': { target: P + ' .rbv-current .rbv-act', property: 'outline-color' },
    '"changed" highlight': { target: P + ' .rbv-changed', property: 'outline-color' },
    'focus ring': { target: P + ' [data-act="back"]:focus-visible', property: 'outline-color' },
  };
  const failing = [];
  for (const theme of THEMES) {
    const p = await ready(CHAPTER, { theme });
    const { page } = p;
    const seen = new Set();
    const measure = async () => {
      for (const [what, item] of Object.entries(graphics)) {
        const r = await page.evaluate(decideContrast, [item]);
        if (r.decided) seen.add(what);
        failing.push(...r.failing.map((f) => theme + ', ' + what + ': ' + f.fg + ' on ' + f.bg + ' is ' + f.ratio + ':1'));
      }
    };
    await page.locator(P + ' .rbv-arrows-toggle').check();
    const steps = Number(await page.locator(P + ' .rbv-slider').getAttribute('max'));
    for (let at = 1; at <= steps; at++) {
      await page.locator(P + ' .rbv-slider').fill(String(at));
      await measure();
    }
    // The focus ring, on a button Tab reached.
    assert.ok(await tabTo(page, P + ' [data-act="back"]', { back: true, limit: 10 }));
    await measure();
    assert.deepEqual(Object.keys(graphics).filter((g) => !seen.has(g)), [], theme + ': every graphic was on the page to measure');
    await p.done();
  }
  assert.deepEqual([...new Set(failing)], []);
});

test('reduced motion: playing a long run turns pages instead of scrolling every row', async () => {
  const long = Buffer.from(JSON.stringify(syntheticTrace(60))).toString('base64url');
  const firstRows = async (reducedMotion) => {
    const p = await ready('/visualizer.html#trace=j:' + long, { reducedMotion });
    const player = p.page.locator(OPEN + ' .rbv-player');
    await player.locator('.rbv-lanes').focus();
    const tops = [];
    for (let i = 1; i <= 50; i++) {
      await p.page.keyboard.press('ArrowRight');
      tops.push(Number(await player.locator('tbody tr.rbv-row').first().getAttribute('data-index')));
    }
    await p.done();
    return [...new Set(tops)];
  };
  assert.deepEqual(await firstRows('reduce'), [0, 24, 36], 'pages of 24 rows, the last one pulled back to be full');
  assert.ok((await firstRows('no-preference')).length > 20, 'without the setting the rows follow each step');
});

test('accessibility audit: summary', () => {
  const incomplete = new Map();
  for (const f of found.incomplete) incomplete.set(f.rule, (incomplete.get(f.rule) || 0) + f.nodes.length);
  console.log('  axe-core ' + AXE_VERSION + ' (' + WCAG_TAGS.join(', ') + '): ' + found.audits + ' audits in '
    + found.seconds.toFixed(1) + ' s, ' + found.violations.length + ' rule violations; '
    + found.decided + ' contrast checks axe left undecided were computed here');
  if (found.violations.length) console.log(table(found.violations, THEMES));
  console.log('  left for a person to judge (axe could not decide): '
    + ([...incomplete].map(([rule, n]) => rule + ' ' + n).join(', ') || 'none'));
  // Every node, for whoever fixes them: RACEBOOK_AXE_JSON=/tmp/axe.json node web/tests/run.mjs BOOK
  if (process.env.RACEBOOK_AXE_JSON) writeFileSync(process.env.RACEBOOK_AXE_JSON, JSON.stringify(found, null, 1));
});
