/**
 * Scoring a trained model on a dataset split, as `fcn eval RUN --data DIR` does: RUN is a
 * training run (its final model, or its last checkpoint if it never finished) or a model
 * directory; the scores come with the class names the dataset gives.
 */
import type { EvalResult } from '../eval/index.js';
import { loadModel, readModelInfo } from '../runtime/index.js';
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

export interface ScoreRunOptions {
  /** Hears `(done, total)` after each image. */
  onImage?: (done: number, total: number) => void;
  /** `onnx` runs the exported net in ONNX Runtime (runtime/onnx-engine.ts); default the tfjs model. */
  engine?: 'tfjs' | 'onnx';
}

/** Scores the model of a run or model directory on `split` of the VOC-layout dataset `data`. */
export async function scoreRun(
  path: string,
  data: string,
  split: string,
  options: ScoreRunOptions = {},
): Promise<ScoredRun> {
  const { dir, note } = resolveModelDir(path);
  const info = await readModelInfo(dir);
  const engine =
    options.engine === 'onnx'
      ? await (await import('../runtime/onnx-engine.js')).OnnxEngine.open(dir, info)
      : undefined;
  const loaded = engine ? undefined : await loadModel(dir);
  try {
    const dataset = await openSplit(data, split, info.classes);
    const labeler = engine
      ? (samples: readonly { image: Float32Array; height: number; width: number; channels: number }[]) => {
          const { height, width, channels } = samples[0]!;
          const images = new Float32Array(samples.length * height * width * channels);
          samples.forEach((s, i) => images.set(s.image, i * s.image.length));
          return engine.labels(images, samples.length, height, width, channels);
        }
      : undefined;
    const result = await evaluateModel(
      loaded?.model,
      info,
      dataset,
      (done) => options.onImage?.(done, dataset.length),
      labeler,
    );
    const names = await classNamesFor(data, info.classes);
    return { result, ...(names ? { names } : {}), ...(note ? { note } : {}) };
  } finally {
    loaded?.model.dispose();
    await engine?.release();
  }
}
