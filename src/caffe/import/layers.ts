/**
 * One Caffe layer → one .fcn layer: its type and its parameters as .fcn properties. Only
 * what differs from .fcn's defaults is written, and Caffe's defaults are what count when the
 * prototxt says nothing (a convolution without `param` learns its bias at rate 1, LRN's
 * alpha is 1, a missing filler fills zeros). What .fcn cannot say is reported as a reason,
 * never dropped.
 */
import type { Fields } from '../prototxt/read.js';
import type { Pair } from '../../compiler/layers/types.js';
import type { CaffeLayer } from '../net/types.js';
import { numberText, pairText, type Prop } from './items.js';

export interface Mapped {
  type: string;
  props: Prop[];
  sections: Array<{ name: string; props: Prop[] }>;
  /** Comments on the layer (how an initialiser was read, …). */
  notes: string[];
}

/** Collects the reasons a layer cannot be expressed. */
export type Problems = string[];

/** Caffe's per-axis parameter: `kernel_size: 3` (or two values), or `kernel_h`/`kernel_w`. */
function axes(
  p: Fields,
  list: string,
  h: string,
  w: string,
  fallback: number | undefined,
  problems: Problems,
): Pair | undefined {
  if (p.has(h) || p.has(w)) {
    if (!p.has(h) || !p.has(w)) problems.push(`${h} and ${w} must be given together`);
    return [p.get<number>(h), p.get<number>(w)];
  }
  const values = list === '' ? [] : p.all<number>(list);
  if (values.length === 0) return fallback === undefined ? undefined : [fallback, fallback];
  if (values.length > 2) problems.push(`${list} has ${values.length} values: fcn nets are 2-D`);
  return values.length === 1 ? [values[0]!, values[0]!] : [values[0]!, values[1]!];
}

/** A filler as a .fcn initialiser. */
function initText(filler: Fields, notes: string[], what: string): string {
  const type = filler.get<string>('type');
  switch (type) {
    case 'constant':
      return `constant(${numberText(filler.get<number>('value'))})`;
    case 'gaussian': {
      if (filler.get<number>('sparse') >= 0) notes.push(`${what}: Caffe's sparse gaussian filler read as a dense one`);
      const mean = filler.get<number>('mean');
      const std = numberText(filler.get<number>('std'));
      return mean === 0 ? `gaussian(${std})` : `gaussian(${std}, ${numberText(mean)})`;
    }
    case 'xavier':
    case 'msra':
      if (filler.get<string>('variance_norm') !== 'FAN_IN')
        notes.push(`${what}: variance_norm ${filler.get<string>('variance_norm')} read as FAN_IN`);
      return type;
    case 'bilinear':
      return 'bilinear';
    default:
      notes.push(`${what}: Caffe's '${type}' filler has no .fcn initialiser; xavier instead`);
      return 'xavier';
  }
}

/** Learning settings and initialisers of a layer with weights (conv, deconv, fc). */
function learning(
  l: CaffeLayer,
  op: 'conv' | 'deconv' | 'fc',
  biasTerm: boolean,
  p: Fields,
  notes: string[],
  problems: Problems,
): Pick<Mapped, 'props' | 'sections'> {
  const props: Prop[] = [];
  const sections: Mapped['sections'] = [];
  const shared = l.params.find((x) => x.shared);
  if (shared) problems.push(`its parameters are shared with other layers by name ('${shared.shared}')`);
  const w = l.params[0] ?? { lr: 1, decay: 1 };
  const b = l.params[1] ?? { lr: 1, decay: 1 };
  const weightFiller = p.message('weight_filler');
  const biasFiller = p.message('bias_filler');
  let init: string;
  if (weightFiller) init = initText(weightFiller, notes, 'weights');
  else if (op === 'deconv') {
    // The reference's solve.py sets every upsampling deconvolution to bilinear (surgery.interp).
    notes.push('no weight filler: bilinear, as the reference FCN solvers set it (Caffe alone would fill zeros)');
    init = 'bilinear';
  } else init = 'constant(0)';
  const biasInit = biasFiller ? initText(biasFiller, notes, 'bias') : undefined;
  if (!biasTerm) {
    props.push(['bias', 'false']);
    if (w.lr !== 1) props.push(['lr', numberText(w.lr)]);
    if (w.decay !== 1) props.push(['decay', numberText(w.decay)]);
    props.push(['init', init]);
    return { props, sections };
  }
  if (w.lr === b.lr && w.decay === b.decay) {
    props.push(['lr', numberText(w.lr)], ['decay', numberText(w.decay)]);
  } else {
    const weight: Prop[] = [];
    if (w.lr !== 1) weight.push(['lr', numberText(w.lr)]);
    if (w.decay !== 1) weight.push(['decay', numberText(w.decay)]);
    sections.push({ name: 'weight', props: weight });
  }
  props.push(['init', init]);
  const bias: Prop[] = [];
  if (!(w.lr === b.lr && w.decay === b.decay)) {
    if (b.lr !== 2) bias.push(['lr', numberText(b.lr)]);
    if (b.decay !== 0) bias.push(['decay', numberText(b.decay)]);
  }
  if (biasInit && biasInit !== 'constant(0)') bias.push(['init', biasInit]);
  sections.push({ name: 'bias', props: bias });
  return { props, sections };
}

