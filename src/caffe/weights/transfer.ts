/**
 * `fcn import-weights` and `fcn transplant` as one library call: open the source (a
 * caffemodel, an fcn model directory, or the .npz of an exported PyTorch package), fill the .fcn net's parameters from it (import:
 * by name; transplant: net surgery), and write the model directory. Nothing is computed, so
 * it runs on the cpu backend, whose zero tensors are never touched and cost no memory.
 */
import { checkModelOutput } from '../output-guard.js';
import type { ApplyResult } from './apply.js';
import { isDirectory } from '../../util/output.js';

export interface TransferOptions {
  /** `import` matches a caffemodel of the same net; `transplant` casts a classifier into an FCN. */
  mode: 'import' | 'transplant';
  /** Seed of the initialisers of the parameters the source lacks. */
  seed: number;
  /** Which net of the .fcn file (default its last). */
  netName?: string;
}

/** Fills `net`'s parameters from `source` and writes the model directory `output`; returns what was matched, cast, dropped and initialised. */
export async function transferWeights(
  source: string,
  net: string,
  output: string,
  options: TransferOptions,
): Promise<ApplyResult> {
  checkModelOutput(output);
  const { selectBackend } = await import('../../runtime/index.js');
  const tf = await import('@tensorflow/tfjs');
  // Production mode: no debug checks, and no banner urging a faster backend on stderr.
  tf.enableProdMode();
  await selectBackend('cpu');
  const { caffemodelSource } = await import('./caffemodel-source.js');
  const { modelDirSource } = await import('./model-dir-source.js');
  const { applyWeights } = await import('./apply.js');
  const { npzSource } = await import('./npz-source.js');
  const params = isDirectory(source)
    ? modelDirSource(source)
    : source.toLowerCase().endsWith('.npz')
      ? npzSource(source)
      : caffemodelSource(source);
  try {
    return await applyWeights(params, {
      net,
      output,
      mode: options.mode,
      seed: options.seed,
      ...(options.netName ? { netName: options.netName } : {}),
    });
  } finally {
    params.close();
  }
}
