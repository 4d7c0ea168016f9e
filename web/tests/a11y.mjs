// Accessibility, in the browser tests (imported by run.mjs, which starts the server and the
// browser). axe-core checks the WCAG 2.0/2.1 A and AA rules on every page of the built book, in
// the light and the navy theme, once every visualizer on the page has rendered, and again in
// each state a reader reaches: a step in the middle of a run, the failure, a game won, the
// compare view, a reader's own trace and the error for a malformed one. Any violation fails with
// a per-rule table. Other tests play chapter 01's game with key presses only, and check the
// live regions, the focus ring and reduced motion.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, open, text, bookPages } from './session.mjs';
import { audit, table, AXE_VERSION, WCAG_TAGS } from './axe.mjs';
import { syntheticTrace } from './harness.mjs';

const THEMES = ['light', 'navy'];
const CHAPTER = '/chapters/01-counter-map.html';
const VIZ = '.racebook-viz[data-exercise="01-counter-map"]';
const OPEN = '.racebook-viz[data-mode="open"]';
const found = { violations: [], incomplete: [], audits: 0, seconds: 0 };

/** Wait until every visualizer block of the page has finished starting (or shows its error). */
async function settled(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('.racebook-viz')]
    .every((el) => el.dataset.state === 'ready' || el.dataset.state === 'failed'), null, { timeout: 20000 });
}

/** `open` a page and wait for its visualizers. */
async function ready(path, options) {
  const p = await open(path, options);
  return p;
}

/** Audit the page as it is; its violations fail the calling test with the table. */
async function check(page, where) {
  const t0 = Date.now();
  const r = await audit(page, where);
  found.seconds += (Date.now() - t0) / 1000;
  found.audits += 1;
  found.violations.push(...r.violations);
  found.incomplete.push(...r.incomplete);
  return r.violations;
}

function assertClean(violations, what) {
  assert.equal(violations.length, 0, what + ': axe-core ' + AXE_VERSION + ' (' + WCAG_TAGS.join(', ')
    + ') found violations:\n' + table(violations, THEMES));
}

/** Press Tab until `matches` holds for the focused element; false after `limit` presses. */
async function tabTo(page, selector, { limit = 400, back = false } = {}) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return true;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  return false;
}

