// racebook visualizer, part 4 of 6: "play the scheduler". The core's game decides which
// threads can run and why others cannot; this draws the choices, the outcome and the run so far.
(function (RBV) {
  'use strict';
  const { h, drawLanes, drawState, ROWS } = RBV;


  class GameView {
    constructor(widget, section) {
      this.widget = widget;
      this.section = section;
      this.games = new Map();
      this.game = null;
      this.select = section.querySelector('.rbv-game-variant');
      this.select.addEventListener('change', () => this.use(this.select.value));
      section.querySelectorAll('[data-game]').forEach((b) => b.addEventListener('click', () => this.control(b.dataset.game)));
      section.querySelector('.rbv-choices').addEventListener('click', (e) => {
        const b = e.target.closest('button[data-thread]');
        if (b) this.choose(Number(b.dataset.thread));
      });
      section.addEventListener('keydown', (e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') e.stopPropagation();
      });
    }

    load(games, first) {
      this.games = games;
      this.select.replaceChildren(...[...games.keys()].map((v) => h('option', { value: v }, v)));
      this.section.querySelector('.rbv-game-variant-label').hidden = games.size < 2;
      this.section.hidden = false;
      this.use(first);
    }

    use(variant) {
      this.game = this.games.get(variant);
      this.select.value = variant;
      this.render();
    }

    choose(thread) {
      const b = this.section.querySelector('button[data-thread="' + thread + '"]');
      if (b && b.getAttribute('aria-disabled') === 'true') return;
      this.widget.call(() => this.game.choose(thread));
      this.render(true);
    }

    control(what) {
      this.widget.call(() => {
        if (what === 'undo') this.game.undo();
        else if (what === 'reset') this.game.reset();
        else if (what === 'shortest' && !this.game.play_shortest_failure()) {
          this.note = 'No failing schedule can be reached from here: undo or reset first.';
        }
      });
      this.render(false);
    }

    render(keepFocus) {
      const v = this.widget.call(() => JSON.parse(this.game.view(ROWS)));
      if (!v) return;
      const s = this.section;
      const focusInChoices = keepFocus || s.querySelector('.rbv-choices').contains(document.activeElement);
      s.querySelector('.rbv-game-invariant').textContent = 'The invariant: ' + v.invariant + '.';
      const verdict = s.querySelector('.rbv-verdict');
      verdict.textContent = (v.all_pass ? '✓ ' : '') + v.verdict;
      verdict.classList.toggle('rbv-pass', v.all_pass);
      const choices = v.choices.map((c) => h('button', {
        type: 'button', class: 'rbv-btn rbv-choice' + (c.enabled ? '' : ' rbv-blocked'),
        'data-thread': c.thread, 'aria-disabled': c.enabled ? null : 'true', 'aria-label': c.label,
      },
      h('strong', {}, (c.enabled ? '▶ ' : '‖ ') + c.name),
      h('span', { class: 'rbv-choice-detail' }, c.enabled ? (c.next ? 'next: ' + c.next : '') : 'blocked: ' + c.reason)));
      const box = s.querySelector('.rbv-choices');
      box.replaceChildren(...choices);
      // A stuck run ends with threads that never finish: say so, not that all finished.
      const stuck = v.outcome && !v.outcome.passed && /^You win: (Deadlock|Lost wakeup)/.test(v.outcome.title);
      const end = v.unexplored ? 'The exploration stopped here (its budget ran out).'
        : stuck ? 'No thread can run: the ones left wait forever.' : 'Every thread has finished.';
      if (!v.choices.length) box.append(h('p', { class: 'rbv-empty' }, end));
      s.querySelector('[data-game="undo"]').disabled = !v.can_undo;
      s.querySelector('[data-game="reset"]').disabled = !v.can_undo;
      s.querySelector('[data-game="shortest"]').disabled = v.here_shortest === null || v.outcome !== null;
      let here = 'From here: ' + v.here_schedules + ' schedule' + (v.here_schedules === 1 ? '' : 's') + ', ' + v.here_failing + ' failing';
      if (v.here_shortest !== null && !v.outcome) here += '; the shortest failure is ' + v.here_shortest + ' choice' + (v.here_shortest === 1 ? '' : 's') + ' away';
      s.querySelector('.rbv-here').textContent = here + '.' + (this.note ? ' ' + this.note : '');
      this.note = null;
      const out = s.querySelector('.rbv-outcome');
      out.hidden = !v.outcome;
      out.className = 'rbv-outcome' + (v.outcome ? (v.outcome.passed ? ' rbv-pass' : ' rbv-fail') : '');
      if (v.outcome) {
        out.replaceChildren(h('p', { class: 'rbv-outcome-title' }, (v.outcome.passed ? '✓ ' : '✗ ') + v.outcome.title),
          ...v.outcome.details.map((d) => h('p', {}, d)));
      }
      drawLanes(s.querySelector('.rbv-game-lanes'), v.frame, v.frame.threads.map((t) => t.name), null, false);
      drawState(s.querySelector('.rbv-state'), v.frame);
      if (focusInChoices) {
        const target = box.querySelector('button:not([aria-disabled])') || s.querySelector('[data-game="undo"]');
        if (target) target.focus();
      }
    }
  }

  RBV.GameView = GameView;
})(globalThis.RacebookViz = globalThis.RacebookViz || {});
