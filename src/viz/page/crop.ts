/**
 * The crop explanation (client side): "why 31?". Both blobs are traced back to their common
 * ancestor; each layer on the way maps its output coordinate to its input (`a·x + b`); the
 * compositions say where pixel x of each blob lands in the ancestor, and the offset is the
 * difference of the two shifts. The layers' shares of that difference show where it comes from.
 */
import { offsetFromPaths } from '../affine.js';
import { formatAffine, formatNumber } from '../format.js';
import type { VizAffine, VizCrop, VizMap, VizPath } from '../model.js';
import type { App } from './app.js';
import { blobLink, byId, h } from './dom.js';

/** One axis, or both when they differ: `2·x + 0.5` or `h: … · w: …`. */
export function mapText(m: VizMap, x: string): string {
  const [a, b] = [formatAffine(m[0], x), formatAffine(m[1], x)];
  return a === b ? a : `h: ${a} · w: ${b}`;
}

/** True for a map that changes no coordinate (ReLU, 3×3 pad 1 convolution, …). */
export function isIdentity(m: VizMap): boolean {
  return m[0].a === 1 && m[0].b === 0 && m[1].a === 1 && m[1].b === 0;
}

/** The table of one path: from the ancestor outwards, each layer's own map and the running composition. */
export function pathTable(crop: VizCrop, path: VizPath, cls: string): HTMLElement {
  const ancestor = crop.ancestor ?? '';
  const identities = path.steps.filter((s) => isIdentity(s.map)).length;
  const rows = path.steps.map((s) =>
    h(
      'tr',
      { class: isIdentity(s.map) ? 'identity' : null },
      h('td', null, blobLink(s.layer), h('div', { class: 'what' }, `${s.type} ${s.detail}`.trim())),
      h('td', { class: 'map' }, mapText(s.map, 'x')),
      h('td', { class: 'map strong' }, mapText(s.toAncestor, 'x')),
    ),
  );
  const table = h(
    'table',
    { class: 'maps' },
    h(
      'thead',
      null,
      h('tr', null, h('th', null, 'layer'), h('th', null, 'its own map'), h('th', null, `pixel x → ${ancestor}`)),
    ),
    h('tbody', null, ...rows),
  );
  const toggle =
    identities > 0
      ? h(
          'button',
          { class: 'link-button', type: 'button' },
          `show the ${identities} layer${identities === 1 ? '' : 's'} that change nothing`,
        )
      : null;
  toggle?.addEventListener('click', () => {
    const open = table.classList.toggle('show-identity');
    toggle.textContent = open
      ? 'hide the layers that change nothing'
      : `show the ${identities} layers that change nothing`;
  });
  return h(
    'div',
    { class: `path ${cls}` },
    h('h4', null, h('span', { class: 'swatch' }), path.from, ' → ', ancestor),
    path.steps.length ? table : h('p', { class: 'muted' }, `${path.from} is the ancestor itself: pixel x is pixel x.`),
    toggle,
  );
}

/** "(b_ref − b_in) / a = offset" for one axis, with the offset the two maps give. */
export function verdictAxis(x: VizAffine, r: VizAffine, offset: number | null): string {
  const o = offset === null ? '?' : formatNumber(offset);
  return `(${formatNumber(r.b)} − ${x.b < 0 ? `(${formatNumber(x.b)})` : formatNumber(x.b)}) / ${formatNumber(x.a)} = ${o}`;
}

/** The layers that move the offset, with their share (in pixels of the cropped blob), as bars. */
export function contributions(crop: VizCrop): HTMLElement | null {
  const scale = crop.paths[0].composed[0].a;
  const items: Array<{ layer: string; what: string; v: number }> = [];
  crop.paths.forEach((path, i) => {
    for (const s of path.steps) {
      // The offset is (b_reference − b_input)/a: shifts on the input's path count negatively.
      const v = ((i === 0 ? -1 : 1) * s.shift[0]) / scale;
      if (v !== 0) items.push({ layer: s.layer, what: `${s.type} ${s.detail}`.trim(), v });
    }
  });
  if (!items.length) return null;
  const max = Math.max(...items.map((t) => Math.abs(t.v)));
  return h(
    'div',
    { class: 'contrib' },
    h('h3', null, `Where the ${formatNumber(crop.offset![0])} comes from`),
    h(
      'p',
      { class: 'hint' },
      `Each row is one layer's share, in pixels of ${crop.input}. On ${crop.input}'s path, padding raises the offset, the centring of ` +
        `pools and unpadded kernels lowers it, and the centring of upsampling raises it again; on ${crop.reference}'s path, the other way round.`,
    ),
    h(
      'table',
      null,
      h(
        'tbody',
        null,
        ...items.map((t) =>
          h(
            'tr',
            null,
            h('td', null, blobLink(t.layer), h('div', { class: 'what' }, t.what)),
            h('td', { class: 'num' }, (t.v > 0 ? '+' : '−') + formatNumber(Math.abs(t.v))),
            h(
              'td',
              { class: 'bar-cell' },
              h('span', {
                class: t.v > 0 ? 'bar pos' : 'bar neg',
                style: `width:${Math.max(2, (Math.abs(t.v) / max) * 50)}%`,
              }),
            ),
          ),
        ),
        h(
          'tr',
          { class: 'total' },
          h('td', null, 'offset'),
          h('td', { class: 'num' }, formatNumber(crop.offset![0])),
          h('td', null),
        ),
      ),
    ),
  );
}

