/**
 * The skip architecture as a "stride ladder": every fusion (sum, concat) of branches from
 * different sources, and every crop that is not a fusion's own input, with the stride it works at and, for each incoming branch,
 * where the branch comes from (the layer that set its stride: a pool tapping the trunk, or a
 * deconv upsampling a coarser blob). `fcn inspect` prints it; `fcn viz` draws it.
 */
import type { IRGraph } from '../ir/types.js';
import type { Pair } from '../layers/types.js';
import type { CropAnalysis } from './crops.js';
import { layerDef } from '../layers/registry.js';
import { Rational } from './rational.js';
import type { ReceptiveAnalysis } from './receptive.js';
import { primaryInput, spatialInputs } from './spatial.js';

/** One input of a rung. */
export interface Branch {
  /** The blob read by the rung. */
  blob: number;
  /** When that blob is a crop: which blob it crops, by which offset. */
  crop?: { node: number; of: number; offset?: Pair };
  /** The layer that set the branch's stride (walking back at equal stride), or an input. */
  source: number;
  /** The source's own input when the source changes the stride, and the factor (2 = ×2 upsampling, 1/2 = 2×2 pooling). */
  from?: { node: number; factor: Rational };
}

export interface Rung {
  node: number;
  kind: 'fusion' | 'crop';
  /** Stride relative to the primary input, per axis (null if the rung does not depend on it). */
  stride: [Rational, Rational] | null;
  branches: Branch[];
  /** For a crop rung: the reference blob. */
  reference?: number;
}

/** The stride ladder, in topological order. */
export function strideLadder(ir: IRGraph, fields: ReceptiveAnalysis, crops: CropAnalysis): Rung[] {
  const primary = primaryInput(ir);
  const strideOf = (id: number) => {
    const f = primary === undefined ? undefined : fields[id]!.get(primary);
    return f ? ([f[0].stride, f[1].stride] as [Rational, Rational]) : null;
  };
  const sameStride = (a: number, b: number) => {
    const [x, y] = [strideOf(a), strideOf(b)];
    return x !== null && y !== null && x[0].equals(y[0]) && x[1].equals(y[1]);
  };
  const isFusion = (id: number) => {
    const n = ir.nodes[id]!;
    return n.op !== 'input' && layerDef(n.op).fusion === true && n.inputs.length > 1;
  };

  const branch = (blob: number): Branch => {
    const node = ir.nodes[blob]!;
    const crop = node.op === 'crop' ? { node: blob, of: node.inputs[0]!, offset: crops.offsets.get(blob) } : undefined;
    let source = crop ? crop.of : blob;
    for (;;) {
      const parents = spatialInputs(ir.nodes[source]!);
      if (parents.length !== 1 || isFusion(source)) return { blob, crop, source };
      const parent = parents[0]!;
      if (!sameStride(source, parent)) {
        const [s, p] = [strideOf(source), strideOf(parent)];
        const factor = s && p ? p[0].div(s[0]) : Rational.ONE;
        return { blob, crop, source, from: { node: parent, factor } };
      }
      source = parent;
    }
  };

  const rungs: Rung[] = [];
  for (const node of ir.nodes) {
    if (isFusion(node.id)) {
      const branches = node.inputs.map(branch);
      // Parallel branches off one blob (an inception module) are not a skip: they fuse nothing new.
      if (branches.some((b) => b.source !== branches[0]!.source)) {
        rungs.push({ node: node.id, kind: 'fusion', stride: strideOf(node.id), branches });
      }
    } else if (node.op === 'crop') {
      const readers = ir.consumers[node.id]!;
      if (readers.length > 0 && readers.every(isFusion)) continue;
      rungs.push({
        node: node.id,
        kind: 'crop',
        stride: strideOf(node.id),
        branches: [branch(node.id)],
        reference: node.inputs[1],
      });
    }
  }
  return rungs;
}
