// racebook visualizer, part 6 of 6: the entry point. It finds the `.racebook-viz` blocks the
// book's preprocessor wrote, loads the wasm core once (crates/viz holds all the logic), and
// wires each block: an exercise's player, game and comparison, or the box that opens a reader's
// own trace. Every failure ends as a sentence in the page, never as a blank page or an uncaught
// error.
(function (RBV) {
  'use strict';
  const { h, bookUrl, sameOrigin, errorText, fetchText, inflate, deflate, MAX_FETCH } = RBV;
  const { PlayerView, GameView, CompareView } = RBV;
  const widgets = [];


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
          // The block's inline script started both loads while the page was still loading.
          const early = window.RacebookVizEarly || {};
          core = await (early.glue || import(glue.href));
          await core.default({ module_or_path: early.wasm || wasm });
          performance.mark('racebook-viz-core-ready');
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

    /** `data-state` says when the block has settled (tests and styles wait for it). */
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
      this.el.dataset.state = this.error.hidden ? 'ready' : 'failed';
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
      this.el.dataset.state = 'loading';
      try {
        this.core = await this.coreReady;
        await f();
      } catch (e) {
        this.fail(errorText(e));
        this.open.querySelector('.rbv-share-row').hidden = true;
      }
      this.el.dataset.state = this.error.hidden ? 'ready' : 'failed';
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

  // The block's inline script loads these scripts while the page is still being read, so they
  // may run before later blocks, or the end of this one, exist: a block is wired once its end
  // marker is there, and the rest when the page is complete.
  const wired = new WeakSet();
  function boot() {
    const complete = document.readyState !== 'loading';
    for (const el of document.querySelectorAll('.racebook-viz')) {
      if (wired.has(el) || (!complete && !el.querySelector(':scope > .rbv-end'))) continue;
      wired.add(el);
      const w = new Widget(el);
      widgets.push(w);
      w.start();
    }
  }

  performance.mark('racebook-viz-start');
  boot();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
})(globalThis.RacebookViz = globalThis.RacebookViz || {});