function param(l: CaffeLayer, key: string, problems: Problems): Fields | undefined {
  const p = l.fields.message(key);
  if (!p) problems.push(`it has no ${key}`);
  return p;
}

function requireAxis(p: Fields, key: string, want: number, problems: Problems): void {
  if (p.has(key) && p.get<number>(key) !== want)
    problems.push(`${key} ${p.get<number>(key)}: fcn supports only ${want}`);
}

function convolution(l: CaffeLayer, op: 'conv' | 'deconv', problems: Problems): Mapped | undefined {
  const p = param(l, 'convolution_param', problems);
  if (!p) return undefined;
  const notes: string[] = [];
  if (!p.has('num_output')) problems.push('convolution_param has no num_output');
  requireAxis(p, 'axis', 1, problems);
  const kernel = axes(p, 'kernel_size', 'kernel_h', 'kernel_w', undefined, problems);
  if (!kernel) problems.push('convolution_param has no kernel_size');
  const stride = axes(p, 'stride', 'stride_h', 'stride_w', 1, problems)!;
  const pad = axes(p, 'pad', 'pad_h', 'pad_w', 0, problems)!;
  const dilation = axes(p, 'dilation', '', '', 1, problems)!;
  const props: Prop[] = [
    ['out', String(p.get<number>('num_output'))],
    ['kernel', pairText(kernel ?? [1, 1])],
  ];
  if (stride.some((s) => s !== 1)) props.push(['stride', pairText(stride)]);
  if (pad.some((s) => s !== 0)) props.push(['pad', pairText(pad)]);
  if (dilation.some((s) => s !== 1)) props.push(['dilation', pairText(dilation)]);
  if (p.get<number>('group') !== 1) props.push(['group', String(p.get<number>('group'))]);
  const learn = learning(l, op, p.get<boolean>('bias_term'), p, notes, problems);
  return { type: op, props: [...props, ...learn.props], sections: learn.sections, notes };
}

function pooling(l: CaffeLayer, problems: Problems): Mapped | undefined {
  const p = param(l, 'pooling_param', problems);
  if (!p) return undefined;
  const method = p.get<string>('pool');
  if (method === 'STOCHASTIC') problems.push('stochastic pooling');
  if (p.get<boolean>('global_pooling')) {
    const props: Prop[] = method === 'AVE' ? [['method', 'ave']] : [];
    return { type: 'pool', props: [...props, ['global', 'true']], sections: [], notes: [] };
  }
  const kernel = p.has('kernel_size')
    ? ([p.get<number>('kernel_size'), p.get<number>('kernel_size')] as Pair)
    : axes(p, '', 'kernel_h', 'kernel_w', undefined, problems);
  if (!kernel && !p.get<boolean>('global_pooling')) problems.push('pooling_param has no kernel_size');
  const stride: Pair =
    p.has('stride_h') || p.has('stride_w')
      ? [p.get<number>('stride_h'), p.get<number>('stride_w')]
      : [p.get<number>('stride'), p.get<number>('stride')];
  const pad: Pair =
    p.has('pad_h') || p.has('pad_w')
      ? [p.get<number>('pad_h'), p.get<number>('pad_w')]
      : [p.get<number>('pad'), p.get<number>('pad')];
  const props: Prop[] = [];
  if (method === 'AVE') props.push(['method', 'ave']);
  props.push(['kernel', pairText(kernel ?? [1, 1])]);
  if (stride.some((s) => s !== 1)) props.push(['stride', pairText(stride)]);
  if (pad.some((s) => s !== 0)) props.push(['pad', pairText(pad)]);
  if (p.get<string>('round_mode') === 'FLOOR') props.push(['round', 'floor']);
  return { type: 'pool', props, sections: [], notes: [] };
}

