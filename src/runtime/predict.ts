/**
 * Inference on one input: the score map [C, H, W] and the label map (argmax over classes).
 * Images get the net's declared preprocessing (channel order, mean) from src/data; a raw
 * [C, H, W] float array (from .npy) is fed exactly as it is.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../diagnostics/index.js';
import type { LabelMap } from '../data/labels.js';
import { imageChannels, preprocessingOf, toNetInput } from '../data/preprocess.js';
import type { RgbImage } from '../data/image.js';
import { scoreOutput, type ModelInfo } from './info.js';
import type { Pair } from '../compiler/layers/types.js';
import { VOID_LABEL } from '../data/colormap.js';

export interface Prediction {
  /** Scores [C, H, W], C-order, as the .npy `--scores` file holds them: the net's output, whatever its size. */
  scores: Float32Array;
  shape: [number, number, number];
  /** Class per pixel (argmax over C, first maximum wins), in the input's frame (see {@link inInputFrame}). */
  labels: LabelMap;
  /** Where the scores' top-left pixel sits in the input, when they are smaller than it (U-Net's valid convolutions). */
  offset?: Pair;
}

/**
 * A prediction whose scores are smaller than the input, with its label map placed in the
 * input's frame: score pixel (y, x) labels input pixel (y + offset[0], x + offset[1]), the
 * offset being the one the net's `crop(label)` computed, and the border the scores do not
 * reach is void (255), so the label PNG lines up with the image and its ground truth. A
 * prediction of the input's size, or of another size with no label crop to place it by (a
 * fixed-size inner-product head), is returned as it is: the labels at the scores' own size.
 */
export function inInputFrame(prediction: Prediction, size: Pair, offset: Pair | undefined, net: string): Prediction {
  const { labels } = prediction;
  if ((labels.height === size[0] && labels.width === size[1]) || !offset) return prediction;
  const scores = `net ${net}'s scores are ${labels.height}x${labels.width} for a ${size[0]}x${size[1]} input`;
  if (offset[0] + labels.height > size[0] || offset[1] + labels.width > size[1])
    throw new Error(`${scores}: at the label crop's offset ${offset[0]}, ${offset[1]} they overrun it`);
  const data = new Uint8Array(size[0] * size[1]).fill(VOID_LABEL);
  for (let y = 0; y < labels.height; y++)
    data.set(labels.data.subarray(y * labels.width, (y + 1) * labels.width), (y + offset[0]) * size[1] + offset[1]);
  return { ...prediction, labels: { width: size[1], height: size[0], data }, offset };
}

/** A net input held in memory: HWC float32, preprocessed. */
export interface NetArray {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** An image as the net's input in memory (order and mean applied; grey for a 1-channel input). */
export function imageToArray(image: RgbImage, info: ModelInfo): NetArray {
  const input = singleInput(info);
  const channels = imageChannels(input.name, input.channels);
  return { data: toNetInput(image, preprocessingOf(input)), height: image.height, width: image.width, channels };
}

/** A [C, H, W] array as the net's input in memory, values untouched. */
export function chwToArray(data: Float32Array, shape: number[], info: ModelInfo, file: string): NetArray {
  const input = singleInput(info);
  if (shape.length !== 3) throw new UserError(`${file}: expected a [C, H, W] array, got shape [${shape}]`);
  const [c, h, w] = shape as [number, number, number];
  if (c !== input.channels)
    throw new UserError(`${file}: has ${c} channels, the net's input ${input.name} takes ${input.channels}`);
  const hwc = new Float32Array(data.length);
  for (let k = 0; k < c; k++) for (let p = 0; p < h * w; p++) hwc[p * c + k] = data[k * h * w + p]!;
  return { data: hwc, height: h, width: w, channels: c };
}

/** An input in memory as the NHWC tensor the model takes. */
export function toTensor(array: NetArray): tf.Tensor4D {
  return tf.tensor4d(array.data, [1, array.height, array.width, array.channels]);
}

/** An image as the net's NHWC input (order and mean applied). */
export function imageToInput(image: RgbImage, info: ModelInfo): tf.Tensor4D {
  return toTensor(imageToArray(image, info));
}

/** A [C, H, W] array as the net's NHWC input, untouched. */
export function chwToInput(data: Float32Array, shape: number[], info: ModelInfo, file: string): tf.Tensor4D {
  return toTensor(chwToArray(data, shape, info, file));
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
