// The chapter pages' visualizers: every page with one loads its exercise, and on the
// lost-wakeup chapter the player shows what the blocked threads wait on and the notify that came
// before the wait, and the reader causes that lost wakeup in the game by clicking threads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Registers the tests; `open` and `text` are run.mjs's helpers. */
export function chapterTests({ open, text, bookDir, artifacts }) {
  test('every chapter page with a visualizer loads its exercise without an error', async (t) => {
    const pages = [];
    const walk = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.name.endsWith('.html') && e.name !== 'print.html') {
          const html = readFileSync(path, 'utf8');
          for (const m of html.matchAll(/data-mode="exercise" data-exercise="([^"]+)"/g)) {
            if (m[1] !== 'demo') pages.push({ path: '/' + relative(bookDir, path).split('\\').join('/'), exercise: m[1] });
          }
        }
      }
    };
    walk(bookDir);
    if (!pages.length) {
      t.skip('no chapter has a {{#visualizer EXERCISE}} block yet');
      return;
    }
    for (const { path, exercise } of pages) {
      const p = await open(path);
      const widget = p.page.locator('.racebook-viz[data-exercise="' + exercise + '"]');
      await widget.locator('.rbv-player:not([hidden]), .rbv-error:not([hidden])').first().waitFor();
      assert.ok(await widget.locator('.rbv-error').isHidden(), path + ': ' + (await widget.locator('.rbv-error').textContent()));
      await widget.locator('.rbv-player [data-act="last"]').click();
      await p.page.screenshot({ path: join(artifacts, 'chapter-' + exercise + '.png'), fullPage: true });
      await p.done();
    }
  });

  test('on the lost-wakeup chapter the player shows the blocked sender and the notify it missed', async () => {
    const p = await open('/chapters/07-lost-wakeup.html');
    const player = p.page.locator(LOST + ' .rbv-player');
    await player.waitFor();
    await player.locator('[data-act="last"]').click();
    const threads = await text(player.locator('.rbv-threads'));
    assert.match(threads, /sender: blocked \(waits on slot_free since step \d+\)/);
    assert.match(threads, /main: blocked \(waits for sender to finish\)/);
    assert.match(await text(player.locator('.rbv-conflict')), /Conflict: notified before the wait began \(steps \d+, \d+\)/);
    const marked = await player.locator('tr.rbv-mark-conflict').allInnerTexts();
    assert.equal(marked.length, 2, 'the notify and the wait that began after it');
    assert.match(marked[0], /notify slot_free, wakes nobody/);
    assert.match(marked[1], /wait on slot_free/);
    await p.done();
  });

  test('in the lost-wakeup game the reader lets the receiver notify first and wins', async () => {
    const p = await open('/chapters/07-lost-wakeup.html');
    const game = p.page.locator(LOST + ' .rbv-game:not([hidden])');
    await game.waitFor();
    const tree = JSON.parse(readFileSync(join(bookDir, 'racebook', '07-lost-wakeup', 'broken.tree.json'), 'utf8'));
    const name = (id) => tree.threads[id].name;
    // The order the chapter tells: the sender checks the count, then the receiver leaves the
    // slot and notifies, and only then does the sender reach its wait.
    const clicks = [];
    const pick = async (thread, until) => {
      for (let i = 0; i < 20; i++) {
        // The button's name is its visible text ("main next: spawn sender").
        const label = await text(game.locator('button[data-thread="' + thread + '"]'));
        clicks.push(name(thread) + ': ' + label);
        await game.locator('button[data-thread="' + thread + '"]').click();
        if (until.test(label)) return;
      }
      assert.fail('never reached ' + until + ': ' + clicks.join(' | '));
    };
    const id = (n) => tree.threads.findIndex((t) => t.name === n);
    await pick(id('main'), /spawn sender|nothing shared/);
    await pick(id('sender'), /load readers/);
    await pick(id('receiver'), /notify slot_free/);
    assert.match(await text(game.locator('button[data-thread="' + id('sender') + '"]')), /wait on slot_free/);
    await pick(id('sender'), /wait on slot_free/);
    const outcome = game.locator('.rbv-outcome');
    if (!(await outcome.isVisible())) {
      // Whatever is left to run (main's join) leads to the end.
      const rest = game.locator('.rbv-choices button:not([aria-disabled])');
      while (!(await outcome.isVisible()) && (await rest.count()) > 0) await rest.first().click();
    }
    assert.match(await text(outcome), /^✗ You win: Lost wakeup: a thread waits for a wake that came before its wait/);
    assert.match(await text(outcome), /sender is blocked: it waits on slot_free since step \d+/);
    assert.equal(await game.locator('tr.rbv-mark-conflict').count(), 2, 'the missed notify and the wait are bracketed');
    assert.equal(await text(game.locator('.rbv-choices .rbv-empty')), 'No thread can run: the ones left wait forever.');
    await game.screenshot({ path: join(artifacts, 'game-lost-wakeup.png') });
    await p.done();
  });
}

const LOST = '.racebook-viz[data-exercise="07-lost-wakeup"]';