function innerProduct(l: CaffeLayer, problems: Problems): Mapped | undefined {
  const p = param(l, 'inner_product_param', problems);
  if (!p) return undefined;
  const notes: string[] = [];
  if (!p.has('num_output')) problems.push('inner_product_param has no num_output');
  requireAxis(p, 'axis', 1, problems);
  if (p.get<boolean>('transpose')) problems.push('transposed inner product weights');
  const learn = learning(l, 'fc', p.get<boolean>('bias_term'), p, notes, problems);
  return {
    type: 'fc',
    props: [['out', String(p.get<number>('num_output'))], ...learn.props],
    sections: learn.sections,
    notes,
  };
}

function lrn(l: CaffeLayer, problems: Problems): Mapped {
  const p = l.fields.message('lrn_param');
  const get = (k: string, d: number) => (p ? p.get<number>(k) : d);
  if (p?.get<string>('norm_region') === 'WITHIN_CHANNEL') problems.push('LRN within channels');
  const props: Prop[] = [];
  const size = get('local_size', 5);
  if (size !== 5) props.push(['size', String(size)]);
  // Caffe's alpha defaults to 1, .fcn's to 1e-4.
  const alpha = get('alpha', 1);
  if (alpha !== 1e-4) props.push(['alpha', numberText(alpha)]);
  if (get('beta', 0.75) !== 0.75) props.push(['beta', numberText(get('beta', 0.75))]);
  if (get('k', 1) !== 1) props.push(['k', numberText(get('k', 1))]);
  return { type: 'lrn', props, sections: [], notes: [] };
}

function crop(l: CaffeLayer, problems: Problems): Mapped {
  const p = l.fields.message('crop_param');
  const axis = p?.get<number>('axis') ?? 2;
  if (axis !== 2 && axis !== -2) problems.push(`cropping from axis ${axis}: fcn crops the two spatial axes`);
  const offsets = p?.all<number>('offset') ?? [];
  if (offsets.length > 2) problems.push(`${offsets.length} crop offsets`);
  const notes: string[] = [];
  const props: Prop[] = [];
  if (offsets.length === 0)
    notes.push('no offset in the prototxt: fcn infers it (BVLC Caffe would crop at 0; the FCN reference inferred it)');
  else props.push(['offset', pairText(offsets.length === 1 ? [offsets[0]!, offsets[0]!] : [offsets[0]!, offsets[1]!])]);
  if (l.bottoms.length !== 2) problems.push(`a crop takes 2 bottoms, this one has ${l.bottoms.length}`);
  return { type: 'crop', props, sections: [], notes };
}

function eltwise(l: CaffeLayer, problems: Problems): Mapped {
  const p = l.fields.message('eltwise_param');
  const op = p?.get<string>('operation') ?? 'SUM';
  if (op === 'PROD' || op === 'MAX')
    return { type: 'eltwise', props: [['operation', op.toLowerCase()]], sections: [], notes: [] };
  if (op !== 'SUM') problems.push(`element-wise ${op}`);
  const coeff = p?.all<number>('coeff') ?? [];
  const props: Prop[] =
    coeff.length && coeff.some((c) => c !== 1) ? [['coeff', `[${coeff.map(numberText).join(', ')}]`]] : [];
  return { type: 'sum', props, sections: [], notes: [] };
}

function concat(l: CaffeLayer, problems: Problems): Mapped {
  const p = l.fields.message('concat_param');
  if (
    p &&
    ((p.has('axis') && p.get<number>('axis') !== 1) || (p.has('concat_dim') && p.get<number>('concat_dim') !== 1))
  )
    problems.push('concatenation along an axis other than channels');
  return { type: 'concat', props: [], sections: [], notes: [] };
}

function scale(l: CaffeLayer, problems: Problems): Mapped {
  const p = l.fields.message('scale_param');
  if (p && (p.get<number>('axis') !== 1 || p.get<number>('num_axes') !== 1)) problems.push('a Scale not per channel');
  if (l.bottoms.length !== 1) problems.push('a Scale by a second bottom');
  const filler = p?.message('filler');
  if (filler && filler.get<string>('type') !== 'constant')
    problems.push(`a Scale filled by '${filler.get<string>('type')}'`);
  const value = filler ? filler.get<number>('value') : 1;
  const w = l.params[0] ?? { lr: 1, decay: 1 };
  const props: Prop[] = [];
  if (value !== 1) props.push(['value', numberText(value)]);
  if (w.lr !== 0) props.push(['lr', numberText(w.lr)]);
  if (w.decay !== 0) props.push(['decay', numberText(w.decay)]);
  if (p?.get<boolean>('bias_term')) props.push(['bias', 'true']);
  return { type: 'scale', props, sections: [], notes: [] };
}

