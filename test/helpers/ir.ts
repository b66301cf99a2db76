/**
 * Builds IR graphs directly in tests, without the parser: `b.input('data')`,
 * `b.layer('conv1', 'conv', ['data'], { out: 8, kernel: 3 })`, then `b.build()`.
 * Scalars for kernel/stride/pad/dilation expand to [h, w]; missing params get the language defaults.
 */
import { Source } from '../../src/diagnostics/source.js';
import type { IRGraph, IRNode } from '../../src/compiler/ir/types.js';
import type { LayerParamsByType, LayerType, Pair, ParamSpec } from '../../src/compiler/layers/types.js';
import type { ResolvedInput } from '../../src/compiler/resolve/types.js';

const source = new Source('', '<test>');
const span = { source, start: 0, end: 0 };
const origin = { span, via: [] };

type Loose<T> = { [K in keyof T]?: NonNullable<T[K]> extends Pair ? Pair | number : T[K] };

const PAIR_KEYS = ['kernel', 'stride', 'pad', 'dilation', 'offset'];

function defaults(op: LayerType): Record<string, unknown> {
  const weight: ParamSpec = { lr: 1, decay: 1, init: { kind: 'msra' } };
  const bias: ParamSpec = { lr: 2, decay: 0, init: { kind: 'constant', value: 0 } };
  switch (op) {
    case 'conv':
    case 'deconv':
      return { stride: [1, 1], pad: [0, 0], dilation: [1, 1], group: 1, biasTerm: true, weight, bias };
    case 'pool':
      return { method: 'max', stride: [1, 1], pad: [0, 0], round: 'ceil', global: false };
    case 'relu':
      return { slope: 0 };
    case 'dropout':
      return { ratio: 0.5 };
    case 'lrn':
      return { size: 5, alpha: 1e-4, beta: 0.75, k: 1 };
    case 'scale':
      return { value: 1, weight: { lr: 0, decay: 0, init: { kind: 'constant', value: 1 } }, biasTerm: false };
    case 'softmax_loss':
      return { normalize: true, weight: 1 };
    case 'fc':
      return { biasTerm: true, weight, bias };
    case 'batch_norm':
      return { eps: 1e-5, momentum: 0.999, global: false };
    default:
      return {};
  }
}

export class IRBuilder {
  private readonly nodes: IRNode[] = [];
  private readonly ids = new Map<string, number>();

  constructor(readonly name = 'test') {}

  /** Adds an input node; returns its name. */
  input(name: string, channels = 3, extra: Partial<ResolvedInput> = {}): string {
    const id = this.nodes.length;
    const input: ResolvedInput = { name, kind: 'image', channels, order: 'rgb', span, ...extra };
    this.nodes.push({ id, op: 'input', name, input, inputs: [], scope: [], origin });
    this.ids.set(name, id);
    return name;
  }

  /** Adds a layer node reading the named blobs; returns its name. */
  layer<T extends LayerType>(name: string, op: T, bottoms: string[], params: Loose<LayerParamsByType[T]> = {}): string {
    const id = this.nodes.length;
    const full: Record<string, unknown> = { ...defaults(op), ...params };
    for (const k of PAIR_KEYS) {
      const v = full[k];
      if (typeof v === 'number') full[k] = [v, v];
    }
    const inputs = bottoms.map((b) => {
      const i = this.ids.get(b);
      if (i === undefined) throw new Error(`IRBuilder: unknown blob ${b}`);
      return i;
    });
    const scope = name.includes('.') ? name.split('.').slice(0, -1) : [];
    this.nodes.push({ id, op, name, inputs, params: full, scope, origin } as unknown as IRNode);
    this.ids.set(name, id);
    return name;
  }

  build(): IRGraph {
    const consumers: number[][] = this.nodes.map(() => []);
    for (const n of this.nodes) for (const i of n.inputs) consumers[i]!.push(n.id);
    return {
      name: this.name,
      file: '<test>',
      nodes: this.nodes,
      inputs: this.nodes.filter((n) => n.op === 'input').map((n) => n.id),
      consumers,
      byName: new Map(this.ids),
      solver: {},
      span,
    };
  }
}
