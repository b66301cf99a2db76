/**
 * A built-in layer (`conv1: conv { … }`) becomes a ResolvedLayer: its name made absolute,
 * its body checked against the schema (with instance overrides applied), and its inputs
 * resolved: `bottom:` if given, else the previous item; `crop(x)` in a bottom list becomes a
 * crop layer `xc` of x to the list's first other input; a crop's `like:` is its second input.
 */
import type { Span } from '../../diagnostics/span.js';
import type { LayerNode } from '../../parser/ast.js';
import type { LayerSchema } from '../layers/schema.js';
import type { ResolvedLayer } from './types.js';
import { expandName } from './evaluate.js';
import { absolute, define, lookup, standIn, type Frame } from './frame.js';
import { applyOverrides } from './overrides.js';
import { checkParams, evaluateBody, toParamEntries } from './params.js';
import type { Reporter } from './report.js';
import { describeValue, formatNumber, isUnknown, type Value } from './values.js';

/** Where resolved layers go. */
export interface Sink {
  r: Reporter;
  layers: ResolvedLayer[];
}

/** One input of a layer: a blob, or an inline crop of a blob. */
interface Bottom {
  abs: string | undefined;
  crop?: { name: string; span: Span };
}

/** A layer's header, `name: type`: where an error about the layer as a whole is reported. */
export function layerHeader(node: LayerNode): Span {
  return { ...node.name.span, end: node.type.span.end };
}

/** Resolves a built-in layer and appends it (after its inline crops) to the sink. */
export function builtinLayer(node: LayerNode, schema: LayerSchema, frame: Frame, sink: Sink): void {
  const { r } = sink;
  const name = expandName(node.name, frame.env, r);
  if (name === undefined) {
    frame.prev = '';
    return;
  }
  const abs = absolute(frame, name);
  const header = layerHeader(node);
  const entries = applyOverrides(abs, toParamEntries(evaluateBody(node.body, frame.env, r)), frame.overrides);
  const values = checkParams(entries, schema.params, {
    r,
    owner: `for ${schema.type} layer '${name}'`,
    span: header,
    fillDefaults: true,
  });

  let bottoms = readBottoms(values.get('bottom') as Value | undefined, frame, r);
  if (!bottoms) {
    if (frame.prev === undefined) {
      r.error(
        'missing-bottom',
        `layer '${name}' has no input: give it a 'bottom', or put it after another layer`,
        header,
      );
    }
    bottoms = [{ abs: frame.prev }];
  }
  const like = values.get('like') as Value | undefined;
  if (schema.type === 'crop') bottoms = cropBottoms(name, bottoms, like, header, frame, r);
  else if (like) bottoms = [...bottoms, likeBottom(like, frame, r)];
  // A rule across parameters is checked only when every parameter given was valid (else it was reported already).
  const broken = entries.every((e) => values.has(e.key)) ? schema.check?.(values) : undefined;
  if (broken) r.error(broken.code, `${broken.message} for ${schema.type} layer '${name}'`, header);

  const reference = bottoms.find((b) => !b.crop);
  const inputs: string[] = [];
  for (const b of bottoms) {
    if (!b.crop) {
      inputs.push(b.abs ?? '');
      continue;
    }
    if (!reference) {
      r.error('crop-without-reference', `'crop(…)' needs another input in the same list to crop to`, b.crop.span);
      inputs.push('');
      continue;
    }
    const cropAbs = absolute(frame, b.crop.name);
    define(frame, b.crop.name, { abs: cropAbs, span: b.crop.span }, r);
    sink.layers.push({
      name: cropAbs,
      type: 'crop',
      bottoms: [b.abs ?? '', reference.abs ?? ''],
      params: {},
      scope: frame.prefix,
      origin: { span: b.crop.span, via: frame.via },
      inline: true,
    });
    inputs.push(cropAbs);
  }

  checkInputCount(schema, name, inputs.length, header, r);
  const coeff = values.get('coeff') as number[] | undefined;
  if (coeff && coeff.length !== inputs.length) {
    r.error(
      'wrong-length',
      `'coeff' has ${coeff.length} value${coeff.length === 1 ? '' : 's'} for ${inputs.length} inputs`,
      header,
    );
  }
  const out = values.get('out');
  const group = values.get('group');
  if (typeof out === 'number' && typeof group === 'number' && out % group !== 0) {
    r.error(
      'value-out-of-range',
      `'out' (${formatNumber(out)}) must be divisible by 'group' (${formatNumber(group)})`,
      header,
    );
  }

  // A parameter the layer needs that is missing or invalid (reported above) leaves nothing to
  // build: the layer is a failed item, its readers read its stand-in.
  if (!schema.params.every((d) => values.has(d.name) || (!d.required && d.default === undefined))) {
    define(frame, name, { abs: undefined, span: node.name.span }, r);
    frame.prev = standIn(frame, name, node.span);
    return;
  }
  sink.layers.push({
    name: abs,
    type: schema.type,
    bottoms: inputs,
    params: schema.build(values),
    scope: frame.prefix,
    origin: { span: node.span, via: frame.via },
  } as ResolvedLayer);
  define(frame, name, { abs, span: node.name.span }, r);
  frame.prev = abs;
}

