// The learner's path, in the browser tests (imported by run.mjs): the chapters' measurement
// tables sit in collapsed <details> blocks that open and close from the keyboard, with a visible
// focus ring on their summary, and render as tables (mdBook 0.5 keeps the markdown inside).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready, tabTo, text } from './session.mjs';

const PAGES = ['/chapters/03-corrupt-json.html', '/chapters/04-metrics-ring.html'];
const SUMMARY = 'main details:has(table) > summary';

test('the measurement tables open and close from the keyboard', async () => {
  for (const path of PAGES) {
    const p = await ready(path);
    const { page } = p;
    const details = page.locator('main details:has(table)');
    assert.equal(await details.count(), 1, path + ': one measurement block');
    assert.match(await text(details.locator('summary')), /^The measurements: /, path);
    const table = details.locator('table');
    assert.equal(await details.evaluate((d) => d.open), false, path + ': collapsed at first');
    assert.ok(await table.isHidden(), path + ': the table is hidden while collapsed');
    assert.ok(await tabTo(page, SUMMARY), path + ': Tab reaches the summary');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.ok(ring.style !== 'none' && ring.width >= 2, path + ': a visible focus ring ' + JSON.stringify(ring));
    await page.keyboard.press('Enter');
    assert.equal(await details.evaluate((d) => d.open), true, path + ': Enter opens it');
    assert.ok(await table.isVisible(), path + ': the table shows');
    assert.ok((await table.locator('th').count()) >= 4, path + ': the markdown inside became a table');
    await page.keyboard.press(' ');
    assert.equal(await details.evaluate((d) => d.open), false, path + ': Space closes it');
    await p.done();
  }
});
