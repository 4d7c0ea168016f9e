// racebook visualizer: the page glue. It finds the `.racebook-viz` blocks the book's
// preprocessor wrote, loads the wasm core once, and draws what the core decides (the core, in
// crates/viz, holds all the logic). Rules kept here: every string from a trace reaches the page
// as text (textContent, never markup); only same-origin URLs are fetched; every failure ends as
// a sentence in the page, never as a blank page or an uncaught error.
(function () {
  'use strict';

  const ROWS = 24;
  const PLAY_MS = 700;
  const FETCH_MS = 15000;
  /** Fetched files larger than this are refused unread (the core's own limit is 16 MiB). */
  const MAX_FETCH = 16 * 1024 * 1024;
  const SVG = 'http://www.w3.org/2000/svg';
  const widgets = [];

  // ---- small helpers ---------------------------------------------------------------------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function svg(tag, attrs) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    return el;
  }

  /** A URL below the book's root, as mdBook's `path_to_root` gives it (empty on top pages). */
  function bookUrl(path) {
    const root = typeof path_to_root === 'string' ? path_to_root : '';
    return new URL(root + path, document.baseURI);
  }

  function sameOrigin(url) {
    return url.origin === window.location.origin;
  }

  function errorText(e) {
    if (e && typeof e.message === 'string' && e.message) return e.message;
    return String(e);
  }

  /** Fetch text from this site only, with a time limit and a size limit. */
  async function fetchText(url, limit) {
    if (!sameOrigin(url)) {
      throw new Error('The visualizer only opens files from this site, not ' + url.origin + '.');
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), FETCH_MS);
    let response;
    try {
      response = await fetch(url, { signal: abort.signal, credentials: 'same-origin' });
    } catch (e) {
      throw new Error(
        abort.signal.aborted
          ? 'Loading ' + url.pathname + ' took longer than ' + FETCH_MS / 1000 + ' s; is the book server still running?'
          : 'Could not load ' + url.pathname + ' (' + errorText(e) + ').');
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      throw new Error('Could not load ' + url.pathname + ': the server answered ' + response.status + '.');
    }
    const declared = Number(response.headers.get('content-length') || 0);
    if (limit && declared > limit) {
      throw new Error(url.pathname + ' is ' + declared + ' bytes, more than the ' + limit + ' this page accepts.');
    }
    const text = await response.text();
    if (limit && text.length > limit) {
      throw new Error(url.pathname + ' is ' + text.length + ' bytes, more than the ' + limit + ' this page accepts.');
    }
    return text;
  }

  /** Inflate deflate-raw bytes with the browser's DecompressionStream, stopping at `limit`. */
  async function inflate(bytes, limit) {
    if (typeof DecompressionStream !== 'function') {
      throw new Error('This browser cannot decompress a z: link; open the trace file instead.');
    }
    const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    const parts = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > limit) {
          await reader.cancel();
          throw new Error('The trace in this link unpacks to more than ' + limit + ' bytes; open the trace file instead.');
        }
        parts.push(value);
      }
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('The trace in this link')) throw e;
      throw new Error('The compressed trace in this link is damaged; copy the whole link again.');
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(all);
    } catch (_) {
      throw new Error('The trace in this link is not UTF-8 text.');
    }
  }

  async function deflate(text) {
    const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // ---- the wasm core ---------------------------------------------------------------------

  let corePromise = null;

  function loadCore(el) {
    if (!corePromise) {
      const glue = bookUrl(el.dataset.glue || '');
      const wasm = bookUrl(el.dataset.wasm || '');
      corePromise = (async () => {
        if (!el.dataset.glue || !sameOrigin(glue) || !sameOrigin(wasm)) {
          throw new Error('The visualizer\'s files are missing from this page; rebuild the book with `cargo xtask build`.');
        }
        let core;
        try {
          core = await import(glue.href);
          await core.default({ module_or_path: wasm });
        } catch (e) {
          throw new Error('The visualizer could not start (' + errorText(e) + '). Rebuild the book with `cargo xtask build` and reload.');
        }
        return core;
      })();
    }
    return corePromise;
  }

  // A panic in the core reports here (see crates/viz/src/bindings.rs), then traps; the trap
  // is caught where the core was called.
  globalThis.racebookVizPanic = function (message) {
    for (const w of widgets) {
      w.fail('The visualizer hit an internal error: ' + message + '. Reload the page; if it happens again, please report it together with the trace.');
    }
  };

  // ---- drawing a run: lanes, bracket, arrows, shared state ---------------------------------

  /** The run as a table, one column per thread, with the conflict bracket and arrows over it. */
  function drawLanes(container, frame, threads, conflict, showArrows) {
    const head = h('tr', {},
      h('th', { class: 'rbv-gutter', scope: 'col' }, h('span', { class: 'rbv-sr' }, 'conflict')),
      h('th', { class: 'rbv-num', scope: 'col' }, 'step'),
      threads.map((name) => h('th', { scope: 'col', class: 'rbv-lane-head' }, name)),
      h('th', { scope: 'col', class: 'rbv-src' }, 'source'));
    const body = h('tbody');
    const more = (n, where) => h('tr', { class: 'rbv-more' },
      h('td', { colspan: threads.length + 3 }, '⋮ ' + n + ' ' + where + ' step' + (n === 1 ? '' : 's')));
    if (frame.start > 0) body.append(more(frame.start, 'earlier'));
    const rowEls = new Map();
    const b = frame.bracket;
    /** The gutter cell's part of the conflict bracket, drawn by CSS (no layout read). */
    const bracket = (i) => {
      if (!b || i < b.top || i > b.bottom) return 'rbv-gutter';
      return 'rbv-gutter rbv-br' + (i === b.top && !b.cut_top ? ' rbv-br-top' : '')
        + (i === b.bottom && !b.cut_bottom ? ' rbv-br-bottom' : '') + (b.points.includes(i) ? ' rbv-br-point' : '');
    };
    for (const row of frame.rows) {
      const marks = row.marks;
      const symbols = (row.when === 'current' ? '▶' : '') +
        (marks.includes('conflict') ? '◆' : '') + (marks.includes('failure') ? '✗' : '');
      const cls = ['rbv-row', 'rbv-' + row.when].concat(marks.map((m) => 'rbv-mark-' + m)).join(' ');
      const cells = [
        h('td', { class: bracket(row.index) }),
        h('td', { class: 'rbv-num' },
          h('span', { class: 'rbv-symbols', 'aria-hidden': 'true' }, symbols),
          String(row.number),
          marks.includes('conflict') ? h('span', { class: 'rbv-sr' }, ' (conflicting step)') : null,
          marks.includes('failure') ? h('span', { class: 'rbv-sr' }, ' (the failure shows here)') : null),
      ];
      threads.forEach((_, lane) => {
        cells.push(h('td', { class: 'rbv-lane' + (lane === row.lane ? ' rbv-act' : '') },
          lane === row.lane ? row.text : ''));
      });
      cells.push(h('td', { class: 'rbv-src', title: row.line || '' },
        h('span', { class: 'rbv-at' }, row.at),
        row.line ? h('code', { class: 'rbv-line' }, row.line) : null));
      const tr = h('tr', { class: cls, 'aria-current': row.when === 'current' ? 'step' : null }, cells);
      rowEls.set(row.index, tr);
      body.append(tr);
    }
    if (frame.end < frame.total) body.append(more(frame.total - frame.end, 'later'));
    const table = h('table', { class: 'rbv-table' }, h('thead', {}, head), body);
    const wrap = h('div', { class: 'rbv-lanes-wrap' }, table);
    container.replaceChildren(wrap);
    if (frame.rows.length === 0) {
      container.append(h('p', { class: 'rbv-empty' }, 'Nothing has run yet.'));
      return;
    }
    if (showArrows && frame.arrows.length) {
      drawArrows(wrap, rowEls, frame);
      container.append(h('ul', { class: 'rbv-sr' }, frame.arrows.map((a) =>
        h('li', {}, a.label + ': step ' + (a.from + 1) + ' to step ' + (a.to + 1)))));
    }
    if (conflict) container.dataset.conflict = conflict.kind;
  }

  /** Happens-before arrows over the table: the only drawing that needs to read the layout. */
  function drawArrows(wrap, rowEls, frame) {
    const box = wrap.getBoundingClientRect();
    const overlay = svg('svg', { class: 'rbv-overlay', width: wrap.scrollWidth, height: wrap.scrollHeight, 'aria-hidden': 'true' });
    const defs = svg('defs', {});
    for (const kind of ['synchronizes_with', 'reads_from']) {
      const marker = svg('marker', { id: 'rbv-head-' + kind, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
      marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'rbv-head rbv-' + kind }));
      defs.append(marker);
    }
    overlay.append(defs);
    const centre = (tr, col) => {
      const r = tr.children[col].getBoundingClientRect();
      return { x: r.left - box.left + r.width / 2, y: r.top - box.top + r.height / 2 };
    };
    for (const a of frame.arrows) {
      const from = rowEls.get(a.from), to = rowEls.get(a.to);
      if (!from || !to) continue;
      const p = centre(from, 2 + a.from_lane), q = centre(to, 2 + a.to_lane);
      const line = svg('path', {
        class: 'rbv-arrow rbv-' + a.kind,
        d: 'M ' + p.x + ' ' + (p.y + 6) + ' C ' + p.x + ' ' + (p.y + 24) + ', ' + q.x + ' ' + (q.y - 24) + ', ' + q.x + ' ' + (q.y - 7),
        'marker-end': 'url(#rbv-head-' + a.kind + ')',
      });
      const title = svg('title', {});
      title.textContent = a.label;
      line.append(title);
      overlay.append(line);
    }
    wrap.append(overlay);
  }

  /** The shared-state panel: objects with value and owner, threads' stale copies, threads. */
  function drawState(container, frame) {
    const objects = h('table', { class: 'rbv-objects' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'object'), h('th', { scope: 'col' }, 'value'), h('th', { scope: 'col' }, 'held by'))),
      h('tbody', {}, frame.objects.map((o) => {
        let owner = '';
        if (o.is_lock) owner = o.holders.length ? '🔒 ' + o.holders.join(', ') : 'free';
        let value = o.value === null ? '(unknown)' : o.value;
        if (o.kind === 'channel') value = o.queue.length ? 'in flight: ' + o.queue.join(', ') : 'empty';
        return h('tr', { class: o.changed ? 'rbv-changed' : null },
          h('th', { scope: 'row' }, o.name, ' ', h('small', {}, o.kind),
            o.changed ? [' ', h('span', { class: 'rbv-badge' }, '● changed')] : null),
          h('td', {}, h('code', {}, value)),
          h('td', {}, owner));
      })));
    const temps = frame.temporaries.length
      ? h('ul', { class: 'rbv-temps' }, frame.temporaries.map((t) =>
        h('li', { class: t.changed ? 'rbv-changed' : null },
          h('strong', {}, t.thread), ' holds ', t.object, ' = ', h('code', {}, t.value),
          ' (read at step ' + t.read_at + ', not written back yet)',
          t.changed ? [' ', h('span', { class: 'rbv-badge' }, '● new')] : null)))
      : h('p', { class: 'rbv-empty' }, 'No thread holds a value it read and has not written back.');
    const threads = h('ul', { class: 'rbv-threads' }, frame.threads.map((t) =>
      h('li', { class: 'rbv-thread-' + t.status.replace(' ', '-') + (t.current ? ' rbv-changed' : '') },
        t.current ? '▶ ' : '', h('strong', {}, t.name), ': ' + t.status)));
    container.replaceChildren(
      h('div', { class: 'rbv-state-part' }, h('h4', {}, 'Shared state'), objects),
      h('div', { class: 'rbv-state-part' }, h('h4', {}, 'Values threads read and hold'), temps),
      h('div', { class: 'rbv-state-part' }, h('h4', {}, 'Threads'), threads));
  }

  // ---- the player ----------------------------------------------------------------------

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
      section.querySelectorAll('[data-act]').forEach((b) => b.addEventListener('click', () => this.act(b.dataset.act)));
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
      const parts = [s.variant + ' of ' + s.exercise + ': ' + s.steps + ' steps on ' + s.threads.length + ' threads, replayed on ' + s.engine + ' (schedule ' + s.schedule + ', ' + s.preemptions + ' preemption' + (s.preemptions === 1 ? '' : 's') + ').'];
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
      const f = this.widget.call(() => JSON.parse(this.player.frame(this.position, ROWS)));
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
        const steps = [c.first, c.second].concat(c.completes === null ? [] : [c.completes]).map((s) => s + 1);
        conflictEl.replaceChildren(
          h('span', { class: 'rbv-conflict-key', 'aria-hidden': 'true' }, '◆ ⟦ '),
          h('strong', {}, 'Conflict: ' + c.label), ' (steps ' + steps.join(', ') + ')',
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
      this.section.querySelector('[data-act="back"]').disabled = f.position === 0;
      this.section.querySelector('[data-act="first"]').disabled = f.position === 0;
      this.section.querySelector('[data-act="forward"]').disabled = f.position === f.total;
      this.section.querySelector('[data-act="last"]').disabled = f.position === f.total;
      if (!this.widget.rendered) {
        this.widget.rendered = true;
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
      this.playButton.setAttribute('aria-pressed', 'true');
      this.playButton.setAttribute('aria-label', 'Pause (Space)');
      this.playButton.textContent = '⏸ Pause';
    }

    stop() {
      if (!this.timer) return;
      clearInterval(this.timer);
      this.timer = null;
      this.playButton.setAttribute('aria-pressed', 'false');
      this.playButton.setAttribute('aria-label', 'Play (Space)');
      this.playButton.textContent = '▶ Play';
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

  // ---- play the scheduler ---------------------------------------------------------------

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
      if (!v.choices.length) box.append(h('p', { class: 'rbv-empty' }, v.unexplored ? 'The exploration stopped here (its budget ran out).' : 'Every thread has finished.'));
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

  // ---- compare ---------------------------------------------------------------------------

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

  // ---- a widget: one .racebook-viz block -------------------------------------------------

  class Widget {
    constructor(el) {
      this.el = el;
      this.core = null;
      this.rendered = false;
      this.broken = false;
      const part = (cls) => el.querySelector(':scope > .' + cls);
      this.status = part('rbv-status');
      this.error = part('rbv-error');
      this.player = new PlayerView(this, part('rbv-player'));
      const game = part('rbv-game');
      this.game = game ? new GameView(this, game) : null;
      const compare = part('rbv-compare');
      this.compare = compare ? new CompareView(this, compare) : null;
      this.coreReady = loadCore(el);
      // Listen at once: a reader may drop a file before the core has started.
      if (el.dataset.mode === 'open') this.wireOpen();
    }

    /** Call into the core; a thrown error or a trap becomes a message in the page. */
    call(f) {
      if (this.broken) return undefined;
      try {
        return f();
      } catch (e) {
        this.fail(e instanceof WebAssembly.RuntimeError
          ? 'The visualizer hit an internal error (' + errorText(e) + '). Reload the page; if it happens again, please report it together with the trace.'
          : errorText(e));
        if (e instanceof WebAssembly.RuntimeError) this.broken = true;
        return undefined;
      }
    }

    /** Show `message` instead of the player, game and comparison. */
    fail(message) {
      this.player.stop();
      this.status.hidden = true;
      this.error.hidden = false;
      this.error.replaceChildren(h('p', {}, h('strong', {}, 'The visualizer cannot show this. '), message));
      for (const s of this.el.querySelectorAll(':scope > .rbv-player, :scope > .rbv-game, :scope > .rbv-compare')) s.hidden = true;
    }

    ready() {
      this.status.hidden = true;
      this.error.hidden = true;
      this.error.replaceChildren();
    }

    async start() {
      try {
        if (this.el.dataset.mode === 'open') {
          this.core = await this.coreReady;
          await this.fromFragment();
        } else {
          await this.startExercise(this.el.dataset.exercise, this.coreReady);
        }
      } catch (e) {
        this.fail(errorText(e));
      }
    }

    /** A trace text from any source: parse it with the core's validating parser. */
    playerFor(text, what) {
      try {
        return new this.core.TracePlayer(text);
      } catch (e) {
        throw new Error((what ? what + ': ' : '') + errorText(e));
      }
    }

    /** Fetch the exercise's files while the core starts; show the player first. */
    async startExercise(exercise, corePromise) {
      const base = bookUrl('racebook/' + encodeURIComponent(exercise) + '/');
      const fetchFile = (file) => fetchText(new URL(file, base), MAX_FETCH);
      let index;
      try {
        index = JSON.parse(await fetchFile('index.json'));
      } catch (e) {
        throw new Error('The traces of ' + exercise + ' are not in this book (' + errorText(e) + '). Build the book with `cargo xtask build`, which exports them.');
      }
      const files = (kind) => (index && typeof index[kind] === 'object' && index[kind]) || {};
      const broken = typeof index.broken === 'string' ? index.broken : 'broken';
      const fixes = Array.isArray(index.fixes) ? index.fixes.filter((f) => typeof f === 'string') : [];
      const variants = [broken].concat(fixes);
      /** Every variant's file of `kind`, fetched at once: [[variant, file, Promise<text>]]. */
      const fetchAll = (kind) => variants
        .filter((v) => typeof files(kind)[v] === 'string')
        .map((v) => [v, files(kind)[v], fetchFile(files(kind)[v])]);
      const traces = fetchAll('traces');
      const trees = fetchAll('trees');
      // Unhandled until awaited below; the catch keeps the browser from reporting that early.
      for (const [, , text] of traces.concat(trees)) text.catch(() => {});
      this.core = await corePromise;
      const limit = this.core.max_trace_bytes();
      const make = async ([variant, file, text], build) => {
        const body = await text;
        if (body.length > limit) throw new Error(file + ' is ' + body.length + ' bytes, more than the ' + limit + ' this page accepts.');
        try {
          return [variant, build(body)];
        } catch (e) {
          throw new Error(file + ': ' + errorText(e));
        }
      };
      if (!traces.length) throw new Error('index.json of ' + exercise + ' lists no trace.');
      const players = new Map();
      for (const t of traces) {
        const [v, p] = await make(t, (body) => new this.core.TracePlayer(body));
        players.set(v, p);
      }
      this.ready();
      this.player.load(players, players.has(broken) ? broken : players.keys().next().value);
      if (this.game && trees.length) {
        const games = new Map();
        for (const t of trees) {
          const [v, g] = await make(t, (body) => new this.core.SchedulerGame(body));
          games.set(v, g);
        }
        this.game.load(games, games.has(broken) ? broken : games.keys().next().value);
      }
      if (this.compare && players.has(broken)) {
        const fixed = new Map([...players].filter(([v]) => v !== broken));
        if (fixed.size) this.compare.load(players.get(broken), fixed);
      }
    }

    /** Show a trace text from any source of the open box. */
    show(text, what) {
      const player = this.playerFor(text, what);
      const variant = JSON.parse(player.summary()).variant;
      this.broken = false;
      this.ready();
      this.text = text;
      this.player.position = 0;
      this.player.load(new Map([[variant, player]]), variant);
      this.open.querySelector('.rbv-share-row').hidden = false;
    }

    /** Run `f` once the core is there; any failure becomes the box's error. */
    async attempt(f) {
      try {
        this.core = await this.coreReady;
        await f();
      } catch (e) {
        this.fail(errorText(e));
        this.open.querySelector('.rbv-share-row').hidden = true;
      }
    }

    fromFragment() {
      return this.attempt(async () => {
        const request = this.core.read_fragment(window.location.hash);
        const limit = this.core.max_trace_bytes();
        if (request.kind === 'json') this.show(request.text, 'The trace in this link');
        else if (request.kind === 'deflated') this.show(await inflate(request.bytes, limit), 'The trace in this link');
        else if (request.kind === 'url') {
          const url = new URL(request.text, document.baseURI);
          this.show(await fetchText(url, limit), url.pathname);
        } else {
          this.status.textContent = 'No trace open yet: drop a trace file here, choose one, or open a link that carries one.';
        }
      });
    }

    openFile(file) {
      return this.attempt(async () => {
        const limit = this.core.max_trace_bytes();
        if (file.size > limit) throw new Error(file.name + ' is ' + file.size + ' bytes, more than the ' + limit + ' this page accepts.');
        this.show(await file.text(), file.name);
      });
    }

    wireOpen() {
      this.open = this.el.querySelector(':scope > .rbv-open');
      this.open.querySelector('.rbv-file').addEventListener('change', (e) => {
        const file = e.target.files && e.target.files[0];
        if (file) this.openFile(file);
      });
      this.el.addEventListener('dragover', (e) => { e.preventDefault(); this.el.classList.add('rbv-dragging'); });
      this.el.addEventListener('dragleave', () => this.el.classList.remove('rbv-dragging'));
      this.el.addEventListener('drop', (e) => {
        e.preventDefault();
        this.el.classList.remove('rbv-dragging');
        const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
        if (file) this.openFile(file);
      });
      this.open.querySelector('.rbv-share').addEventListener('click', () => this.attempt(async () => {
        const link = new URL(window.location.href);
        link.hash = 'trace=z:' + this.core.encode_base64url(await deflate(this.text));
        const out = this.open.querySelector('.rbv-share-link');
        out.value = link.href;
        out.hidden = false;
        out.select();
      }));
      window.addEventListener('hashchange', () => this.fromFragment());
    }
  }

  function boot() {
    for (const el of document.querySelectorAll('.racebook-viz')) {
      const w = new Widget(el);
      widgets.push(w);
      w.start();
    }
  }

  performance.mark('racebook-viz-start');
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