/** The inputs a `bottom:` value names; undefined when there is no `bottom:`. */
function readBottoms(v: Value | undefined, frame: Frame, r: Reporter): Bottom[] | undefined {
  if (!v) return undefined;
  const items = v.kind === 'list' ? v.items : [v];
  return items.map((item): Bottom => {
    if (item.kind === 'word') return { abs: lookup(frame, item) };
    if (isUnknown(item)) return { abs: '' };
    if (item.kind === 'call' && item.callee === 'crop') {
      const arg = item.args[0];
      if (item.args.length !== 1 || arg?.kind !== 'word') {
        r.error('wrong-arg-count', `'crop' takes one blob name, as in crop(score_pool4)`, item.span);
        return { abs: undefined };
      }
      return { abs: lookup(frame, arg), crop: { name: `${arg.path.join('.')}c`, span: item.span } };
    }
    r.error(
      'type-mismatch',
      `'bottom' expects a blob name, crop(name) or a list of them, found ${describeValue(item)}`,
      item.span,
    );
    return { abs: undefined };
  });
}

/** A crop's inputs: what it crops (bottom or previous item), then what it crops to (`like`). */
function cropBottoms(
  name: string,
  bottoms: Bottom[],
  like: Value | undefined,
  header: Span,
  frame: Frame,
  r: Reporter,
): Bottom[] {
  if (!like) {
    if (bottoms.length === 2) return bottoms;
    r.error('missing-parameter', `missing parameter 'like' for crop layer '${name}'`, header, {
      help: 'write like: BLOB, the blob whose size to crop to',
    });
    return [...bottoms, { abs: undefined }];
  }
  return [...bottoms, likeBottom(like, frame, r)];
}

/** The blob a `like:` names. */
function likeBottom(like: Value, frame: Frame, r: Reporter): Bottom {
  if (isUnknown(like)) return { abs: '' };
  if (like.kind !== 'word') {
    r.error('type-mismatch', `'like' expects a blob name, found ${describeValue(like)}`, like.span);
    return { abs: undefined };
  }
  return { abs: lookup(frame, like) };
}

function checkInputCount(schema: LayerSchema, name: string, n: number, span: Span, r: Reporter): void {
  const { min, max } = schema.inputs;
  if (n >= min && n <= max) return;
  const takes =
    min === max
      ? `${min} input${min === 1 ? '' : 's'}`
      : max === Infinity
        ? `at least ${min} inputs`
        : `${min} to ${max} inputs`;
  const what =
    schema.type === 'softmax_loss'
      ? ' (scores and labels)'
      : schema.type === 'crop'
        ? ' (the blob and the one to crop to)'
        : '';
  r.error('wrong-input-count', `${schema.type} layer '${name}' takes ${takes}${what}, found ${n}`, span);
}
