/**
 * Blob shapes [C, H, W] under Caffe's rules (axis.ts has the per-axis size rules). Without
 * an input size, channels are still known and H, W are null; the smallest input that
 * survives is searched per axis either way. A collapse, a crop that does not fit, or a
 * fusion of different sizes at the analysed size is an error naming the layer and the
 * smallest input that works.
 */
import { error, type Diagnostic } from '../../diagnostics/index.js';
import type { IRGraph, IRNode } from '../ir/types.js';
import { layerDef } from '../layers/registry.js';
import type { Pair } from '../layers/types.js';
import { propagateAxis, smallestInput, type AxisFailure, type AxisResult } from './axis.js';
import { formatList, formatPair, formatSize } from './format.js';
import { originNotes } from './spans.js';

/** [C, H, W] (H, W null without an input size), or [] for a scalar (the loss). */
export type BlobShape = [number | null, number | null, number | null] | [];

export interface ShapeAnalysis {
  /** The input size analysed: the requested one, else the first input's declared size, else null. */
  input: Pair | null;
  /** By node id. */
  shapes: BlobShape[];
  /** Channels by node id (null for the scalar loss). */
  channels: (number | null)[];
  /** Smallest input size, per axis, with which every layer survives (null: none up to the search limit). */
  minInput: [number | null, number | null];
  diagnostics: Diagnostic[];
}

/** Input sizes tried when searching for the smallest one that survives. */
export const INPUT_SEARCH_LIMIT = 4096;

/** Channels of every blob, by each layer type's own rule (conv gives `out`, concat adds, …; the loss none). */
export function inferChannels(ir: IRGraph): (number | null)[] {
  const channels: (number | null)[] = [];
  for (const node of ir.nodes) {
    if (node.op === 'input') channels.push(node.input.channels);
    else
      channels.push(
        layerDef(node.op).channels(
          node.params,
          node.inputs.map((i) => channels[i] ?? null),
        ),
      );
  }
  return channels;
}

/** Shapes of every blob at `input` (or at the declared input sizes), the smallest input, and size errors. */
export function inferShapes(ir: IRGraph, offsets: ReadonlyMap<number, Pair>, input?: Pair): ShapeAnalysis {
  const channels = inferChannels(ir);
  const declared = (id: number): Pair | null => {
    const n = ir.nodes[id]!;
    return input ?? (n.op === 'input' ? (n.input.size ?? null) : null);
  };
  const axes = ([0, 1] as const).map((axis) =>
    propagateAxis(ir, axis, (id) => declared(id)?.[axis] ?? null, offsets),
  ) as [AxisResult, AxisResult];
  const minInput = ([0, 1] as const).map((axis) => smallestInput(ir, axis, offsets, INPUT_SEARCH_LIMIT)) as [
    number | null,
    number | null,
  ];
  const shapes: BlobShape[] = ir.nodes.map((n) =>
    n.op === 'softmax_loss' ? [] : [channels[n.id]!, axes[0].sizes[n.id]!, axes[1].sizes[n.id]!],
  );
  const first = ir.inputs.map(declared).find((s) => s !== null) ?? null;
  const diagnostics = sizeDiagnostics(ir, axes, offsets, first, minInput);
  return { input: first, shapes, channels, minInput, diagnostics };
}

type Kind = AxisFailure['kind'];

/** One diagnostic per failing node and kind, with both axes shown. */
function sizeDiagnostics(
  ir: IRGraph,
  axes: [AxisResult, AxisResult],
  offsets: ReadonlyMap<number, Pair>,
  input: Pair | null,
  minInput: [number | null, number | null],
): Diagnostic[] {
  const seen = new Map<string, { node: number; kind: Kind }>();
  for (const f of [...axes[0].failures, ...axes[1].failures])
    seen.set(`${f.node}:${f.kind}`, { node: f.node, kind: f.kind });
  const at = input ? ` at input ${formatSize(input)}` : '';
  const help = sizeHelp(ir, offsets, input, minInput);
  const failure = (axis: 0 | 1, node: number, kind: Kind) =>
    axes[axis].failures.find((f) => f.node === node && f.kind === kind);
  const size = (axis: 0 | 1, id: number | undefined) => (id === undefined ? null : axes[axis].sizes[id]!);

  return [...seen.values()].map(({ node: id, kind }) => {
    const node = ir.nodes[id]!;
    const pair = <T>(f: (axis: 0 | 1) => T): [T, T] => [f(0), f(1)];
    let message: string;
    if (kind === 'collapse') {
      const from = pair((a) => {
        const f = failure(a, id, kind);
        return f?.kind === 'collapse' ? f.from : size(a, node.inputs[0]);
      });
      const out = pair((a) => {
        const f = failure(a, id, kind);
        return f?.kind === 'collapse' ? Math.max(0, f.size) : size(a, id);
      });
      message = `layer '${node.name}' collapses${at}: its ${formatSize(from)} input gives a ${formatSize(out)} output`;
    } else if (kind === 'crop') {
      const offset = offsets.get(id)!;
      const [inputId, refId] = node.inputs;
      message = `crop '${node.name}' does not fit${at}: it takes ${formatSize(pair((a) => size(a, refId)))} at offset ${formatPair(offset)} from '${ir.nodes[inputId!]!.name}', which is only ${formatSize(pair((a) => size(a, inputId)))}`;
    } else {
      const parts = node.inputs.map((i) => `'${ir.nodes[i]!.name}' is ${formatSize(pair((a) => size(a, i)))}`);
      message = `'${node.name}' (${node.op}) needs inputs of one size, but${at} ${formatList(parts)}`;
      const label = node.op === 'softmax_loss' ? ir.nodes[node.inputs[1]!] : undefined;
      if (label?.op === 'input') {
        const score = ir.nodes[node.inputs[0]!]!.name;
        // The scores are smaller than the image (valid convolutions): the label must be cut to them.
        const fix = `crop the label to the scores: 'bottom: [${score}, crop(${label.name})]'`;
        return error('size-mismatch', message, node.origin.span, { help: fix, notes: originNotes(node) });
      }
    }
    return error(sizeCode(kind), message, node.origin.span, { help, notes: originNotes(node as IRNode) });
  });
}

/** Points at the smallest input that works, or, above it, the next larger one (survival need not be monotone). */
function sizeHelp(
  ir: IRGraph,
  offsets: ReadonlyMap<number, Pair>,
  input: Pair | null,
  minInput: [number | null, number | null],
): string {
  if (minInput[0] === null || minInput[1] === null) return `no input up to ${INPUT_SEARCH_LIMIT} pixels survives`;
  if (!input || input[0] < minInput[0] || input[1] < minInput[1])
    return `the smallest input this net accepts is ${formatSize(minInput)}`;
  const next = ([0, 1] as const).map((axis) => smallestInput(ir, axis, offsets, INPUT_SEARCH_LIMIT, input[axis]));
  if (next[0] === null || next[1] === null) return `no larger input up to ${INPUT_SEARCH_LIMIT} pixels works`;
  return `the next larger input that works is ${formatSize(next as Pair)}`;
}

function sizeCode(kind: Kind): string {
  return kind === 'collapse' ? 'size-collapse' : kind === 'crop' ? 'crop-out-of-bounds' : 'size-mismatch';
}
