/**
 * The panel of the selected blob (client side): its numbers with a one-line meaning each, the
 * .fcn source line that declares it (and the block instances that expanded it), and its neighbours.
 */
import { formatCountShort, formatNumber, formatAxes } from '../format.js';
import type { VizNode, VizSource } from '../model.js';
import type { App } from './app.js';
import { blobLink, byId, h } from './dom.js';

/** One row of the numbers table; `key` is what tests and styles find it by. */
export function fact(key: string, label: string, value: string, hint: string): HTMLElement {
  return h(
    'div',
    { class: 'fact', 'data-key': key },
    h('dt', null, label),
    h('dd', null, value),
    h('p', { class: 'hint' }, hint),
  );
}

/** A source line with its location, as a code frame. */
export function sourceLine(src: VizSource, via: boolean): HTMLElement {
  return h(
    'div',
    { class: via ? 'src via' : 'src' },
    h('span', { class: 'loc' }, `${via ? 'via ' : ''}${src.file}:${src.line}`),
    h('code', null, src.text.trim()),
  );
}

/** Shape as `C × H × W`, with `?` for unknown sizes. */
export function shapeLabel(n: VizNode): string {
  return n.shape ? n.shape.map((v) => (v === null ? '?' : String(v))).join(' × ') : '–';
}

/** Fills the blob panel for the selected blob. */
export function renderBlobPanel(app: App): void {
  const n = app.byName.get(app.selected!)!;
  const colour = n.level === null ? null : app.model.legend[n.level]!;
  const short = n.name.slice(n.name.lastIndexOf('.') + 1);
  const prefix = n.name.slice(0, n.name.length - short.length);
  const card = byId('blob');
  const ref = app.model.reference ?? 'the input';
  const facts: HTMLElement[] = [
    fact(
      'shape',
      'shape',
      shapeLabel(n),
      app.model.inputSize ? 'channels × height × width' : 'C × H × W; --input HxW gives sizes',
    ),
    fact('stride', 'stride', formatAxes(n.stride), `${ref} pixels from one unit to the next`),
    fact(
      'rf',
      'receptive field',
      n.rf ? `${formatNumber(n.rf[0])} × ${formatNumber(n.rf[1])}` : '–',
      `the window of ${ref} one unit sees`,
    ),
    fact('padding', 'effective padding', formatAxes(n.padding), "how far unit 0's window starts before the image"),
    fact('params', 'params', formatCountShort(n.params), 'learnable weights and biases'),
    fact('flops', 'FLOPs', formatCountShort(n.flops), 'a multiply-add counts 2'),
  ];
  if (n.crop !== undefined) {
    const c = app.model.crops[n.crop]!;
    facts.push(
      fact('offset', 'crop offset', formatAxes(c.offset, ', '), `where ${c.reference}'s pixel 0 lies in ${c.input}`),
    );
  }
  const consumers = app.consumers.get(n.name) ?? [];
  const body = [
    h(
      'div',
      { class: 'blob-head' },
      h('h2', { class: 'blob-name' }, prefix ? h('span', { class: 'scope' }, prefix) : null, short),
      h(
        'span',
        {
          class: 'type-badge',
          style: colour ? `background:${colour.fill};border-color:${colour.stroke};color:${colour.stroke}` : null,
        },
        n.type,
      ),
    ),
    n.detail ? h('p', { class: 'blob-detail' }, n.detail) : null,
    n.errors?.length ? h('div', { class: 'verdict error' }, ...n.errors.map((e) => h('p', null, e))) : null,
    h('dl', { class: 'facts' }, ...facts),
    n.source
      ? h('div', { class: 'sources' }, sourceLine(n.source, false), ...n.via.map((v) => sourceLine(v, true)))
      : null,
    h(
      'p',
      { class: 'links' },
      n.inputs.length
        ? h('span', null, 'reads ', ...n.inputs.flatMap((i, k) => (k ? [', ', blobLink(i)] : [blobLink(i)])))
        : null,
      consumers.length
        ? h('span', null, 'read by ', ...consumers.flatMap((i, k) => (k ? [', ', blobLink(i)] : [blobLink(i)])))
        : null,
    ),
  ];
  card.replaceChildren(...body.filter((e): e is HTMLElement => e !== null));
}
