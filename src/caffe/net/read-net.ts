/**
 * Reads a parsed prototxt as a Caffe net (NetParameter), in either layer form, keeping the
 * layers of one phase. V1 layers are normalised to today's form here, so that nothing after
 * this file knows about V1.
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { TextMessage } from '../prototxt/ast.js';
import { readMessage, type Fields } from '../prototxt/read.js';
import { caffeType } from '../proto/schema.js';
import { v1TypeName } from '../proto/v1.js';
import { inPhase } from './rules.js';
import type { CaffeInput, CaffeLayer, CaffeNet, CaffeParam, Named, Phase } from './types.js';

/** Reads a NetParameter; diagnostics for schema mistakes and for files that mix both layer forms. */
export function readNet(message: TextMessage, phase: Phase, diagnostics: Diagnostic[]): CaffeNet {
  const net = readMessage(message, caffeType('NetParameter'), 'the net', diagnostics);
  const source = message.span.source;
  const current = net.messages('layer');
  const legacy = net.messages('layers');
  if (current.length && legacy.length) {
    diagnostics.push(
      error(
        'mixed-layer-forms',
        "the file mixes 'layer' and the legacy 'layers'; Caffe reads only one form",
        net.at('layers')!.nameSpan,
      ),
    );
  }
  const form = legacy.length && !current.length ? 'layers' : 'layer';
  const layers = (form === 'layer' ? current : legacy)
    .filter((l) => inPhase(l, phase))
    .map((l) => readLayer(l, form === 'layers'));
  return {
    ...(net.has('name') ? { name: net.get<string>('name') } : {}),
    source,
    inputs: readInputs(net),
    layers,
    form,
  };
}

function named(fields: Fields, key: string): Named[] {
  return fields.each(key).map((v) => ({ name: v.value as string, span: v.span }));
}

function readLayer(l: Fields, v1: boolean): CaffeLayer {
  const name = l.at('name');
  const type = l.at('type');
  const span = l.span;
  const params: CaffeParam[] = v1
    ? l.all<number>('blobs_lr').map((lr, i) => ({ lr, decay: l.all<number>('weight_decay')[i] ?? 1 }))
    : l.messages('param').map((p) => ({
        lr: p.get<number>('lr_mult'),
        decay: p.get<number>('decay_mult'),
        ...(p.has('name') && p.get<string>('name') ? { shared: p.get<string>('name') } : {}),
      }));
  if (v1) {
    // V1 gives decays without rates too; and a blob named in `param` is shared.
    const decays = l.all<number>('weight_decay');
    for (let i = params.length; i < decays.length; i++) params.push({ lr: 1, decay: decays[i]! });
    l.all<string>('param').forEach((shared, i) => {
      if (shared) params[i] = { ...(params[i] ?? { lr: 1, decay: 1 }), shared };
    });
  }
  const typeName = type ? (v1 ? v1TypeName(type.value as string) : (type.value as string)) : '';
  return {
    name: name ? (name.value as string) : '',
    nameSpan: name?.span ?? span,
    type: typeName,
    typeSpan: type?.span ?? span,
    span,
    bottoms: named(l, 'bottom'),
    tops: named(l, 'top'),
    params,
    lossWeights: l.all<number>('loss_weight'),
    fields: l,
    v1,
  };
}

/** `input: "data"` with four `input_dim`s per input, or one `input_shape` per input. */
function readInputs(net: Fields): CaffeInput[] {
  const dims = net.all<number>('input_dim');
  const shapes = net.messages('input_shape');
  return net.each('input').map((v, i) => {
    const shape = shapes[i]
      ? shapes[i]!.all<number>('dim')
      : dims.length >= 4 * (i + 1)
        ? dims.slice(4 * i, 4 * i + 4)
        : undefined;
    return { name: v.value as string, span: v.span, ...(shape ? { shape } : {}) };
  });
}
