// Browser tests of the visualizer in real headless Chromium (Debian's /usr/bin/chromium through
// playwright-core). They drive a built book the way a reader does: the demo on the "Open a
// trace" page (fixtures from web/fixtures/racebook/demo), traces given in the URL fragment,
// by URL and by file, malformed and hostile traces, and every chapter page with a visualizer.
// Every page must log no console error and send no request outside its own origin.
//
//   node web/tests/run.mjs BOOK_DIR          (cargo xtask test passes the book it built)
//
// Screenshots go to target/browser-artifacts/ (or $RACEBOOK_ARTIFACTS).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, bookFromArgs, start, stop, open, text, bookPages } from './session.mjs';
import { chapterTests } from './chapters.mjs';

const bookDir = bookFromArgs('run.mjs');
const artifacts = session.artifacts;

const demoDir = join(bookDir, 'racebook', 'demo');
const brokenText = readFileSync(join(demoDir, 'broken.trace.json'), 'utf8');
const broken = JSON.parse(brokenText);
const EXERCISE = '.racebook-viz[data-mode="exercise"][data-exercise="demo"]';
const OPEN = '.racebook-viz[data-mode="open"]';

before(start);
after(stop);

async function demo(options) {
  const p = await open('/visualizer.html', options);
  await p.page.locator(EXERCISE + ' .rbv-player:not([hidden])').waitFor();
  await p.page.locator(EXERCISE + ' .rbv-game:not([hidden])').waitFor();
  return p;
}

const b64url = (text) => Buffer.from(text).toString('base64url');

async function openTrace(hash) {
  const p = await open('/visualizer.html#' + hash);
  await p.page.locator(OPEN + ' .rbv-player:not([hidden]), ' + OPEN + ' .rbv-error:not([hidden])').first().waitFor();
  return p;
}

