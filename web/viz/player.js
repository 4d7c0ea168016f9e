// racebook visualizer, part 3 of 6: the trace player's controls. Step, play, scrub and keys
// move a position; the core's frame for that position is drawn.
(function (RBV) {
  'use strict';
  const { h, drawLanes, drawState, ROWS, PLAY_MS } = RBV;
  // A reader who asked the system for less motion gets pages of rows that hold still.
  const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');


  class PlayerView {
    constructor(widget, section) {
      this.widget = widget;
      this.section = section;
      this.players = new Map();
      this.player = null;
      this.position = 0;
      this.timer = null;
      this.slider = section.querySelector('.rbv-slider');
      this.lanes = section.querySelector('.rbv-lanes');
      this.state = section.querySelector('.rbv-state');
      this.select = section.querySelector('.rbv-variant');
      this.arrows = section.querySelector('.rbv-arrows-toggle');
      this.playButton = section.querySelector('[data-act="play"]');
      section.querySelectorAll('[data-act]').forEach((b) => b.addEventListener('click', () => {
        if (b.getAttribute('aria-disabled') !== 'true') this.act(b.dataset.act);
      }));
      this.slider.addEventListener('input', () => this.go(Number(this.slider.value)));
      this.arrows.addEventListener('change', () => this.render());
      this.select.addEventListener('change', () => this.use(this.select.value));
      section.addEventListener('keydown', (e) => this.key(e));
    }

    /** `players`: a Map from variant to a core TracePlayer. */
    load(players, first) {
      this.stop();
      for (const p of this.players.values()) p.free();
      this.players = players;
      this.select.replaceChildren(...[...players.keys()].map((v) => h('option', { value: v }, v)));
      this.section.querySelector('.rbv-variant-label').hidden = players.size < 2;
      this.section.hidden = false;
      this.use(first);
    }

    use(variant) {
      this.stop();
      this.player = this.players.get(variant);
      this.select.value = variant;
      this.summary = JSON.parse(this.player.summary());
      this.slider.max = String(this.summary.steps);
      const s = this.summary;
      const parts = [s.variant + ' of ' + s.exercise + ': ' + s.steps + ' steps on ' + s.threads.length + ' ' + (s.units || 'threads') + ', replayed on ' + s.engine + ' (schedule ' + s.schedule + ', ' + s.preemptions + ' preemption' + (s.preemptions === 1 ? '' : 's') + ').'];
      if (s.found) parts.push(s.found);
      if (s.failure && s.failure.step !== null) parts.push('It fails at step ' + (s.failure.step + 1) + '.');
      if (!s.failure) parts.push('It runs to the end without failing.');
      this.section.querySelector('.rbv-summary').textContent = parts.join(' ');
      this.go(Math.min(this.position, s.steps));
    }

    go(position) {
      this.position = Math.max(0, Math.min(position, this.summary.steps));
      this.render();
    }

    render() {
      const f = this.widget.call(() => JSON.parse(this.player.frame(this.position, ROWS, reducedMotion.matches)));
      if (!f) return;
      this.frame = f;
      this.slider.value = String(f.position);
      const now = f.current ? f.current.sentence : 'Before the first step: nothing has run yet.';
      this.slider.setAttribute('aria-valuetext', now);
      this.section.querySelector('.rbv-now').textContent = now;
      const c = this.summary.conflict;
      const conflictEl = this.section.querySelector('.rbv-conflict');
      conflictEl.hidden = !c;
      if (c) {
        // A step named twice (a thread waiting for its own lock) is named once.
        const steps = [...new Set([c.first, c.second].concat(c.completes === null ? [] : [c.completes]))].map((s) => s + 1);
        conflictEl.replaceChildren(
          h('span', { class: 'rbv-conflict-key', 'aria-hidden': 'true' }, '◆ ⟦ '),
          h('strong', {}, 'Conflict: ' + c.label), (steps.length === 1 ? ' (step ' : ' (steps ') + steps.join(', ') + ')',
          f.conflict_shown ? '. ' + c.why : '');
      }
      drawLanes(this.lanes, f, this.summary.threads, c, this.arrows.checked);
      drawState(this.state, f);
      const fail = this.section.querySelector('.rbv-failure');
      const failure = this.summary.failure;
      fail.hidden = !(failure && f.failure_shown);
      if (failure && f.failure_shown) {
        fail.replaceChildren(h('p', { class: 'rbv-failure-title' }, '✗ ' + failure.title),
          ...failure.details.map((d) => h('p', {}, d)));
      }
      // aria-disabled, not disabled: a button at the end of its road keeps the keyboard focus.
      const off = (act, yes) => this.section.querySelector('[data-act="' + act + '"]').setAttribute('aria-disabled', String(yes));
      off('back', f.position === 0);
      off('first', f.position === 0);
      off('forward', f.position === f.total);
      off('last', f.position === f.total);
      if (!this.widget.rendered) {
        this.widget.rendered = true;
        // The table the book build wrote into the page stood in until now.
        const preview = this.widget.el.querySelector(':scope > .rbv-preview');
        if (preview) preview.remove();
        performance.mark('racebook-viz-first-render');
      }
    }

    act(what) {
      if (what === 'first') this.go(0);
      else if (what === 'last') this.go(this.summary.steps);
      else if (what === 'back') this.go(this.position - 1);
      else if (what === 'forward') this.go(this.position + 1);
      else if (what === 'play') this.toggle();
    }

    toggle() {
      if (this.timer) { this.stop(); return; }
      if (this.position >= this.summary.steps) this.go(0);
      this.timer = setInterval(() => {
        if (this.position >= this.summary.steps) this.stop();
        else this.go(this.position + 1);
      }, PLAY_MS);
      this.playButton.classList.add('rbv-playing');
      this.playButton.replaceChildren(h('span', { 'aria-hidden': 'true' }, '⏸'), ' Pause');
    }

    stop() {
      if (!this.timer) return;
      clearInterval(this.timer);
      this.timer = null;
      this.playButton.classList.remove('rbv-playing');
      this.playButton.replaceChildren(h('span', { 'aria-hidden': 'true' }, '▶'), ' Play');
    }

    key(e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target;
      const native = t.matches('select, input[type="range"], input[type="text"], input[type="file"]');
      const activates = t.matches('button, input, select, summary, a');
      const keys = { ArrowLeft: 'back', ArrowRight: 'forward', Home: 'first', End: 'last' };
      if (keys[e.key] && !native) {
        e.preventDefault();
        this.act(keys[e.key]);
      } else if ((e.key === ' ' || e.key === 'k') && !activates) {
        e.preventDefault();
        this.toggle();
      }
      // The book's own keys (←/→ change chapter) must not fire while the reader is in here.
      if (keys[e.key] || e.key === ' ') e.stopPropagation();
    }
  }

  RBV.PlayerView = PlayerView;
})(globalThis.RacebookViz = globalThis.RacebookViz || {});