/** Fills the crop card when the selection is a crop; hides it otherwise. */
export function renderCropPanel(app: App): void {
  const card = byId('crop');
  const n = app.byName.get(app.selected!)!;
  if (n.crop === undefined) {
    card.hidden = true;
    return;
  }
  card.hidden = false;
  const c = app.model.crops[n.crop]!;
  if (c.ancestor === null) {
    card.replaceChildren(
      h('h2', null, `Crop ${c.name}`),
      h('p', { class: 'verdict error' }, c.error ?? `No spatial path connects ${c.input} and ${c.reference}.`),
    );
    return;
  }
  const [pin, pref] = c.paths;
  const o = offsetFromPaths(pin, pref);
  const offsetText = c.offset
    ? c.offset[0] === c.offset[1]
      ? formatNumber(c.offset[0])
      : `${c.offset[0]}, ${c.offset[1]}`
    : '?';
  const sameAxes =
    c.offset && c.offset[0] === c.offset[1] && formatAffine(pin.composed[0]) === formatAffine(pin.composed[1]);
  const lands = (path: VizPath, cls: string) =>
    h(
      'li',
      null,
      'pixel x of ',
      blobLink(path.from),
      ' lands on pixel ',
      h('b', { class: cls }, mapText(path.composed, 'x')),
      ` of ${c.ancestor}`,
    );
  const verdict = c.offset
    ? h(
        'div',
        { class: 'verdict' },
        h('ul', { class: 'lands' }, lands(pin, 'a'), lands(pref, 'b')),
        h(
          'p',
          null,
          `Same scale (${formatNumber(pin.composed[0].a)}), so the two line up; the offset is the difference of the shifts: `,
          h(
            'span',
            { class: 'formula' },
            sameAxes
              ? verdictAxis(pin.composed[0], pref.composed[0], o[0]!)
              : `h: ${verdictAxis(pin.composed[0], pref.composed[0], o[0]!)} · w: ${verdictAxis(pin.composed[1], pref.composed[1], o[1]!)}`,
          ),
        ),
        h(
          'p',
          null,
          'So ',
          h('b', null, `${c.name}[i] = ${c.input}[i + ${offsetText}]`),
          `: the crop drops the first ${offsetText} rows and columns of ${c.input} and keeps as many as ${c.reference} has.`,
        ),
      )
    : h('div', { class: 'verdict error' }, c.error ?? 'The offset could not be inferred.');
  const written = c.written && c.offset && (c.written[0] !== c.offset[0] || c.written[1] !== c.offset[1]);
  card.replaceChildren(
    ...[
      h('h2', null, `Why offset ${offsetText}?`),
      h(
        'p',
        { class: 'lead' },
        blobLink(c.name),
        ' crops ',
        blobLink(c.input),
        ' to the size of ',
        blobLink(c.reference),
        '. To line them up pixel for pixel, the compiler traces both back to their common ancestor ',
        blobLink(c.ancestor),
        ' and compares where their pixels land there (both paths are highlighted on the graph).',
      ),
      verdict,
      written
        ? h(
            'p',
            { class: 'verdict error' },
            `The file writes offset ${c.written!.join(', ')}; the inferred offset is ${offsetText}.`,
          )
        : null,
      c.offset ? contributions(c) : null,
      h('h3', { class: 'steps-title' }, 'Step by step'),
      h(
        'p',
        { class: 'hint' },
        'Each layer maps pixel x of its output to its input as a·x + b (a = stride, b = kernel centre − pad); composing them from the ancestor outwards gives where pixel x lands.',
      ),
      pathTable(c, pin, 'path-a'),
      pathTable(c, pref, 'path-b'),
    ].filter((e): e is HTMLElement => e !== null),
  );
}
