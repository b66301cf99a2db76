/**
 * Which engine runs inference when none is named: ONNX Runtime when onnxruntime-node is
 * installed and the recorded measurement (bench/onnx.ts; README "Measured") found it faster
 * than the tfjs backend that would run, else tfjs. Decided from this record, never by timing
 * at each run, so a command's engine does not depend on the machine's load.
 */
import { UserError } from '../diagnostics/index.js';
import type { BackendName } from './backend.js';

export type EngineName = 'tfjs' | 'onnx';
export const ENGINES: readonly EngineName[] = ['tfjs', 'onnx'];

/**
 * The tfjs backends the ONNX engine was measured faster than on a forward pass, in CPU time per
 * pass (bench/onnx.ts, voc-fcn8s and tiny-fcn8s at 500x500, 2-core AMD EPYC under a load of
 * 12-20, where wall times say more about the other jobs; README "Measured"). node and node-gpu
 * (TensorFlow's own kernels, CUDA on a GPU) were not measured and keep tfjs.
 */
export const ONNX_FASTER_THAN: readonly BackendName[] = ['native', 'wasm', 'cpu'];

/** The engine for a run: the named one, else by the record (the ONNX engine only where installed). */
export function chooseEngine(named: EngineName | undefined, backend: BackendName, onnxInstalled: boolean): EngineName {
  if (named) return named;
  return onnxInstalled && ONNX_FASTER_THAN.includes(backend) ? 'onnx' : 'tfjs';
}

/**
 * The engine a command runs, from its --engine option: checked, then chosen by the record. A
 * named --backend (or FCN_BACKEND) pins tfjs unless --engine onnx is given too.
 */
export async function pickEngine(
  option: string | undefined,
  backend: BackendName,
  backendNamed: boolean,
): Promise<EngineName> {
  const named = option as EngineName | undefined;
  if (named !== undefined && !ENGINES.includes(named))
    throw new UserError(`--engine must be ${ENGINES.join(' or ')}, got '${option}'`, 2);
  if (named === undefined && (backendNamed || process.env['FCN_BACKEND'] !== undefined)) return 'tfjs';
  const { loadOrt } = await import('./onnx-engine.js');
  return chooseEngine(named, backend, (await loadOrt()) !== undefined);
}
