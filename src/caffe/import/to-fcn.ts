/**
 * A Caffe net → the items of a .fcn net. Data layers (Input, Python, Data, …) become inputs,
 * a blob that a loss compares scores with becoming a `kind: label` input; every other layer
 * keeps its Caffe name, and a later reference to a blob reads the layer that last wrote it,
 * so in-place layers (`relu1_1` writing `conv1_1`) need nothing special. What fcn cannot
 * express is gathered into one diagnostic that lists every such layer.
 */
import { error, type Diagnostic, type RelatedNote } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import { closest, didYouMean } from '../../diagnostics/suggest.js';
import type { Fields } from '../prototxt/read.js';
import { V1_LAYER_TYPES } from '../proto/schema.js';
import { v1TypeName } from '../proto/v1.js';
import type { CaffeLayer, CaffeNet } from '../net/types.js';
import { numberText, pairText, type InputItem, type Item, type Prop } from './items.js';
import { mapLayer } from './layers.js';
import { fcnName } from './names.js';

export interface MapOptions {
  /** Channels of inputs whose count the prototxt does not say (Python and HDF5 data layers). */
  channels?: Record<string, number>;
}

export interface MapResult {
  items: Item[];
  /** Caffe layer name → .fcn layer name, for every layer kept. */
  layers: Map<string, string>;
}

/** Layers that only feed data; their tops become inputs. */
const DATA_TYPES = new Set([
  'Input',
  'Python',
  'Data',
  'ImageData',
  'HDF5Data',
  'MemoryData',
  'WindowData',
  'DummyData',
]);
/** Layers that fcn leaves out on purpose: evaluation and plumbing, which `fcn eval` and the emitter do themselves. */
const DROPPED: Record<string, string> = {
  Accuracy: 'accuracy is what `fcn eval` computes',
  Silence: 'a blob nothing reads needs no silencing in fcn',
};
/** Every type name Caffe knows, for "did you mean" on a misspelt one. */
const CAFFE_TYPES = [
  ...Object.keys(V1_LAYER_TYPES).map((k) => v1TypeName(k)),
  ...['Deconvolution', 'Crop', 'BatchNorm', 'Scale', 'Python', 'Input', 'ELU', 'PReLU', 'Bias', 'Reshape'],
  ...['Embed', 'Interp', 'LSTM', 'RNN', 'Parameter', 'Reduction', 'SPP', 'Tile', 'Log', 'Swish', 'Clip'],
];

interface Problem {
  layer: CaffeLayer;
  reasons: string[];
  span: Span;
}

