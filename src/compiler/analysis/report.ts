/**
 * The analysis as plain data: the documented `fcn inspect --json` shape (issue 3), which the
 * human output, the nets/README generator and `fcn viz` all read. Names are absolute (block
 * and import prefixes joined by '.'), pairs are [H, W], and `stride`, `rf` and `padding` are
 * relative to the net's first image input; exact rationals become numbers (0.5 stays 0.5).
 */
import type { IRNode } from '../ir/types.js';
import type { Pair } from '../layers/types.js';
import type { Analysis } from './analyze.js';
import type { Rational } from './rational.js';

export interface BlobReport {
  name: string;
  /** The layer that produces the blob (the blob's own name; inputs name themselves). */
  layer: string;
  /** Layer type, or 'input'. */
  type: string;
  inputs: string[];
  /** [C, H, W] (H, W null without an input size), or [] for a scalar. */
  shape: (number | null)[];
  stride: Pair | null;
  rf: Pair | null;
  padding: Pair | null;
  params: number | null;
  flops: number | null;
  /** Bytes of the blob as float32. */
  memory: number | null;
  /** For a crop: the offset it applies. */
  offset?: Pair;
}

export interface CropReport {
  name: string;
  input: string;
  reference: string;
  /** The offset the layer applies (written or inferred), null if neither. */
  offset: Pair | null;
  /** The offset the coordinate maps give, null if they give none. */
  inferred: Pair | null;
  /** The offset written in the file, if any. */
  written?: Pair;
  /** The blob both paths meet at, when there is one. */
  ancestor?: string;
  inline: boolean;
}

export interface BranchReport {
  blob: string;
  crop?: { of: string; offset: Pair | null };
  source: string;
  from?: { name: string; factor: number };
}

export interface RungReport {
  name: string;
  kind: 'fusion' | 'crop';
  stride: Pair | null;
  branches: BranchReport[];
  reference?: string;
}

export interface InspectReport {
  net: string;
  file: string;
  /** The input size analysed, if any. */
  input: Pair | null;
  /** What stride, rf and padding are relative to. */
  relativeTo: string | null;
  inputs: Array<{ name: string; kind: 'image' | 'label'; shape: (number | null)[] }>;
  blobs: BlobReport[];
  crops: CropReport[];
  params: number | null;
  flops: number | null;
  memory: number | null;
  /** Smallest input size [h, w] every layer survives (null per axis: none up to the search limit). */
  minInput: [number | null, number | null];
  ladder: RungReport[];
}

/** Whether a node is a crop written inline as `crop(x)`. */
const isInline = (node: IRNode) => node.op !== 'input' && node.inline === true;

const numbers = (pair: [Rational, Rational]): Pair => [pair[0].toNumber(), pair[1].toNumber()];

/** Builds the report of an analysis. */
export function buildReport(a: Analysis): InspectReport {
  const { ir } = a;
  const name = (id: number) => ir.nodes[id]!.name;
  const primary = a.primaryInput;
  const field = (id: number) => (primary === undefined ? undefined : a.fields[id]!.get(primary));
  const blobs = ir.nodes.map((node): BlobReport => {
    const f = field(node.id);
    const cost = a.cost.nodes[node.id]!;
    const offset = a.crops.offsets.get(node.id);
    return {
      name: node.name,
      layer: node.name,
      type: node.op,
      inputs: node.inputs.map(name),
      shape: a.shapes.shapes[node.id]!,
      stride: f ? numbers([f[0].stride, f[1].stride]) : null,
      rf: f ? numbers([f[0].rf, f[1].rf]) : null,
      padding: f ? numbers([f[0].padding, f[1].padding]) : null,
      ...cost,
      ...(offset ? { offset } : {}),
    };
  });
  const crops = a.crops.crops.map((c): CropReport => ({
    name: name(c.node),
    input: name(c.input),
    reference: name(c.reference),
    offset: c.offset ?? null,
    inferred: c.inferred ?? null,
    ...(c.explicit ? { written: c.explicit } : {}),
    ...(c.relation?.kind === 'related' ? { ancestor: name(c.relation.ancestor) } : {}),
    inline: isInline(ir.nodes[c.node]!),
  }));
  const ladder = a.ladder.map((r): RungReport => ({
    name: name(r.node),
    kind: r.kind,
    stride: r.stride ? numbers(r.stride) : null,
    branches: r.branches.map((b) => ({
      blob: name(b.blob),
      ...(b.crop ? { crop: { of: name(b.crop.of), offset: b.crop.offset ?? null } } : {}),
      source: name(b.source),
      ...(b.from ? { from: { name: name(b.from.node), factor: b.from.factor.toNumber() } } : {}),
    })),
    ...(r.reference !== undefined ? { reference: name(r.reference) } : {}),
  }));
  return {
    net: ir.name,
    file: ir.file,
    input: a.shapes.input,
    relativeTo: primary === undefined ? null : name(primary),
    inputs: ir.inputs.map((id) => {
      const n = ir.nodes[id]!;
      return { name: n.name, kind: n.op === 'input' ? n.input.kind : 'image', shape: a.shapes.shapes[id]! };
    }),
    blobs,
    crops,
    ...a.cost.total,
    minInput: a.shapes.minInput,
    ladder,
  };
}
