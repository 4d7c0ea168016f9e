// racebook visualizer, part 2 of 6: drawing a run. The lanes table (one column per thread,
// the conflict bracket beside the step numbers, happens-before arrows over it) and the state panel,
// from a frame the wasm core computed.
(function (RBV) {
  'use strict';
  const { h, svg } = RBV;


  /** The run as a table, one column per thread, with the conflict bracket and arrows over it. */
  function drawLanes(container, frame, threads, conflict, showArrows) {
    // The step number is each row's header; the conflict bracket is drawn in its left margin.
    const head = h('tr', {},
      h('th', { class: 'rbv-num', scope: 'col' }, 'step'),
      threads.map((name) => h('th', { scope: 'col', class: 'rbv-lane-head' }, name)),
      h('th', { scope: 'col', class: 'rbv-src' }, 'source'));
    const body = h('tbody');
    const more = (n, where) => h('tr', { class: 'rbv-more' },
      h('td', { colspan: threads.length + 2 }, '⋮ ' + n + ' ' + where + ' step' + (n === 1 ? '' : 's')));
    if (frame.start > 0) body.append(more(frame.start, 'earlier'));
    const rowEls = new Map();
    const b = frame.bracket;
    /** The step cell's part of the conflict bracket, drawn by CSS (no layout read). */
    const bracket = (i) => {
      if (!b || i < b.top || i > b.bottom) return 'rbv-num';
      return 'rbv-num rbv-br' + (i === b.top && !b.cut_top ? ' rbv-br-top' : '')
        + (i === b.bottom && !b.cut_bottom ? ' rbv-br-bottom' : '') + (b.points.includes(i) ? ' rbv-br-point' : '');
    };
    for (const row of frame.rows) {
      const marks = row.marks;
      const symbols = (row.when === 'current' ? '▶' : '') +
        (marks.includes('conflict') ? '◆' : '') + (marks.includes('failure') ? '✗' : '');
      const cls = ['rbv-row', 'rbv-' + row.when].concat(marks.map((m) => 'rbv-mark-' + m)).join(' ');
      const cells = [
        h('th', { class: bracket(row.index), scope: 'row' },
          h('span', { class: 'rbv-symbols', 'aria-hidden': 'true' }, symbols),
          String(row.number),
          row.when === 'future' ? h('span', { class: 'rbv-sr' }, ' (not run yet)') : null,
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
      const tr = h('tr', { class: cls, 'data-index': row.index, 'aria-current': row.when === 'current' ? 'step' : null }, cells);
      rowEls.set(row.index, tr);
      body.append(tr);
    }
    if (frame.end < frame.total) body.append(more(frame.total - frame.end, 'later'));
    if (frame.rows.length === 0) {
      // No table of headers over no cells: a sentence says it.
      container.replaceChildren(h('p', { class: 'rbv-empty' }, 'Nothing has run yet.'));
      return;
    }
    const table = h('table', { class: 'rbv-table' }, h('thead', {}, head), body);
    const wrap = h('div', { class: 'rbv-lanes-wrap' }, table);
    container.replaceChildren(wrap);
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
    for (const kind of ['synchronizes_with', 'reads_from', 'not_seen']) {
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
      const p = centre(from, 1 + a.from_lane), q = centre(to, 1 + a.to_lane);
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
    const units = frame.units || 'threads';
    const unit = units === 'tasks' ? 'task' : 'thread';
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
      : h('p', { class: 'rbv-empty' }, 'No ' + unit + ' holds a value it read and has not written back.');
    const threads = h('ul', { class: 'rbv-threads' }, frame.threads.map((t) =>
      h('li', { class: 'rbv-thread-' + t.status.replace(' ', '-') + (t.current ? ' rbv-changed' : '') },
        t.current ? '▶ ' : '', h('strong', {}, t.name), ': ' + t.status + (t.waits ? ' (' + t.waits + ')' : ''))));
    container.replaceChildren(
      h('div', { class: 'rbv-state-part' }, h('h4', {}, 'Shared state'), objects),
      h('div', { class: 'rbv-state-part' }, h('h4', {}, 'Values ' + units + ' read and hold'), temps),
      h('div', { class: 'rbv-state-part' }, h('h4', {}, units === 'tasks' ? 'Tasks' : 'Threads'), threads));
  }

  Object.assign(RBV, { drawLanes, drawState });
})(globalThis.RacebookViz = globalThis.RacebookViz || {});
