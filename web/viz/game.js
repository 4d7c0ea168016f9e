// racebook visualizer, part 4 of 6: "play the scheduler". The core's game decides which
// threads can run and why others cannot; this draws the choices, the outcome and the run so far,
// and says each move and the result in a polite live region for screen readers.
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
      this.announce = section.querySelector('.rbv-announce');
      this.select.addEventListener('change', () => this.use(this.select.value));
      section.querySelectorAll('[data-game]').forEach((b) => b.addEventListener('click', () => {
        if (b.getAttribute('aria-disabled') !== 'true') this.control(b.dataset.game);
      }));
      const box = section.querySelector('.rbv-choices');
      box.addEventListener('click', (e) => {
        const b = e.target.closest('button[data-thread]');
        if (b) this.choose(Number(b.dataset.thread));
      });
      box.addEventListener('keydown', (e) => this.moveFocus(e));
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

    /** Arrow keys move the focus between the threads (Tab reaches them one by one too). */
    moveFocus(e) {
      const step = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 }[e.key];
      const buttons = [...this.section.querySelectorAll('.rbv-choice')];
      const at = buttons.indexOf(document.activeElement);
      if (!step || at < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      buttons[(at + step + buttons.length) % buttons.length].focus();
    }

    choose(thread) {
      const b = this.section.querySelector('button[data-thread="' + thread + '"]');
      if (b && b.getAttribute('aria-disabled') === 'true') return;
      this.widget.call(() => this.game.choose(thread));
      const v = this.render(true);
      if (v) {
        const move = v.moves[v.moves.length - 1];
        this.say(move ? move.thread + ' ran' + (move.steps.length ? ': ' + move.steps.join('; ') : '') + '.' : '', v);
      }
    }

    control(what) {
      this.widget.call(() => {
        if (what === 'undo') this.game.undo();
        else if (what === 'reset') this.game.reset();
        else if (what === 'shortest' && !this.game.play_shortest_failure()) {
          this.note = 'No failing schedule can be reached from here: undo or reset first.';
        }
      });
      const v = this.render(false);
      const done = { undo: 'Undone.', reset: 'Back to the start: nothing has run.', shortest: 'Played the shortest failing schedule.' };
      if (v) this.say(done[what], v);
    }

    /** What a screen reader hears after a move: what ran, then the result or the next choice. */
    say(first, v) {
      const next = v.outcome
        ? [v.outcome.title + '.'].concat(v.outcome.details)
        : v.choices.map((c) => c.label + '.').concat([this.section.querySelector('.rbv-here').textContent]);
      this.announce.textContent = [first].concat(next).filter(Boolean).join(' ');
    }

    render(keepFocus) {
      const v = this.widget.call(() => JSON.parse(this.game.view(ROWS)));
      if (!v) return null;
      const s = this.section;
      const focusInChoices = keepFocus || s.querySelector('.rbv-choices').contains(document.activeElement);
      s.querySelector('.rbv-game-invariant').textContent = 'The invariant: ' + v.invariant + '.';
      const verdict = s.querySelector('.rbv-verdict');
      verdict.textContent = (v.all_pass ? '✓ ' : '') + v.verdict;
      verdict.classList.toggle('rbv-pass', v.all_pass);
      // The name is the visible text ("main next: spawn worker-0"); the symbols are not read.
      const choices = v.choices.map((c) => h('button', {
        type: 'button', class: 'rbv-btn rbv-choice' + (c.enabled ? '' : ' rbv-blocked'),
        'data-thread': c.thread, 'aria-disabled': c.enabled ? null : 'true',
      },
      h('strong', {}, h('span', { 'aria-hidden': 'true' }, c.enabled ? '▶ ' : '‖ '), c.name),
      h('span', { class: 'rbv-choice-detail' }, c.enabled ? (c.next ? ' next: ' + c.next : '') : ' blocked: ' + c.reason)));
      const box = s.querySelector('.rbv-choices');
      box.replaceChildren(...choices);
      // A stuck run ends with threads that never finish: say so, not that all finished.
      const stuck = v.outcome && !v.outcome.passed && /^You win: (Deadlock|Lost wakeup)/.test(v.outcome.title);
      const end = v.unexplored ? 'The exploration stopped here (its budget ran out).'
        : stuck ? 'No thread can run: the ones left wait forever.' : 'Every thread has finished.';
      if (!v.choices.length) box.append(h('p', { class: 'rbv-empty' }, end));
      // aria-disabled, not disabled: Undo keeps the focus when it takes the game back to the start.
      const off = (what, yes) => s.querySelector('[data-game="' + what + '"]').setAttribute('aria-disabled', String(yes));
      off('undo', !v.can_undo);
      off('reset', !v.can_undo);
      off('shortest', v.here_shortest === null || v.outcome !== null);
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
      return v;
    }
  }

  RBV.GameView = GameView;
})(globalThis.RacebookViz = globalThis.RacebookViz || {});