test('a reader steps through the failing demo trace and sees the values change', async () => {
  const { page, done } = await demo();
  const player = page.locator(EXERCISE + ' .rbv-player');
  const now = player.locator('.rbv-now');
  const counts = player.locator('.rbv-objects tbody tr').first();
  const temps = player.locator('.rbv-state-part').nth(1);
  const n = broken.steps.length;
  assert.equal(await text(now), 'Before the first step: nothing has run yet.');
  await player.locator('.rbv-lanes').focus();
  for (let i = 1; i <= n; i++) {
    await page.keyboard.press('ArrowRight');
    const s = broken.steps[i - 1];
    assert.ok((await text(now)).startsWith('Step ' + i + ' of ' + n + ': ' + broken.threads[s.thread].name + ' '));
    assert.match(await text(player.locator('tr[aria-current="step"] .rbv-num')), new RegExp('^▶[◆✗]*' + i + '( |$)'));
    if (i === 4) {
      assert.equal(await text(now), 'Step 4 of 18: worker-0 lock counts = {} (broken.rs:9).');
      assert.equal(await text(counts.locator('td').nth(0)), '{}');
      assert.equal(await text(counts.locator('td').nth(1)), '🔒 worker-0');
      assert.match(await text(counts), /● changed/);
      // Taking the lock reads the value it guards, as the harness records it.
      assert.equal(await text(temps.locator('li')), 'worker-0 holds counts = {} (read at step 4, not written back yet) ● new');
    }
    if (i === 5) {
      assert.equal(await text(counts.locator('td').nth(1)), 'free');
      assert.equal(await text(temps.locator('li')), 'worker-0 holds counts = {} (read at step 4, not written back yet)');
    }
    if (i === 10) {
      assert.equal(await text(counts.locator('td').nth(0)), '{"a": 1}');
      assert.match(await text(temps), /worker-0 holds counts = \{\} \(read at step 4/);
      assert.ok(await player.locator('.rbv-failure').isHidden());
    }
    if (i === 13) {
      assert.match(await text(temps), /No thread holds a value/);
      assert.match(await text(player.locator('.rbv-conflict')),
        /Conflict: two updates, one change \(steps 4, 10, 13\)\. worker-0 read counts .* so one of them was lost\./);
    }
  }
  const failure = player.locator('.rbv-failure');
  assert.ok(await failure.isVisible());
  assert.equal(await text(failure.locator('p').nth(0)), '✗ The invariant broke: every item is counted once');
  assert.equal(await text(failure.locator('p').nth(1)), 'Expected {"a": 2}, but the run ended with {"a": 1}.');
  assert.match(await text(player.locator('tr.rbv-mark-failure')), /✗18/);
  assert.equal(await player.locator('tr.rbv-mark-conflict').count(), 3);
  // The book's own ←/→ chapter keys did not fire while the player had focus.
  assert.equal(new URL(page.url()).pathname, '/visualizer.html');

  await page.keyboard.press('ArrowLeft');
  assert.ok((await text(now)).startsWith('Step 17 of 18'));
  assert.ok(await failure.isHidden());
  await page.keyboard.press('Home');
  assert.equal(await text(now), 'Before the first step: nothing has run yet.');
  await page.keyboard.press('End');
  assert.ok((await text(now)).startsWith('Step 18 of 18'));
  await player.locator('.rbv-slider').fill('9');
  assert.equal(await text(now), 'Step 9 of 18: worker-1 lock counts = {} (broken.rs:10).');
  // Play: Space starts it, the position moves on by itself, Space pauses it.
  await player.locator('.rbv-lanes').focus();
  await page.keyboard.press(' ');
  assert.equal(await text(player.locator('[data-act="play"]')), '⏸ Pause');
  await page.waitForFunction((sel) => document.querySelector(sel).textContent.startsWith('Step 10 of'), EXERCISE + ' .rbv-now');
  await page.keyboard.press(' ');
  assert.equal(await text(player.locator('[data-act="play"]')), '▶ Play');
  // Arrows: unlock → lock, spawn → start, finish → join, drawn once both ends have run.
  await page.keyboard.press('End');
  await player.locator('.rbv-arrows-toggle').check();
  assert.equal(await player.locator('path.rbv-arrow').count(), 7);
  await player.locator('.rbv-slider').fill('13');
  await player.screenshot({ path: join(artifacts, 'player-step-13.png') });
  await done();
});

test('a reader wins the scheduler game on the broken version, by keyboard', async () => {
  const { page, done } = await demo();
  const game = page.locator(EXERCISE + ' .rbv-game');
  const choice = (t) => game.locator('button[data-thread="' + t + '"]');
  assert.equal(await text(game.locator('.rbv-verdict')), '6 of 10 schedules break the invariant. Find one.');
  assert.equal(await game.locator('.rbv-choices button').count(), 1);
  await choice(0).focus();
  await page.keyboard.press('Enter');
  // main now waits for worker-0: its button says so and does nothing.
  assert.equal(await choice(0).getAttribute('aria-disabled'), 'true');
  // Its name is its text (the symbol is hidden from screen readers).
  assert.equal(await choice(0).getAttribute('aria-label'), null);
  assert.equal(await text(choice(0)), '‖ main blocked: waits for worker-0 to finish');
  await choice(0).dispatchEvent('click');
  assert.equal(await game.locator('tbody tr.rbv-row').count(), 2);
  // The lost update: worker-0 reads, worker-1 reads and writes, worker-0 writes back.
  for (const t of [1, 2, 2, 1, 0, 0]) {
    await choice(t).focus();
    await page.keyboard.press('Enter');
  }
  const outcome = game.locator('.rbv-outcome');
  assert.equal(await text(outcome.locator('p').nth(0)), '✗ You win: The invariant broke: every item is counted once');
  assert.equal(await text(outcome.locator('p').nth(1)), 'Expected {"a": 2}, but the run ended with {"a": 1}.');
  assert.equal(await game.locator('tr.rbv-mark-conflict').count(), 3, 'the conflict of the game run is bracketed');
  await game.screenshot({ path: join(artifacts, 'game-won.png') });
  await game.locator('[data-game="undo"]').click();
  assert.ok(await outcome.isHidden());
  await game.locator('[data-game="reset"]').click();
  assert.equal(await text(game.locator('.rbv-game-lanes .rbv-empty')), 'Nothing has run yet.');
  assert.equal(await text(game.locator('.rbv-here')), 'From here: 10 schedules, 6 failing; the shortest failure is 7 choices away.');
  await game.locator('[data-game="shortest"]').click();
  assert.match(await text(outcome), /^✗ You win/);
  assert.ok(await game.locator('[data-game="shortest"]').isDisabled());
  await done();
});

test('on the fix every path of the game ends green and the page says so', async () => {
  const { page, done } = await demo();
  const game = page.locator(EXERCISE + ' .rbv-game');
  await game.locator('.rbv-game-variant').selectOption('fixed_lock');
  assert.equal(await text(game.locator('.rbv-verdict')),
    '✓ Every one of the 4 schedules passes: whichever thread you pick, the invariant holds.');
  assert.ok(await game.locator('[data-game="shortest"]').isDisabled());
  const outcomes = [];
  let sawLockWait = false;
  async function walk(depth) {
    assert.ok(depth < 20, 'the game tree is deeper than the fixture');
    const out = game.locator('.rbv-outcome');
    if (await out.isVisible()) {
      outcomes.push(await text(out));
      return;
    }
    const blocked = await game.locator('.rbv-choices button[aria-disabled="true"]').allTextContents();
    sawLockWait ||= blocked.some((b) => b.includes('waits for counts, held by worker-'));
    const enabled = await game.locator('.rbv-choices button:not([aria-disabled])').evaluateAll((bs) => bs.map((b) => b.dataset.thread));
    for (const t of enabled) {
      await game.locator('button[data-thread="' + t + '"]').click();
      await walk(depth + 1);
      await game.locator('[data-game="undo"]').click();
    }
  }
  await walk(0);
  assert.equal(outcomes.length, 4);
  for (const o of outcomes) assert.match(o, /^✓ This schedule passes: the invariant held Every path through this fix ends like this one\.$/);
  assert.ok(sawLockWait, 'inside the fixed critical section the other worker is shown waiting for the lock');
  await done();
});

test('compare marks the first step where the fix parts from the broken run', async () => {
  const { page, done } = await demo();
  const compare = page.locator(EXERCISE + ' .rbv-compare');
  assert.match(await text(compare.locator('.rbv-compare-sentence')),
    /^The runs agree for 4 steps; at step 5 they part: in broken, worker-0 does “unlock counts”, while in fixed_lock, worker-0 does “unlock counts, wrote \{"a": 1\}”\.$/);
  const table = compare.locator('table');
  assert.equal(await table.count(), 1);
  assert.deepEqual(await table.locator('thead tr').first().locator('th').allInnerTexts(), ['step', 'broken ✗ fails', 'fixed_lock ✓ passes']);
  assert.equal(await table.locator('tr.rbv-diverge').count(), 1);
  const diverge = table.locator('tr.rbv-diverge');
  assert.equal(await text(diverge.locator('th')), '≠5 (first difference)');
  assert.deepEqual((await diverge.locator('td').allInnerTexts()).map((t) => t.trim()),
    ['worker-0', 'unlock counts', 'worker-0', 'unlock counts, wrote {"a": 1}']);
  // Rows stay aligned: the fixed run is shorter, so the broken run's last rows stand alone.
  assert.equal(await table.locator('tbody tr').count(), broken.steps.length);
  assert.match(await text(table.locator('tbody tr').nth(14)), /\(run ended\)/);
  await compare.screenshot({ path: join(artifacts, 'compare.png') });
  await done();
});

test('a trace opens from the URL fragment (json, compressed, by URL), a file, and a made link', async () => {
  const summary = (page) => text(page.locator(OPEN + ' .rbv-summary'));
  let p = await openTrace('trace=j:' + b64url(brokenText));
  assert.match(await summary(p.page), /^broken of demo: 18 steps on 3 threads/);
  await p.done();

  p = await openTrace('trace=z:' + deflateRawSync(Buffer.from(brokenText)).toString('base64url'));
  assert.match(await summary(p.page), /^broken of demo: 18 steps on 3 threads/);
  // A new fragment in the same page opens the new trace.
  await p.page.evaluate(() => { window.location.hash = 'trace-url=/racebook/demo/fixed_lock.trace.json'; });
  await p.page.waitForFunction((sel) => document.querySelector(sel).textContent.startsWith('fixed_lock'), OPEN + ' .rbv-summary');
  // Make a shareable link and follow it.
  await p.page.locator(OPEN + ' .rbv-share').click();
  await p.page.locator(OPEN + ' .rbv-share-link:not([hidden])').waitFor();
  const link = await p.page.locator(OPEN + ' .rbv-share-link').inputValue();
  assert.ok(link.startsWith(session.server.origin + '/visualizer.html#trace=z:'), link);
  await p.done();
  p = await openTrace(link.split('#')[1]);
  assert.match(await summary(p.page), /^fixed_lock of demo: 14 steps/);
  await p.done();

  p = await open('/visualizer.html');
  await p.page.locator(OPEN + ' .rbv-file').setInputFiles({ name: 'mine.trace.json', mimeType: 'application/json', buffer: Buffer.from(brokenText) });
  await p.page.locator(OPEN + ' .rbv-player:not([hidden])').waitFor();
  assert.match(await summary(p.page), /^broken of demo/);
  // Dropping a file onto the block opens it too.
  const drop = await p.page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.trace.json', { type: 'application/json' }));
    return data;
  }, readFileSync(join(demoDir, 'fixed_lock.trace.json'), 'utf8'));
  await p.page.locator(OPEN).dispatchEvent('drop', { dataTransfer: drop });
  await p.page.waitForFunction((sel) => document.querySelector(sel).textContent.startsWith('fixed_lock'), OPEN + ' .rbv-summary');
  await p.done();
});

