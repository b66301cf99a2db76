/**
 * Inference on one input: the score map [C, H, W] and the label map (argmax over classes).
 * Images get the net's declared preprocessing (channel order, mean) from src/data; a raw
 * [C, H, W] float array (from .npy) is fed exactly as it is.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../diagnostics/index.js';
import type { LabelMap } from '../data/labels.js';
import { toNetInput } from '../data/preprocess.js';
import type { RgbImage } from '../data/image.js';
import { scoreOutput, type ModelInfo } from './info.js';

export interface Prediction {
  /** Scores [C, H, W], C-order, as the .npy `--scores` file holds them. */
  scores: Float32Array;
  shape: [number, number, number];
  /** Class per pixel (argmax over C, first maximum wins). */
  labels: LabelMap;
}

/** An image as the net's NHWC input (order and mean applied). */
export function imageToInput(image: RgbImage, info: ModelInfo): tf.Tensor4D {
  const input = singleInput(info);
  if (input.channels !== 3)
    throw new UserError(
      `the net's input ${input.name} has ${input.channels} channels; an image has 3 (feed a .npy instead)`,
    );
  return tf.tensor4d(toNetInput(image, input), [1, image.height, image.width, 3]);
}

/** A [C, H, W] array as the net's NHWC input, untouched. */
export function chwToInput(data: Float32Array, shape: number[], info: ModelInfo, file: string): tf.Tensor4D {
  const input = singleInput(info);
  if (shape.length !== 3) throw new UserError(`${file}: expected a [C, H, W] array, got shape [${shape}]`);
  const [c, h, w] = shape as [number, number, number];
  if (c !== input.channels)
    throw new UserError(`${file}: has ${c} channels, the net's input ${input.name} takes ${input.channels}`);
  return tf.tidy(() => tf.transpose(tf.tensor3d(data, [c, h, w]), [1, 2, 0]).expandDims(0) as tf.Tensor4D);
}

function singleInput(info: ModelInfo): ModelInfo['inputs'][number] {
  if (info.inputs.length !== 1) {
    throw new UserError(
      `net ${info.net} has ${info.inputs.length} image inputs (${info.inputs.map((i) => i.name).join(', ')}); predict feeds one`,
    );
  }
  return info.inputs[0]!;
}

/** Runs the model on one NHWC input and reads the score output. */
export function predict(model: tf.LayersModel, info: ModelInfo, input: tf.Tensor4D): Prediction {
  const index = info.outputs.indexOf(scoreOutput(info));
  const [scores, labels, shape] = tf.tidy(() => {
    const out = model.predict(input);
    const s = (Array.isArray(out) ? out[index]! : out) as tf.Tensor4D;
    const [, h, w, c] = s.shape;
    const chw = tf.transpose(s.squeeze([0]), [2, 0, 1]);
    return [
      chw.dataSync() as Float32Array,
      tf.argMax(s, -1).dataSync() as Int32Array,
      [c, h, w] as [number, number, number],
    ];
  });
  const [c, h, w] = shape;
  if (c > 256) throw new UserError(`the score map has ${c} classes; a label PNG holds at most 256`);
  return { scores, shape: [c, h, w], labels: { width: w, height: h, data: Uint8Array.from(labels) } };
}
