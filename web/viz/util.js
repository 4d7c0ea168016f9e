// racebook visualizer, part 1 of 6: small helpers the other parts share. Elements are built
// with `h`, which only ever sets text (never markup); fetches stay on this site, with a time and
// a size limit; deflate-raw through the browser's (De)CompressionStream.
(function (RBV) {
  'use strict';

  RBV.ROWS = 24;
  RBV.PLAY_MS = 700;
  const FETCH_MS = 15000;
  /** Fetched files larger than this are refused unread (the core's own limit is 16 MiB). */
  RBV.MAX_FETCH = 16 * 1024 * 1024;
  const SVG = 'http://www.w3.org/2000/svg';

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
    // A block's inline script may have started this fetch while the page was loading.
    const early = window.RacebookVizEarly && window.RacebookVizEarly.files;
    const started = early && early[url.href];
    if (started) delete early[url.href];
    const abort = new AbortController();
    let timer;
    const tooSlow = new Promise((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error('Loading ' + url.pathname + ' took longer than ' + FETCH_MS / 1000 + ' s; is the book server still running?'));
      }, FETCH_MS);
    });
    let response;
    try {
      response = await Promise.race([started || fetch(url, { signal: abort.signal, credentials: 'same-origin' }), tooSlow]);
    } catch (e) {
      throw abort.signal.aborted ? e : new Error('Could not load ' + url.pathname + ' (' + errorText(e) + ').');
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

  Object.assign(RBV, { h, svg, bookUrl, sameOrigin, errorText, fetchText, inflate, deflate });
})(globalThis.RacebookViz = globalThis.RacebookViz || {});