test('malformed, wrong-version, oversized and foreign traces get a clear error, never a blank page', async () => {
  const withVersion = JSON.stringify({ ...broken, version: 2 });
  const badThread = JSON.stringify({ ...broken, steps: [{ ...broken.steps[0], thread: 9 }] });
  const cases = [
    ['trace=j:' + b64url(brokenText.slice(0, 300)), /This trace cannot be shown: the trace is not valid JSON/],
    ['trace=j:' + b64url(withVersion), /this trace is version 2, and this reader understands version 1/],
    ['trace=j:' + b64url('{"hello": "world"}'), /this is not a racebook trace/],
    ['trace=j:' + b64url(badThread), /the trace is inconsistent: step 0 names thread 9/],
    ['trace=j:' + b64url('   '), /the trace is empty/],
    ['trace=j:%%%', /damaged \(not base64url/],
    ['trace=z:' + Buffer.from('definitely not deflate data').toString('base64url'), /compressed trace in this link is damaged/],
    ['trace=q:AAAA', /uses the encoding "q"/],
    ['trace-url=https://example.com/t.json', /is not a path on this site/],
    ['trace-url=//example.com/t.json', /is not a path on this site/],
    ['trace-url=/racebook/demo/missing.trace.json', /the server answered 404/],
  ];
  // The first case on a fresh page load, the others through a new fragment in the same page.
  const p = await openTrace(cases[0][0]);
  const error = p.page.locator(OPEN + ' .rbv-error');
  for (const [hash, expected] of cases) {
    await p.page.evaluate((h) => { window.location.hash = h; }, hash);
    try {
      await p.page.waitForFunction(([sel, src]) => {
        const el = document.querySelector(sel);
        return !el.hidden && new RegExp(src).test(el.innerText);
      }, [OPEN + ' .rbv-error', expected.source], { timeout: 5000 });
    } catch {
      assert.fail(hash + ': expected an error matching ' + expected + ', the page shows: ' + (await text(p.page.locator(OPEN))));
    }
    assert.ok(await p.page.locator(OPEN + ' .rbv-player').isHidden(), hash);
    assert.ok(await p.page.locator(OPEN + ' .rbv-open').isVisible(), 'the open box stays usable: ' + hash);
    if (hash.startsWith('trace=j:%')) await p.page.locator(OPEN).screenshot({ path: join(artifacts, 'error.png') });
  }
  assert.ok(await error.isVisible());
  // A missing file is a 404 the browser itself logs; nothing else may be logged.
  p.record.console = p.record.console.filter((m) => !m.includes('404'));
  await p.done();

  // Oversized: refused before it is read.
  const q = await open('/visualizer.html');
  const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
  await q.page.locator(OPEN + ' .rbv-file').setInputFiles({ name: 'huge.trace.json', mimeType: 'application/json', buffer: big });
  await q.page.locator(OPEN + ' .rbv-error:not([hidden])').waitFor();
  assert.match(await text(q.page.locator(OPEN + ' .rbv-error')), /huge\.trace\.json is 17825792 bytes, more than the 16777216 this page accepts/);
  // A panic in the core reports through this hook: every block says so in the page.
  await q.page.evaluate(() => globalThis.racebookVizPanic('forced by the test'));
  for (const sel of [OPEN, EXERCISE]) {
    assert.match(await text(q.page.locator(sel + ' .rbv-error')), /internal error: forced by the test\. Reload the page/);
  }
  await q.done();
});

test('names and values carrying HTML or script render as text', async () => {
  const evil = structuredClone(broken);
  evil.threads[1].name = '<img src=x onerror="window.__pwned=1">';
  evil.objects[0].name = '<script>window.__pwned=2</script>';
  evil.steps[3].value = '</code><img src=y onerror="window.__pwned=3">';
  evil.steps[3].at.text = '<b onmouseover="window.__pwned=4">line</b>';
  evil.failure.invariant = '<i>every item</i> is counted once';
  evil.conflict.why = '<a href="javascript:window.__pwned=5">why</a>';
  const p = await openTrace('trace=j:' + b64url(JSON.stringify(evil)));
  const widget = p.page.locator(OPEN);
  await widget.locator('.rbv-lanes').focus();
  await p.page.keyboard.press('End');
  await p.page.locator(OPEN + ' .rbv-arrows-toggle').check();
  let shown = await text(widget);
  await widget.locator('.rbv-slider').fill('4');
  shown += await text(widget);
  for (const literal of [evil.threads[1].name, evil.objects[0].name, evil.steps[3].value,
    'lock <script>window.__pwned=2</script> = ' + evil.steps[3].value.slice(0, 31) + '…',
    '<b onmouseover="window.__pwned=4">line</b>', '<i>every item</i> is counted once', evil.conflict.why]) {
    assert.ok(shown.includes(literal), 'shown as text: ' + literal);
  }
  // Nothing from the trace became an element: the block's only script is its own loader.
  assert.equal(await widget.locator('img, b, i, a').count(), 0);
  assert.equal(await widget.locator('script').count(), 1);
  assert.match(await widget.locator('script').textContent(), /^\(function \(el\) \{ var early = window\.RacebookVizEarly/);
  assert.equal(await p.page.evaluate(() => window.__pwned), undefined);
  assert.ok(!p.record.requests.some((u) => /\/(x|y)$/.test(u)), 'no image was requested');
  await p.done();
});

test('every control has an accessible name and the dark theme applies', async () => {
  const { page, done } = await demo();
  const unnamed = await page.locator('.racebook-viz').evaluateAll((widgets) => widgets.flatMap((w) =>
    [...w.querySelectorAll('button, input, select, [tabindex]')].filter((el) => {
      const label = el.getAttribute('aria-label') || el.textContent.trim() || (el.closest('label') && el.closest('label').textContent.trim());
      return !label;
    }).map((el) => el.outerHTML.slice(0, 80))));
  assert.deepEqual(unnamed, []);
  await done();

  const dark = await open('/visualizer.html');
  await dark.page.evaluate(() => localStorage.setItem('mdbook-theme', 'navy'));
  await dark.page.reload();
  await dark.page.locator(EXERCISE + ' .rbv-player:not([hidden])').waitFor();
  const colours = await dark.page.locator(EXERCISE).evaluate((el) => {
    const s = getComputedStyle(el);
    return { bg: s.backgroundColor, fg: s.color, html: document.documentElement.className };
  });
  assert.match(colours.html, /navy/);
  const light = (c) => c.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0);
  assert.ok(light(colours.bg) < light(colours.fg), 'dark theme: background darker than text ' + JSON.stringify(colours));
  await dark.page.locator(EXERCISE + ' .rbv-player [data-act="last"]').click();
  await dark.page.screenshot({ path: join(artifacts, 'visualizer-dark.png'), fullPage: true });
  await dark.done();
});

chapterTests({ open, text, bookDir, artifacts });

// The accessibility audit (axe-core on every page, both themes, every state) and the keyboard tests.
await import('./keyboard.mjs');
await import('./a11y.mjs');
// The checks of understanding.
await import('./quiz.mjs');

test('no page of these tests sent a request outside its own origin', () => {
  const requests = session.records.flatMap((r) => r.requests);
  assert.ok(requests.length > 50, 'the pages loaded their assets: ' + requests.length);
  assert.deepEqual(session.records.flatMap((r) => r.foreign), []);
  assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the wasm was loaded');
});
