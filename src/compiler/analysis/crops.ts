/**
 * Infers every crop's offset from the coordinate maps, as Caffe's net generator did with
 * `coord_map.crop`: relate the cropped blob to the reference through their common ancestor;
 * the scale must be 1 and the offset (−b) a non-negative integer. Crops are analysed in
 * topological order, so a crop of an already-cropped blob composes with the earlier offset.
 * An explicit offset is what the layer applies; it is checked against the inferred one.
 */
import { error, warning, type Diagnostic, type RelatedNote } from '../../diagnostics/index.js';
import type { IRGraph, IRNode } from '../ir/types.js';
import type { Pair } from '../layers/types.js';
import { describeReach, describeTrace, relate, type Related, type Unrelated } from './coordmap.js';
import { formatPair } from './format.js';
import { Rational } from './rational.js';
import { originNotes } from './spans.js';

export type CropFailure = 'scale-mismatch' | 'negative-offset' | 'fractional-offset' | 'no-spatial-path';

export interface CropInfo {
  /** The crop node. */
  node: number;
  /** The cropped blob (bottom 0). */
  input: number;
  /** The blob whose size it takes (bottom 1). */
  reference: number;
  /** The offset written in the file. */
  explicit?: Pair;
  /** The offset the coordinate maps give, when they give a valid one. */
  inferred?: Pair;
  /** The offset the layer applies: the explicit one if written, else the inferred one. */
  offset?: Pair;
  /** Which rule failed, when inference failed. */
  failure?: CropFailure;
  /** The derivation (common ancestor, both paths, `reference = a·input + b`), for explanations. */
  relation?: Related | Unrelated;
}

export interface CropAnalysis {
  crops: CropInfo[];
  /** Effective offset by crop node id (absent when unknown). */
  offsets: Map<number, Pair>;
  diagnostics: Diagnostic[];
}

/** Infers and checks the offset of every crop in the graph. */
export function inferCrops(ir: IRGraph): CropAnalysis {
  const offsets = new Map<number, Pair>();
  const crops: CropInfo[] = [];
  const diagnostics: Diagnostic[] = [];
  const lookup = (id: number) => offsets.get(id);

  for (const node of ir.nodes) {
    if (node.op !== 'crop') continue;
    const [input, reference] = node.inputs;
    // The resolver always gives a crop its reference (`like:` or the inline crop's partner).
    if (input === undefined || reference === undefined)
      throw new Error(`inferCrops: crop '${node.name}' lacks a reference`);
    const info: CropInfo = {
      node: node.id,
      input,
      reference,
      ...(node.params.offset ? { explicit: node.params.offset } : {}),
    };
    const relation = relate(ir, input, reference, lookup);
    info.relation = relation;
    const names = { input: ir.nodes[input]!.name, reference: ir.nodes[reference]!.name };

    if (relation.kind === 'unrelated') {
      // A path blocked by an earlier crop that failed is already reported there.
      const blocked = [...relation.from.stops, ...relation.to.stops].some((s) => s.reason === 'unresolved-crop');
      info.failure = 'no-spatial-path';
      const notes = [describeReach(ir, input, relation.from), describeReach(ir, reference, relation.to)].map(
        (message) => ({ message }),
      );
      if (info.explicit) {
        const message = `crop '${node.name}' has offset ${formatPair(info.explicit)}, which cannot be checked: no spatial path connects '${names.input}' and '${names.reference}'`;
        diagnostics.push(
          warning('crop-offset-unchecked', message, node.origin.span, { notes: [...notes, ...originNotes(node)] }),
        );
      } else if (!blocked) {
        diagnostics.push(
          cropError(node, 'crop-no-spatial-path', `${cannotAlign(node, names)}: no spatial path connects them`, notes),
        );
      }
    } else {
      const notes = [{ message: describeTrace(ir, relation.from) }, { message: describeTrace(ir, relation.to) }];
      const failed = checkOffset(node, relation, names, notes);
      if (failed) {
        info.failure = failed.failure;
        diagnostics.push(failed.diagnostic);
      } else {
        info.inferred = relation.map.map(({ b }) => b.neg().toNumber()) as Pair;
        if (info.explicit && (info.explicit[0] !== info.inferred[0] || info.explicit[1] !== info.inferred[1])) {
          const message = `crop '${node.name}' has offset ${formatPair(info.explicit)}, but the inferred offset is ${formatPair(info.inferred)}`;
          const help = `remove 'offset' to use the inferred offset`;
          diagnostics.push(
            warning('crop-offset-mismatch', message, node.origin.span, {
              help,
              notes: [...notes, ...originNotes(node)],
            }),
          );
        }
      }
    }

    info.offset = info.explicit ?? info.inferred;
    if (info.offset) offsets.set(node.id, info.offset);
    crops.push(info);
  }
  return { crops, offsets, diagnostics };
}

function cannotAlign(node: IRNode, names: { input: string; reference: string }): string {
  return `crop '${node.name}' cannot align '${names.input}' to '${names.reference}'`;
}

function cropError(node: IRNode, code: string, message: string, notes: RelatedNote[]): Diagnostic {
  return error(code, message, node.origin.span, { notes: [...notes, ...originNotes(node)] });
}

/** Applies the three rules in Caffe's order: scale 1, offset ≥ 0, offset integral. */
function checkOffset(
  node: IRNode,
  relation: Related,
  names: { input: string; reference: string },
  notes: RelatedNote[],
): { failure: CropFailure; diagnostic: Diagnostic } | undefined {
  const what = cannotAlign(node, names);
  const scales = relation.map.map(({ a }) => a) as [Rational, Rational];
  if (scales.some((a) => !a.equals(1))) {
    // `reference = a·input + b`: one input pixel spans `a` reference pixels.
    const message = `${what}: scale mismatch, one pixel of '${names.input}' spans ${formatPair(scales)} pixels of '${names.reference}' (it must span exactly 1)`;
    return { failure: 'scale-mismatch', diagnostic: cropError(node, 'crop-scale-mismatch', message, notes) };
  }
  const offset = relation.map.map(({ b }) => b.neg()) as [Rational, Rational];
  if (offset.some((o) => o.sign() < 0)) {
    const message = `${what}: the offset would be ${formatPair(offset)}, and an offset must not be negative`;
    return { failure: 'negative-offset', diagnostic: cropError(node, 'crop-negative-offset', message, notes) };
  }
  if (offset.some((o) => !o.isInteger())) {
    const message = `${what}: the offset would be ${formatPair(offset)}, and an offset must be a whole number`;
    return { failure: 'fractional-offset', diagnostic: cropError(node, 'crop-fractional-offset', message, notes) };
  }
  return undefined;
}
