/**
 * Scoring a trained model on a dataset split, as `fcn eval RUN --data DIR` does: RUN is a
 * training run (its final model, or its last checkpoint if it never finished) or a model
 * directory; the scores come with the class names the dataset gives.
 */
import type { EvalResult } from '../eval/index.js';
import { loadModel } from '../runtime/index.js';
import { evaluateModel } from './evaluate.js';
import { resolveModelDir } from './run-dir.js';
import { classNamesFor, openSplit } from './session.js';

export interface ScoredRun {
  result: EvalResult;
  /** The class names, when the dataset gives them (synth.json, or VOC's 21). */
  names?: readonly string[];
  /** Which model of the run was scored, when that needs saying (a checkpoint of an unfinished run). */
  note?: string;
}

/** Scores the model of a run or model directory on `split` of the VOC-layout dataset `data`; `onImage` hears each image. */
export async function scoreRun(
  path: string,
  data: string,
  split: string,
  onImage?: (done: number, total: number) => void,
): Promise<ScoredRun> {
  const { dir, note } = resolveModelDir(path);
  const loaded = await loadModel(dir);
  try {
    const dataset = await openSplit(data, split, loaded.info.classes);
    const result = await evaluateModel(loaded.model, loaded.info, dataset, (done) => onImage?.(done, dataset.length));
    const names = await classNamesFor(data, loaded.info.classes);
    return { result, ...(names ? { names } : {}), ...(note ? { note } : {}) };
  } finally {
    loaded.model.dispose();
  }
}