function softmaxLoss(l: CaffeLayer, problems: Problems): Mapped {
  const p = l.fields.message('loss_param');
  const props: Prop[] = [];
  if (p?.has('ignore_label')) props.push(['ignore', String(p.get<number>('ignore_label'))]);
  const mode = p?.has('normalization')
    ? p.get<string>('normalization')
    : p?.has('normalize')
      ? p.get<boolean>('normalize')
        ? 'VALID'
        : 'BATCH_SIZE'
      : 'VALID';
  if (mode === 'BATCH_SIZE') props.push(['normalize', 'false']);
  else if (mode === 'NONE' || (mode === 'FULL' && p?.has('ignore_label')))
    problems.push(`loss normalization ${mode}: fcn divides by the counted pixels or by the batch`);
  const weight = l.lossWeights[0] ?? 1;
  if (weight !== 1) props.push(['weight', numberText(weight)]);
  if (l.bottoms.length !== 2) problems.push(`a loss takes scores and labels, this one has ${l.bottoms.length} bottoms`);
  requireAxis(l.fields.message('softmax_param') ?? l.fields, 'axis', 1, problems);
  return { type: 'softmax_loss', props, sections: [], notes: [] };
}

/** Maps one layer; undefined with `problems` filled when fcn cannot express it. */
export function mapLayer(l: CaffeLayer, problems: Problems): Mapped | undefined {
  const simple = (type: string, props: Prop[] = []): Mapped => ({ type, props, sections: [], notes: [] });
  switch (l.type) {
    case 'Convolution':
      return convolution(l, 'conv', problems);
    case 'Deconvolution':
      return convolution(l, 'deconv', problems);
    case 'Pooling':
      return pooling(l, problems);
    case 'InnerProduct':
      return innerProduct(l, problems);
    case 'ReLU': {
      const slope = l.fields.message('relu_param')?.get<number>('negative_slope') ?? 0;
      return simple('relu', slope ? [['slope', numberText(slope)]] : []);
    }
    case 'Dropout': {
      const ratio = l.fields.message('dropout_param')?.get<number>('dropout_ratio') ?? 0.5;
      return simple('dropout', ratio !== 0.5 ? [['ratio', numberText(ratio)]] : []);
    }
    case 'LRN':
      return lrn(l, problems);
    case 'Crop':
      return crop(l, problems);
    case 'Eltwise':
      return eltwise(l, problems);
    case 'Concat':
      return concat(l, problems);
    case 'BatchNorm': {
      const p = l.fields.message('batch_norm_param');
      const eps = p?.get<number>('eps') ?? 1e-5;
      const momentum = p?.get<number>('moving_average_fraction') ?? 0.999;
      const props: Prop[] = Math.abs(eps - 1e-5) > 1e-12 ? [['eps', numberText(eps)]] : [];
      if (Math.abs(momentum - 0.999) > 1e-9) props.push(['momentum', numberText(momentum)]);
      if (p?.get<boolean>('use_global_stats')) props.push(['global', 'true']);
      return simple('batch_norm', props);
    }
    case 'Sigmoid':
      return simple('sigmoid');
    case 'TanH':
      return simple('tanh');
    case 'PReLU':
      // Caffe's defaults: a slope per channel, initialised to 0.25.
      return simple('prelu');
    case 'Scale':
      return scale(l, problems);
    case 'Softmax':
      requireAxis(l.fields.message('softmax_param') ?? l.fields, 'axis', 1, problems);
      return simple('softmax');
    case 'SoftmaxWithLoss':
      return softmaxLoss(l, problems);
    case 'ArgMax': {
      const p = l.fields.message('argmax_param');
      if (!p?.has('axis') || p.get<number>('axis') !== 1) problems.push('ArgMax other than across channels (axis: 1)');
      if (p && (p.get<number>('top_k') !== 1 || p.get<boolean>('out_max_val')))
        problems.push('ArgMax with top_k or out_max_val');
      return simple('argmax');
    }
    default:
      return undefined;
  }
}