test('axe: every page of the book, light and navy, once its visualizers have rendered', async () => {
  const violations = [];
  const unfocusable = [];
  for (const theme of THEMES) {
    for (const path of bookPages()) {
      const p = await ready(path, { theme });
      // toc.html is the sidebar's frame for readers without JavaScript: it has no theme switch.
      if (path !== '/toc.html') assert.match(await p.page.evaluate(() => document.documentElement.className), new RegExp('\\b' + theme + '\\b'), path);
      violations.push(...await check(p.page, path + ' ' + theme));
      // Every code block and table can take focus (it may scroll sideways) and has a name.
      const pres = await p.page.locator('main pre > code, main .table-wrapper').evaluateAll((all) => all
        .filter((el) => el.tabIndex !== 0 || !el.getAttribute('aria-label')).map((el) => el.textContent.slice(0, 40)));
      unfocusable.push(...pres.map((t) => path + ' ' + theme + ': ' + JSON.stringify(t)));
      await p.done();
    }
  }
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

test('chapter 01\'s game is won with key presses only', async () => {
  const p = await ready(CHAPTER);
  const { page } = p;
  const game = page.locator(VIZ + ' .rbv-game');
  const announce = game.locator('.rbv-announce');
  assert.equal(await announce.getAttribute('aria-live'), 'polite');
  assert.ok(await tabTo(page, VIZ + ' .rbv-game .rbv-choice'), 'Tab reaches the game\'s choices');
  const here = async () => {
    const m = (await text(game.locator('.rbv-here'))).match(/(\d+) failing/);
    return Number(m[1]);
  };
  const won = async () => (await game.locator('.rbv-outcome.rbv-fail').count()) === 1;
  let presses = 0;
  const press = async (key) => { presses += 1; await page.keyboard.press(key); };
  // A player's strategy a screen reader user can follow too: run a thread that can run; if no
  // failing schedule is left from there, undo and try the next one.
  for (let moves = 0; !(await won()); moves++) {
    assert.ok(moves < 60, 'the game ended without a win');
    const choices = await game.locator('.rbv-choice').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-disabled') !== 'true'));
    let advanced = false;
    for (let i = 0; i < choices.length && !advanced; i++) {
      if (!choices[i]) continue;
      // Arrow keys move between the choices; Enter runs the chosen thread.
      for (let k = 0; k < choices.length; k++) {
        const at = await game.locator('.rbv-choice').evaluateAll((bs) => bs.indexOf(document.activeElement));
        if (at === i) break;
        await press(at < i ? 'ArrowRight' : 'ArrowLeft');
      }
      const name = await text(game.locator('.rbv-choice').nth(i).locator('strong'));
      await press('Enter');
      assert.match(await text(announce), new RegExp(name.replace(/^▶ /, '') + ' ran'), 'the choice is announced');
      if ((await won()) || (await here()) > 0) { advanced = true; break; }
      // Undo with the keyboard: Tab to the Undo button, Enter, and back to the choices.
      assert.ok(await tabTo(page, VIZ + ' [data-game="undo"]', { limit: 20 }));
      await press('Enter');
      assert.ok(await tabTo(page, VIZ + ' .rbv-choice', { limit: 20, back: true }));
    }
    assert.ok(advanced, 'some choice keeps a failing schedule reachable');
  }
  assert.match(await text(game.locator('.rbv-outcome')), /^✗ You win/);
  assert.match(await text(announce), /You win/, 'the result is announced');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.closest('.rbv-game') !== null);
  assert.ok(focused, 'focus stays in the game after the win');
  await game.screenshot({ path: join(session.artifacts, 'game-won-by-keyboard.png') });
  console.log('  chapter 01 game won with ' + presses + ' key presses (Tab to reach it not counted)');
  await p.done();
});

test('a step change is announced, and focus is always visible', async () => {
  const trace = await (await fetch(session.server.origin + '/racebook/01-counter-map/broken.trace.json')).json();
  const p = await ready(CHAPTER);
  const { page } = p;
  const player = page.locator(VIZ + ' .rbv-player');
  const live = player.locator('.rbv-now');
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  assert.ok(await tabTo(page, VIZ + ' .rbv-player [data-act="forward"]'), 'Tab reaches the player');
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.ok(ring.style !== 'none' && ring.width >= 2, 'a visible focus ring: ' + JSON.stringify(ring));
  let valued = 0;
  for (let i = 1; i <= trace.steps.length; i++) {
    await page.keyboard.press('Enter');
    // The step, its thread, the operation and its value, as the run's table shows them.
    const step = trace.steps[i - 1];
    const row = player.locator('tr[aria-current="step"]');
    const does = await text(row.locator('td.rbv-act'));
    const at = await text(row.locator('.rbv-at'));
    const said = await text(live);
    assert.equal(said, 'Step ' + i + ' of ' + trace.steps.length + ': ' + trace.threads[step.thread].name + ' ' + does + ' (' + at + ').');
    // A read or a write names its value (an unlock without one shows no value in the table either).
    if (step.access && typeof step.value === 'string' && step.value.length < 30) {
      assert.ok(said.includes(step.value), 'the value is said: ' + said);
      valued += 1;
    }
  }
  assert.ok(valued > 3, 'steps with a value were checked: ' + valued);
  // At the end the forward button is unavailable but keeps the focus.
  assert.equal(await page.evaluate(() => document.activeElement.dataset.act), 'forward');
  assert.equal(await player.locator('[data-act="forward"]').getAttribute('aria-disabled'), 'true');
  await p.done();
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
    + found.seconds.toFixed(1) + ' s, ' + found.violations.length + ' rule violations');
  if (found.violations.length) console.log(table(found.violations, THEMES));
  console.log('  left for a person to judge (axe could not decide): '
    + ([...incomplete].map(([rule, n]) => rule + ' ' + n).join(', ') || 'none'));
  // Every node, for whoever fixes them: RACEBOOK_AXE_JSON=/tmp/axe.json node web/tests/run.mjs BOOK
  if (process.env.RACEBOOK_AXE_JSON) writeFileSync(process.env.RACEBOOK_AXE_JSON, JSON.stringify(found, null, 1));
});
