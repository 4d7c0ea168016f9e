// Keyboard and screen reader behaviour, in the browser tests (imported by run.mjs). Chapter 01's
// game is won with key presses only, each move and the result said in a live region; the player
// is stepped by keys, each step announced with its thread, operation and value; compare changes
// fix by keys; every element Tab reaches on a chapter shows a focus ring; the sidebar toggle
// works by keys; ←/→ scroll a focused code block instead of changing chapter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { session, ready, tabTo, text } from './session.mjs';

const CHAPTER = '/chapters/01-counter-map.html';
const VIZ = '.racebook-viz[data-exercise="01-counter-map"]';

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
      const said = await text(announce);
      assert.ok(said.startsWith(name.replace(/^▶ /, '') + ' ran'), 'the move is announced: ' + said);
      if (await won()) { advanced = true; break; }
      // Then the threads that can run next, and why the others cannot.
      const next = await game.locator('.rbv-choice').evaluateAll((bs) => bs.map((b) => b.textContent.replace(/^[▶‖] /, '')));
      for (const c of next) assert.ok(said.includes(c.split(' ')[0] + ' next') || said.includes(c.split(' ')[0] + ' is blocked'), c + ' is announced in: ' + said);
      if ((await here()) > 0) { advanced = true; break; }
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

test('the player from the keyboard: every step is announced, the focus ring shows, focus stays', async () => {
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

test('compare from the keyboard: the arrow keys change the fix it shows', async () => {
  const p = await ready(CHAPTER);
  const { page } = p;
  const compare = page.locator(VIZ + ' .rbv-compare');
  assert.ok(await tabTo(page, VIZ + ' .rbv-compare-variant'), 'Tab reaches the list of fixes');
  const heading = () => text(compare.locator('thead tr').first());
  const before = await heading();
  await page.keyboard.press('ArrowDown');
  const after = await heading();
  assert.notEqual(after, before);
  assert.match(after, new RegExp(await compare.locator('.rbv-compare-variant').inputValue()));
  await p.done();
});

test('every element Tab reaches on a chapter shows a focus ring', async () => {
  const p = await ready(CHAPTER, { viewport: { width: 1280, height: 900 } });
  const { page } = p;
  const seen = [];
  for (let i = 0; i < 600; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      // Once Tab comes round to an element it has been on, the whole page has been seen.
      window.__tabbed = window.__tabbed || new Set();
      if (window.__tabbed.has(el)) return { again: true };
      window.__tabbed.add(el);
      const s = getComputedStyle(el);
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
      const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || s.boxShadow !== 'none';
      return { name, ring };
    });
    if (!f) continue;
    if (f.again) break;
    seen.push(f);
  }
  assert.ok(seen.length > 40, 'Tab went through the page: ' + seen.length + ' stops');
  const without = seen.filter((f) => !f.ring).map((f) => f.name);
  assert.deepEqual([...new Set(without)], [], 'focused without a visible ring');
  await p.done();
});

test('the sidebar toggle is a button the keyboard can use', async () => {
  const p = await ready(CHAPTER);
  const { page } = p;
  const toggle = page.locator('#mdbook-sidebar-toggle');
  assert.equal(await toggle.evaluate((el) => el.tagName), 'BUTTON');
  assert.ok(await tabTo(page, '#mdbook-sidebar-toggle', { limit: 60 }), 'Tab reaches the sidebar toggle');
  const state = () => page.evaluate(() => ({
    expanded: document.getElementById('mdbook-sidebar-toggle').getAttribute('aria-expanded'),
    visible: document.documentElement.classList.contains('sidebar-visible'),
  }));
  assert.deepEqual(await state(), { expanded: 'true', visible: true });
  await page.keyboard.press('Enter');
  assert.deepEqual(await state(), { expanded: 'false', visible: false });
  await page.keyboard.press(' ');
  assert.deepEqual(await state(), { expanded: 'true', visible: true });
  await page.waitForFunction(() => getComputedStyle(document.getElementById('mdbook-sidebar')).display !== 'none');
  await p.done();
});

test('←/→ scroll a focused code block that is wider than the page, and stay on the chapter', async () => {
  const p = await ready(CHAPTER, { viewport: { width: 480, height: 900 } });
  const { page } = p;
  const wide = 'main pre > code[tabindex]';
  let found = false;
  for (let i = 0; i < 300 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate((sel) => {
      const el = document.activeElement;
      return !!el && el.matches(sel) && el.scrollWidth > el.clientWidth + 20;
    }, wide);
  }
  assert.ok(found, 'Tab reaches a code block that scrolls sideways');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  // Chromium scrolls smoothly: wait for it to get going.
  await page.waitForFunction(() => document.activeElement.scrollLeft > 0, null, { timeout: 5000 });
  assert.equal(new URL(page.url()).pathname, CHAPTER, 'the chapter did not change');
  await p.done();
});
