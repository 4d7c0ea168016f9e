// Contrast computed in the page (the function is passed to `page.evaluate`), for what axe-core
// leaves undecided ("incomplete": a background it cannot see for certain, a gradient under the
// text, a symbol, a one-character cell) and for graphics, which axe does not check at all (an
// arrow's stroke, an outline, a border, a bracket drawn by ::before). A colour is compared with
// every background it can sit on, found by compositing the backgrounds of the element and its
// ancestors (each stop of a gradient counts as one background), and of any `against` elements
// it is drawn over. Text needs 4.5:1 (3:1 when large); symbols only (◆ ✗ ▶ ←) and graphics
// need 3:1 (WCAG 1.4.3 and 1.4.11).

/**
 * `items`: axe's CSS selectors of undecided text, or { target, property, pseudo, against }
 * for a graphic: the CSS `property` holding its colour (of `pseudo`, e.g. '::before', when
 * given), and a selector of elements it is drawn over. Resolves to { failing: [{ target,
 * ratio, need, fg, bg }], decided }.
 */
export function decideContrast(items) {
  const parse = (c) => {
    let m = c.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    // color-mix() resolves to color(srgb r g b / a), channels 0..1.
    m = c.match(/^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/);
    if (m) return [m[1] * 255, m[2] * 255, m[3] * 255, m[4] === undefined ? 1 : +m[4]];
    return null;
  };
  const over = (top, under) => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map((i) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a).concat([a]);
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  /** Every background `el` can show: layers from the root up, each gradient stop one choice. */
  const backgrounds = (el) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let out = [[255, 255, 255, 1]];
    for (const e of chain) {
      const s = getComputedStyle(e);
      const layers = [];
      const colour = parse(s.backgroundColor);
      if (colour && colour[3] > 0) layers.push([colour]);
      // A gradient's colours lie between its stops: each stop is one background the text may sit on.
      const stops = [...s.backgroundImage.matchAll(/rgba?\([^)]*\)|color\(srgb[^)]*\)/g)].map((m) => parse(m[0])).filter(Boolean);
      if (stops.length) layers.push(stops);
      for (const choices of layers) out = out.flatMap((under) => choices.map((top) => over(top, under)));
    }
    return out;
  };
  const failing = [];
  let decided = 0;
  for (const item of items) {
    const { target, property, pseudo, against } = typeof item === 'string' ? { target: item } : item;
    const els = [...document.querySelectorAll(target)];
    for (const el of property ? els : els.slice(0, 1)) {
      const s = getComputedStyle(el, pseudo || null);
      const value = property ? s.getPropertyValue(property) : s.color;
      // A gradient (a dashed line drawn as one) is as strong as its stops.
      let colours = [...value.matchAll(/rgba?\([^)]*\)|color\(srgb[^)]*\)/g)].map((m) => parse(m[0])).filter((c) => c && c[3] > 0);
      if (!colours.length) continue;
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      colours = colours.map((c) => [...c.slice(0, 3), c[3] * opacity]);
      let need = 3;
      if (!property) {
        const text = el.textContent.trim();
        const symbolsOnly = text !== '' && !/[\p{L}\p{N}]/u.test(text);
        const size = parseFloat(s.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
        need = symbolsOnly || large ? 3 : 4.5;
      }
      const unders = backgrounds(el).concat(against ? [...document.querySelectorAll(against)].flatMap(backgrounds) : []);
      const worst = colours.flatMap((fg) => unders.map((bg) => [ratio(over(fg, bg), bg), bg, fg])).sort((a, b) => a[0] - b[0])[0];
      decided += 1;
      if (worst[0] < need) {
        failing.push({ target: target + (property ? ' ' + (pseudo || '') + property : ''), ratio: Math.round(worst[0] * 100) / 100, need, fg: hex(worst[2]), bg: hex(worst[1]) });
      }
    }
  }
  return { failing, decided };
}