/** `'mean': (104.0, 116.6, 122.6)` in a Python layer's param_str, as the FCN data layers take it. */
function meanOfParamStr(paramStr: string): number[] | undefined {
  const m = /['"]mean['"]\s*:\s*[([]([^)\]]*)[)\]]/.exec(paramStr);
  const values = m?.[1]
    ?.split(',')
    .map((s) => Number(s.trim()))
    .filter((v) => Number.isFinite(v));
  return values?.length ? values : undefined;
}

/** Maps a net; errors go to `diagnostics` (the items are then incomplete). */
export function mapNet(net: CaffeNet, options: MapOptions, diagnostics: Diagnostic[]): MapResult {
  const items: Item[] = [];
  const layers = new Map<string, string>();
  const blobs = new Map<string, string>();
  const names = new Map<string, Span>();
  const problems: Problem[] = [];
  const labels = labelBlobs(net);
  const fixedSize = net.layers.some((l) => l.type === 'InnerProduct');

  const define = (caffeName: string, span: Span): string | undefined => {
    const name = fcnName(caffeName);
    const earlier = names.get(name);
    if (earlier) {
      diagnostics.push(
        error('duplicate-name', `'${caffeName}' names a second layer or input: fcn names must be unique`, span, {
          notes: [{ message: 'the first one', span: earlier }],
        }),
      );
      return undefined;
    }
    names.set(name, span);
    return name;
  };

  const addInput = (caffeName: string, span: Span, props: Prop[], comments: string[] = []): void => {
    const name = define(caffeName, span);
    if (!name) return;
    const label = labels.has(caffeName);
    const item: InputItem = { kind: 'input', name, props: label ? [['kind', 'label']] : [], label, comments };
    if (!label) {
      const channels = options.channels?.[caffeName] ?? options.channels?.[name];
      const shape = props.find(([k]) => k === 'shape');
      const c = channels ?? (shape ? Number(shape[1].split(',')[1]) : 3);
      if (c !== 3) item.props.push(['channels', String(c)]);
      if (!shape && channels === undefined)
        item.comments.push(`channels: 3 assumed (the prototxt does not say; --channels ${caffeName}=N)`);
      item.props.push(...props.filter(([k]) => k !== 'shape'));
      item.props.push(['order', 'bgr']);
    }
    items.push(item);
    blobs.set(caffeName, name);
  };

  for (const input of net.inputs) addInput(input.name, input.span, inputShapeProps(input.shape, fixedSize));

  for (const l of net.layers) {
    if (!l.name) {
      diagnostics.push(
        error('unnamed-layer', 'a layer without a name: fcn keeps Caffe names, so every layer needs one', l.span),
      );
      continue;
    }
    const bottoms: string[] = [];
    for (const b of l.bottoms) {
      const found = blobs.get(b.name);
      if (found) bottoms.push(found);
      else {
        const help = didYouMean(b.name, blobs.keys());
        diagnostics.push(
          error(
            'unknown-blob',
            `layer '${l.name}' reads '${b.name}', which no earlier layer writes`,
            b.span,
            help ? { help } : {},
          ),
        );
      }
    }
    if (bottoms.length !== l.bottoms.length) continue;

    if (DATA_TYPES.has(l.type)) {
      dataTops(l, fixedSize).forEach(({ top, props, comments }) => addInput(top.name, top.span, props, comments));
      continue;
    }
    if (l.type === 'Split') {
      for (const t of l.tops) blobs.set(t.name, bottoms[0]!);
      continue;
    }
    if (DROPPED[l.type]) {
      items.push({ kind: 'comment', lines: [`dropped ${l.name} (${l.type}): ${DROPPED[l.type]}`] });
      continue;
    }
    const reasons: string[] = [];
    const mapped = mapLayer(l, reasons);
    if (!mapped) {
      const known = CAFFE_TYPES.includes(l.type);
      const near = known ? undefined : closest(l.type, CAFFE_TYPES);
      reasons.unshift(
        known
          ? `fcn has no layer type for Caffe's ${l.type}`
          : `'${l.type}' is not a Caffe layer type${near ? ` (did you mean '${near}'?)` : ''}`,
      );
    }
    if (mapped && l.tops.length !== 1) reasons.push(`it has ${l.tops.length} tops; fcn layers have one`);
    if (reasons.length) {
      problems.push({ layer: l, reasons, span: mapped ? l.nameSpan : l.typeSpan });
      // Its tops stay readable, so the layers after it are checked for themselves, not for it.
      for (const t of l.tops) blobs.set(t.name, fcnName(l.name));
      continue;
    }
    const name = define(l.name, l.nameSpan);
    if (!name) continue;
    layers.set(l.name, name);
    items.push({
      kind: 'layer',
      name,
      type: mapped!.type,
      bottoms,
      props: mapped!.props,
      sections: mapped!.sections,
      comments: mapped!.notes,
    });
    blobs.set(l.tops[0]!.name, name);
  }

  if (problems.length) diagnostics.push(unsupported(problems));
  return { items, layers };
}

/** The blobs that a loss (or accuracy) compares scores with, and the label tops of Caffe's data layers. */
function labelBlobs(net: CaffeNet): Set<string> {
  const labels = new Set<string>();
  for (const l of net.layers) {
    if ((l.type === 'SoftmaxWithLoss' || l.type === 'Accuracy') && l.bottoms[1]) labels.add(l.bottoms[1].name);
    if (['Data', 'ImageData', 'HDF5Data', 'MemoryData', 'WindowData'].includes(l.type) && l.tops[1])
      labels.add(l.tops[1].name);
  }
  return labels;
}

/** Input properties from an N, C, H, W shape; the spatial size only when an inner product needs it fixed. */
function inputShapeProps(shape: number[] | undefined, fixedSize: boolean): Prop[] {
  if (!shape || shape.length !== 4) return [];
  const props: Prop[] = [['shape', shape.join(',')]];
  if (fixedSize) props.push(['size', pairText([shape[2]!, shape[3]!])]);
  return props;
}

function dataTops(
  l: CaffeLayer,
  fixedSize: boolean,
): Array<{ top: CaffeLayer['tops'][number]; props: Prop[]; comments: string[] }> {
  const f: Fields = l.fields;
  return l.tops.map((top, i) => {
    const props: Prop[] = [];
    const comments: string[] = [];
    if (l.type === 'Input' || l.type === 'DummyData') {
      const key = l.type === 'Input' ? 'input_param' : 'dummy_data_param';
      const shapes = f.message(key)?.messages('shape') ?? [];
      const shape = (shapes[i] ?? shapes[0])?.all<number>('dim');
      props.push(...inputShapeProps(shape, fixedSize));
    }
    if (i === 0) {
      const mean =
        l.type === 'Python'
          ? meanOfParamStr(f.message('python_param')?.get<string>('param_str') ?? '')
          : f.message('transform_param')?.all<number>('mean_value');
      if (mean?.length)
        props.push(['mean', mean.length === 1 ? numberText(mean[0]!) : `[${mean.map(numberText).join(', ')}]`]);
      if (f.message('transform_param')?.has('mean_file'))
        comments.push('the mean_file is not read: give `mean:` by hand');
    }
    return { top, props, comments };
  });
}

function unsupported(problems: Problem[]): Diagnostic {
  const n = problems.length;
  const notes: RelatedNote[] = problems.map((p) => ({
    message: `'${p.layer.name}' (${p.layer.type}): ${p.reasons.join('; ')}`,
    span: p.span,
  }));
  return error(
    'unsupported-layers',
    `${n} layer${n === 1 ? '' : 's'} cannot be expressed in fcn: ${problems.map((p) => p.layer.name).join(', ')}`,
    problems[0]!.span,
    { notes },
  );
}
