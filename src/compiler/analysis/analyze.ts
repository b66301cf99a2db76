/**
 * The analysing compiler's driver: runs every pass over the IR in dependency order
 * (crop offsets → shapes → receptive fields → cost → ladder → checks) and bundles the
 * results with all their diagnostics.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { IRGraph } from '../ir/types.js';
import type { Pair } from '../layers/types.js';
import { runChecks } from './checks/index.js';
import { computeCost, type CostAnalysis } from './cost.js';
import { inferCrops, type CropAnalysis } from './crops.js';
import { strideLadder, type Rung } from './ladder.js';
import { receptiveFields, type Field, type ReceptiveAnalysis } from './receptive.js';
import { inferShapes, type ShapeAnalysis } from './shapes.js';
import { primaryInput } from './spatial.js';

export interface AnalyzeOptions {
  /** Input size [h, w] for every input; defaults to the sizes the file declares. */
  input?: Pair;
}

export interface Analysis {
  ir: IRGraph;
  /** The input every `stride`, `rf` and `padding` below is relative to by default. */
  primaryInput: number | undefined;
  crops: CropAnalysis;
  shapes: ShapeAnalysis;
  fields: ReceptiveAnalysis;
  cost: CostAnalysis;
  ladder: Rung[];
  /** Every pass's diagnostics, in pass order. */
  diagnostics: Diagnostic[];
}

/** Analyses a graph: crop offsets, shapes, receptive fields, cost, the stride ladder and the checks. */
export function analyze(ir: IRGraph, options: AnalyzeOptions = {}): Analysis {
  const crops = inferCrops(ir);
  const shapes = inferShapes(ir, crops.offsets, options.input);
  const fields = receptiveFields(ir, crops.offsets);
  const cost = computeCost(ir, shapes.shapes, shapes.channels);
  const ladder = strideLadder(ir, fields, crops);
  const checks = runChecks({ ir, channels: shapes.channels, fields });
  return {
    ir,
    primaryInput: primaryInput(ir),
    crops,
    shapes,
    fields,
    cost,
    ladder,
    diagnostics: [...crops.diagnostics, ...shapes.diagnostics, ...checks],
  };
}

/** A blob's field relative to an input (the primary input by default), if it depends on it spatially. */
export function fieldOf(analysis: Analysis, blob: string | number, input?: string | number): Field | undefined {
  const id = (x: string | number) => (typeof x === 'number' ? x : analysis.ir.byName.get(x));
  const b = id(blob);
  const i = input === undefined ? analysis.primaryInput : id(input);
  return b === undefined || i === undefined ? undefined : analysis.fields[b]?.get(i);
}
