/**
 * Scoring a model on a dataset split: each image through the net (inference mode), the
 * argmax of its scores against the label, accumulated in one confusion matrix with the
 * reference scoring (src/eval). Training's periodic validation, `fcn eval RUN` and the demo
 * all score through here, so they agree to the pixel.
 */
import * as tf from '@tensorflow/tfjs';
import { preprocessingOf } from '../data/preprocess.js';
import type { VocDataset, Sample } from '../data/index.js';
import { Confusion, computeMetrics, type EvalResult } from '../eval/index.js';
import { NetSizes, scoreOutput, type ModelInfo } from '../runtime/index.js';

/** How many same-size images go through the net at once (bounds memory; VOC sizes vary anyway). */
const EVAL_BATCH = 16;

/** The net's input name, checked: scoring feeds one image input. */
function imageInput(info: ModelInfo): ModelInfo['inputs'][number] {
  if (info.inputs.length !== 1)
    throw new Error(`net ${info.net} has ${info.inputs.length} image inputs; scoring feeds one`);
  return info.inputs[0]!;
}

/** Label maps (argmax over classes) of a batch of same-size samples. */
export function predictLabels(model: tf.LayersModel, info: ModelInfo, samples: readonly Sample[]): Uint8Array[] {
  const { height, width, channels } = samples[0]!;
  const images = new Float32Array(samples.length * height * width * channels);
  samples.forEach((s, i) => images.set(s.image, i * s.image.length));
  const index = info.outputs.indexOf(scoreOutput(info));
  const labels = tf.tidy(() => {
    const out = model.predict(tf.tensor4d(images, [samples.length, height, width, channels]));
    const scores = (Array.isArray(out) ? out[index]! : out) as tf.Tensor4D;
    const [, h, w] = scores.shape;
    if (h !== height || w !== width)
      throw new Error(
        `the net's scores are ${h}x${w} for a ${height}x${width} input; a segmentation net must crop to its input`,
      );
    return tf.argMax(scores, -1).dataSync() as Int32Array;
  });
  const size = height * width;
  return samples.map((_, i) => Uint8Array.from(labels.subarray(i * size, (i + 1) * size)));
}

/** Label maps of a batch of same-size samples, from another engine than the tfjs model (ONNX Runtime). */
export type Labeler = (samples: readonly Sample[]) => Promise<Uint8Array[]>;

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
  let done = 0;
  let group: Sample[] = [];
  const flush = async (): Promise<void> => {
    if (!group.length) return;
    const labels = labeler ? await labeler(group) : predictLabels(model!, info, group);
    labels.forEach((pred, i) => confusion.add(group[i]!.label, pred, dataset.labelPath(group[i]!.id)));
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
