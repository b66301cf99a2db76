/**
 * Scoring a model on a dataset split: each image through the net (inference mode), the
 * argmax of its scores against the label, accumulated in one confusion matrix with the
 * reference scoring (src/eval). Training's periodic validation, `fcn eval RUN` and the demo
 * all score through here, so they agree to the pixel. A net whose scores are smaller than its
 * input (U-Net's valid convolutions) is scored as it trains: against the label's window at the
 * offset its loss's `crop(label)` computed, never a resized label.
 */
import * as tf from '@tensorflow/tfjs';
import { cropOrPad, preprocessingOf } from '../data/preprocess.js';
import { VOID_LABEL } from '../data/colormap.js';
import type { VocDataset, Sample } from '../data/index.js';
import type { LabelMap } from '../data/labels.js';
import type { Pair } from '../compiler/layers/types.js';
import { UserError } from '../diagnostics/index.js';
import { Confusion, computeMetrics, type EvalResult } from '../eval/index.js';
import { NetSizes, scoreOffset, scoreOutput, type ModelInfo } from '../runtime/index.js';

/** How many same-size images go through the net at once (bounds memory; VOC sizes vary anyway). */
const EVAL_BATCH = 16;

/** The net's input name, checked: scoring feeds one image input. */
function imageInput(info: ModelInfo): ModelInfo['inputs'][number] {
  if (info.inputs.length !== 1)
    throw new Error(`net ${info.net} has ${info.inputs.length} image inputs; scoring feeds one`);
  return info.inputs[0]!;
}

/** Label maps (argmax over classes, of the scores' size) of a batch of same-size samples. */
export function predictLabels(model: tf.LayersModel, info: ModelInfo, samples: readonly Sample[]): LabelMap[] {
  const { height, width, channels } = samples[0]!;
  const images = new Float32Array(samples.length * height * width * channels);
  samples.forEach((s, i) => images.set(s.image, i * s.image.length));
  const index = info.outputs.indexOf(scoreOutput(info));
  const [labels, h, w] = tf.tidy(() => {
    const out = model.predict(tf.tensor4d(images, [samples.length, height, width, channels]));
    const scores = (Array.isArray(out) ? out[index]! : out) as tf.Tensor4D;
    const [, h, w] = scores.shape;
    return [tf.argMax(scores, -1).dataSync() as Int32Array, h, w] as const;
  });
  const size = h * w;
  return samples.map((_, i) => ({
    width: w,
    height: h,
    data: Uint8Array.from(labels.subarray(i * size, (i + 1) * size)),
  }));
}

/** Label maps of a batch of same-size samples, from another engine than the tfjs model (ONNX Runtime). */
export type Labeler = (samples: readonly Sample[]) => Promise<LabelMap[]>;

/**
 * The ground truth a prediction is scored against: the sample's whole label when the scores
 * have the input's size, else its window under the scores at `offset` (pixels the label does
 * not cover count as void). Scores of another size without an offset are a user error.
 */
export function labelUnder(sample: Sample, pred: LabelMap, offset: Pair | undefined, net: string): Uint8Array {
  const { height, width } = sample;
  if (pred.height === height && pred.width === width) return sample.label;
  if (!offset)
    throw new UserError(
      `net ${net}'s scores are ${pred.height}x${pred.width} for a ${height}x${width} input and its loss does not ` +
        `crop the label (crop(label)), so fcn cannot tell which label pixels they cover`,
    );
  return cropOrPad(sample.label, height, width, 1, offset[0], offset[1], pred.height, pred.width, VOID_LABEL);
}

/** Scores `model` (or `labeler`, when given) on every image of `dataset`; `onImage` hears how many are done. */
export async function evaluateModel(
  model: tf.LayersModel | undefined,
  info: ModelInfo,
  dataset: VocDataset,
  onImage?: (done: number) => void,
  labeler?: Labeler,
): Promise<EvalResult> {
  const input = imageInput(info);
  const sizes = NetSizes.fromModel(info);
  const preprocess = preprocessingOf(input);
  const confusion = new Confusion(info.classes);
  const offset = scoreOffset(info);
  let done = 0;
  let group: Sample[] = [];
  const flush = async (): Promise<void> => {
    if (!group.length) return;
    const labels = labeler ? await labeler(group) : predictLabels(model!, info, group);
    labels.forEach((pred, i) =>
      confusion.add(labelUnder(group[i]!, pred, offset, info.net), pred.data, dataset.labelPath(group[i]!.id)),
    );
    done += group.length;
    group = [];
    onImage?.(done);
  };
  for (const id of dataset.ids) {
    const sample = await dataset.sample(id, preprocess);
    sizes?.check([sample.height, sample.width], dataset.imagePath(id));
    const first = group[0];
    if (first && (first.height !== sample.height || first.width !== sample.width)) await flush();
    group.push(sample);
    if (group.length === EVAL_BATCH) await flush();
  }
  await flush();
  return { images: dataset.length, confusion, metrics: computeMetrics(confusion) };
}
