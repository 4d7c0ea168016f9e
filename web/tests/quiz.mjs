// The checks of understanding, in the browser tests (imported by run.mjs), from the keyboard
// only: a right answer and a wrong one, each with its verdict in a live region and the
// explanation; the answers back after a reload; a "click the step" answer; the export of the
// answers as JSON. The right answers are read from the exercise's export, not from the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, open, tabTo, text, bookPages } from './session.mjs';

const CHAPTER = '/chapters/01-counter-map.html';
const form = (id) => 'form.rbq[data-id="01-counter-map/' + id + '"]';
const exported = async (file) => (await fetch(session.server.origin + '/racebook/01-counter-map/' + file)).json();

test('questions: right and wrong answers, a step answer, kept across a reload, exported', async () => {
  const tree = await exported('broken.tree.json');
  const trace = await exported('broken.trace.json');
  const p = await open(CHAPTER);
  const { page } = p;
  await page.locator(form('failing-schedules')).waitFor();

  // A right answer, typed: the count of failing schedules the export holds.
  const number = page.locator(form('failing-schedules'));
  const feedback = number.locator('.rbq-feedback');
  assert.equal(await feedback.getAttribute('aria-live'), 'polite');
  assert.equal(await number.locator('legend').count(), 1);
  assert.ok(await number.locator('.rbq-explanation').isHidden(), 'the explanation waits for an answer');
  assert.ok(await tabTo(page, form('failing-schedules') + ' input'), 'Tab reaches the number field');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(ring, 'none', 'the focused field shows a ring');
  await page.keyboard.type(String(tree.failing));
  await page.keyboard.press('Enter');
  assert.equal(await text(feedback), 'Right: ' + tree.failing + '.');
  assert.equal(await number.getAttribute('data-result'), 'right');
  assert.ok(await number.locator('.rbq-explanation').isVisible());
  assert.match(await text(number.locator('.rbq-explanation')), new RegExp('^' + tree.failing + ' of the ' + tree.schedules + '\\.'));

  // A wrong answer, chosen with arrow keys: the third option of the fix question.
  const choice = page.locator(form('fix-keeps-parallel'));
  assert.ok(await tabTo(page, form('fix-keeps-parallel') + ' input[type=radio]'), 'Tab reaches the options');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await choice.locator('input:checked').getAttribute('value'), '2');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.match(await text(choice.locator('.rbq-feedback')), /^Not this time: the answer is “Hold the lock once/);
  assert.equal(await choice.getAttribute('data-result'), 'wrong');
  assert.ok(await choice.locator('.rbq-explanation').isVisible());

  // "Click the step": the two conflicting steps of the failing run, selected with Space.
  const steps = page.locator(form('conflicting-steps'));
  const want = [trace.conflict.first + 1, trace.conflict.second + 1].sort((a, b) => a - b);
  assert.equal(await steps.locator('input[type=checkbox]').count(), trace.steps.length);
  for (const n of want) {
    assert.ok(await tabTo(page, form('conflicting-steps') + ' input[value="' + n + '"]'), 'Tab reaches step ' + n);
    await page.keyboard.press('Space');
  }
  await steps.locator('button[type=submit]').focus();
  await page.keyboard.press('Enter');
  assert.equal(await text(steps.locator('.rbq-feedback')), 'Right: steps ' + want.join(' and ') + '.');

  // A reload brings every answer and its verdict back.
  await page.reload();
  await number.locator('.rbq-feedback:not(:empty)').waitFor();
  assert.equal(await number.locator('input').inputValue(), String(tree.failing));
  assert.equal(await text(feedback), 'Right: ' + tree.failing + '.');
  assert.equal(await choice.locator('input:checked').getAttribute('value'), '2');
  assert.match(await text(choice.locator('.rbq-feedback')), /^Not this time/);
  const checked = await steps.locator('input:checked').evaluateAll((all) => all.map((i) => Number(i.value)));
  assert.deepEqual(checked, want);

  // Export: one JSON file, in the format `racebook report --merge` reads.
  assert.ok(await tabTo(page, '.rbq-export button'), 'Tab reaches the export button');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const file = join(session.artifacts, 'racebook-answers.json');
  await download.saveAs(file);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(doc.format, 'racebook-answers');
  assert.equal(doc.version, 1);
  const byId = Object.fromEntries(doc.answers.map((a) => [a.id.split('/')[1], a]));
  assert.deepEqual(Object.keys(byId).sort(), ['conflicting-steps', 'failing-schedules', 'fix-keeps-parallel']);
  assert.equal(byId['failing-schedules'].correct, true);
  assert.equal(byId['fix-keeps-parallel'].correct, false);
  assert.equal(byId['fix-keeps-parallel'].first_correct, false);
  assert.equal(byId['conflicting-steps'].answer, want.join(','));
  await page.screenshot({ path: join(session.artifacts, 'questions-01.png'), fullPage: true });
  // Everything came from the book's own origin: the page script and style included.
  assert.ok(p.record.requests.some((u) => /\/quiz[^/]*\.js$/.test(u)), 'the questions\' script loaded');
  await p.done();
});

test('every chapter\'s questions are forms with a legend, labelled inputs and a live region', () => {
  const chapters = bookPages().filter((path) => path.startsWith('/chapters/'));
  let asked = 0;
  for (const path of chapters) {
    const html = readFileSync(join(session.bookDir, path), 'utf8');
    const forms = html.match(/<form class="rbq"[\s\S]*?<\/form>/g) || [];
    assert.ok(forms.length >= 3 && forms.length <= 6, path + ' asks ' + forms.length + ' questions');
    for (const form of forms) {
      assert.match(form, /<fieldset>\n<legend id="[^"]+">/, path);
      assert.match(form, /<p class="rbq-feedback" role="status" aria-live="polite"><\/p>/, path);
      // Every input sits in its own label, or has one that names it.
      const inputs = (form.match(/<input /g) || []).length;
      const labelled = (form.match(/<label><input /g) || []).length + (form.match(/<label for="/g) || []).length;
      assert.equal(labelled, inputs, path + ': ' + form.slice(0, 120));
    }
    asked += forms.length;
  }
  assert.ok(chapters.length >= 11 && asked >= 33, chapters.length + ' chapters, ' + asked + ' questions');
});
