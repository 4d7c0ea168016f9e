// axe-core (npm, pinned in web/package.json) run in a page of the browser tests: the WCAG 2.0
// and 2.1 rules of levels A and AA, and a per-rule table of what it found across many pages.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decideContrast } from './contrast.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = require('axe-core/package.json').version;
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Run axe on `page` as it is now; `where` names it in the table ("chapters/01 navy, game won").
 * Resolves to { violations: [{ rule, impact, help, where, nodes: [{ target, summary }] }],
 * incomplete: [...same...], decided }. The contrast axe could not decide (a colour over a
 * gradient, a symbol) is decided by `decideContrast` (contrast.mjs): its failures are violations
 * of the rule "color-contrast (decided here)", and `decided` counts the nodes it checked.
 * What is still `incomplete` is listed for a person to look at, not counted as a failure.
 */
export async function audit(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  const results = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations', 'incomplete'],
    });
    const keep = (list) => list.map((v) => ({
      rule: v.id,
      impact: v.impact || 'none',
      help: v.help,
      // A node inside a frame or a shadow root has a path of selectors; these pages have neither.
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary || '').split('\n').slice(1, 2).join('').trim() })),
    }));
    return { violations: keep(r.violations), incomplete: keep(r.incomplete) };
  }, WCAG_TAGS);
  const undecided = results.incomplete.filter((v) => v.rule === 'color-contrast');
  const targets = undecided.flatMap((v) => v.nodes.map((n) => n.target));
  const { failing, decided } = await page.evaluate(decideContrast, targets);
  results.incomplete = results.incomplete.filter((v) => v.rule !== 'color-contrast');
  if (failing.length) {
    results.violations.push({
      rule: 'color-contrast (decided here)', impact: 'serious', help: 'contrast axe left undecided, computed over every background',
      nodes: failing.map((f) => ({ target: f.target, summary: f.fg + ' on ' + f.bg + ': ' + f.ratio + ':1, needs ' + f.need + ':1' })),
    });
  }
  results.decided = decided;
  for (const list of [results.violations, results.incomplete]) for (const v of list) v.where = where;
  return results;
}

/** One row per rule: impact, nodes per theme, and where it was found. */
export function table(findings, themes) {
  const rules = new Map();
  for (const f of findings) {
    const row = rules.get(f.rule) || { rule: f.rule, impact: f.impact, help: f.help, nodes: {}, where: new Set(), example: f.nodes[0] };
    const theme = themes.find((t) => f.where.includes(t)) || 'other';
    row.nodes[theme] = (row.nodes[theme] || 0) + f.nodes.length;
    row.where.add(f.where.replace(new RegExp(' (' + themes.join('|') + ')\\b'), ''));
    rules.set(f.rule, row);
  }
  if (!rules.size) return '  (none)';
  const header = ['rule', 'impact', ...themes.map((t) => 'nodes ' + t), 'pages and states'];
  const lines = [...rules.values()]
    .sort((a, b) => sum(b.nodes) - sum(a.nodes))
    .map((r) => [r.rule, r.impact, ...themes.map((t) => String(r.nodes[t] || 0)),
      r.where.size + ': ' + [...r.where].slice(0, 6).join('; ') + (r.where.size > 6 ? '; …' : '')]);
  const cut = (c) => (c.length > 90 ? c.slice(0, 89) + '…' : c);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => cut(l[i]).length)));
  const fmt = (cells) => '  | ' + cells.map((c, i) => cut(c).padEnd(widths[i])).join(' | ') + ' |';
  const examples = [...rules.values()].map((r) => '  ' + r.rule + ' (' + r.help + '), e.g. ' + r.example.target
    + (r.example.summary ? ': ' + r.example.summary : ''));
  return [fmt(header), '  |' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(fmt), '', ...examples].join('\n');
}

function sum(nodes) {
  return Object.values(nodes).reduce((a, b) => a + b, 0);
}
