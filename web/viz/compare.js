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
      const side = (s) => h('table', { class: 'rbv-table rbv-compare-table' },
        h('caption', {}, s.variant + (s.failed ? ' ✗ fails' : ' ✓ passes')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'step'), h('th', { scope: 'col' }, 'thread'), h('th', { scope: 'col' }, 'does'), h('th', { scope: 'col' }, 'source'))),
        h('tbody', {}, s.rows.map((r, i) => {
          const first = i === c.first_difference;
          return h('tr', { class: first ? 'rbv-diverge' : (c.first_difference !== null && i > c.first_difference ? 'rbv-after' : null) },
            h('td', { class: 'rbv-num' }, first ? h('span', { class: 'rbv-symbols' }, '≠') : null, String(r.number),
              first ? h('span', { class: 'rbv-sr' }, ' (first difference)') : null),
            h('td', {}, r.thread), h('td', {}, r.text), h('td', { class: 'rbv-src' }, r.at));
        })));
      this.section.querySelector('.rbv-compare-cols').replaceChildren(side(c.left), side(c.right));
    }
  }

  RBV.CompareView = CompareView;
})(globalThis.RacebookViz = globalThis.RacebookViz || {});
