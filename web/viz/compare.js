// racebook visualizer, part 5 of 6: the broken run and a fixed run side by side, with the
// first step where they part marked (the core finds it).
(function (RBV) {
  'use strict';
  const { h } = RBV;


  class CompareView {
    constructor(widget, section) {
      this.widget = widget;
      this.section = section;
      this.select = section.querySelector('.rbv-compare-variant');
      this.select.addEventListener('change', () => this.use(this.select.value));
    }

    load(broken, fixes) {
      this.broken = broken;
      this.fixes = fixes;
      this.select.replaceChildren(...[...fixes.keys()].map((v) => h('option', { value: v }, v)));
      this.section.hidden = false;
      this.use(fixes.keys().next().value);
    }

    use(variant) {
      this.select.value = variant;
      const c = this.widget.call(() => JSON.parse(this.widget.core.compare_traces(this.broken, this.fixes.get(variant))));
      if (!c) return;
      this.section.querySelector('.rbv-compare-sentence').textContent = c.sentence;
      // One table, the two runs side by side in aligned rows: step i of each run on row i.
      const title = (s) => s.variant + (s.failed ? ' ✗ fails' : ' ✓ passes');
      const cells = (s, i) => {
        const r = s.rows[i];
        if (!r) return [h('td', { class: 'rbv-ended', colspan: 2 }, i === s.rows.length ? '(run ended)' : '')];
        return [h('td', { class: 'rbv-cmp-thread' }, r.thread), h('td', { class: 'rbv-cmp-step', title: r.at }, r.text)];
      };
      const n = Math.max(c.left.rows.length, c.right.rows.length);
      const rows = [];
      for (let i = 0; i < n; i++) {
        const first = i === c.first_difference;
        const after = c.first_difference !== null && i > c.first_difference;
        rows.push(h('tr', { class: first ? 'rbv-diverge' : (after ? 'rbv-after' : null) },
          h('th', { scope: 'row', class: 'rbv-num' }, first ? h('span', { class: 'rbv-symbols' }, '≠') : null, String(i + 1),
            first ? h('span', { class: 'rbv-sr' }, ' (first difference)') : null),
          cells(c.left, i), cells(c.right, i)));
      }
      const table = h('table', { class: 'rbv-table rbv-compare-table' },
        h('thead', {},
          h('tr', {}, h('th', { scope: 'col', rowspan: 2, class: 'rbv-num' }, 'step'),
            h('th', { scope: 'colgroup', colspan: 2 }, title(c.left)), h('th', { scope: 'colgroup', colspan: 2 }, title(c.right))),
          h('tr', {}, ['thread', 'does', 'thread', 'does'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows));
      this.section.querySelector('.rbv-compare-cols').replaceChildren(table);
    }
  }

  RBV.CompareView = CompareView;
})(globalThis.RacebookViz = globalThis.RacebookViz || {});
