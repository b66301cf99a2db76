/**
 * From a .fcn file to a model: the front end (resolve → IR → analysis) with its errors turned
 * into a UserError carrying the diagnostics, then the emitter with the analysis's crop offsets.
 * Shared by `fcn compile`, `fcn bench`, training and the benchmark scripts.
 */
import type { Analysis } from '../compiler/analysis/index.js';
import { compileOrThrow } from '../compiler/compile.js';
import type { IRGraph } from '../compiler/ir/types.js';
import type { Pair } from '../compiler/layers/types.js';
import { emitModel, type EmittedModel } from './emit.js';

export interface NetOptions {
  /** Which net of the file (default: its last). */
  net?: string;
  /** Input size [h, w]: fixes the model's input and sizes the analysis (FLOPs). */
  input?: Pair;
}

/** Compiles a .fcn file to its IR and analysis; errors become a UserError with their diagnostics. */
export function analyzeNet(file: string, options: NetOptions = {}): { ir: IRGraph; analysis: Analysis } {
  return compileOrThrow(file, {
    ...(options.net ? { net: options.net } : {}),
    ...(options.input ? { input: options.input } : {}),
  });
}

/** Compiles and emits a .fcn file's net, initialised with `seed`. */
export function emitNet(
  file: string,
  options: NetOptions & { seed?: number; init?: boolean } = {},
): EmittedModel & { analysis: Analysis } {
  const { ir, analysis } = analyzeNet(file, options);
  const emitted = emitModel(ir, {
    offsets: analysis.crops.offsets,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.input ? { inputSize: options.input } : {}),
    ...(options.init !== undefined ? { init: options.init } : {}),
  });
  return { ...emitted, analysis };
}
