/**
 * Argument checks and Caffe's size arithmetic shared by the custom layers. A layer's
 * constructor is also its `fromConfig`, so every check here also guards a loaded model.json.
 */
import * as tf from '@tensorflow/tfjs';
import type { Pair } from '../../compiler/layers/types.js';

export type { Pair };

/** The constructor argument of tf.layers.Layer (name, trainable, dtype, …). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** A symbolic or concrete shape as tfjs-layers passes it: null for unknown dimensions. */
export type Shape = Array<number | null>;

/** Checks an integer pair (a scalar expands to both axes); `min` is the smallest allowed value. */
export function checkPair(layer: string, key: string, value: unknown, min: number): Pair {
  const v = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= min)) {
    throw new Error(
      `${layer}: ${key} must be an integer ≥ ${min} or a pair [h, w] of them, got ${JSON.stringify(value)}`,
    );
  }
  return [v[0] as number, v[1] as number];
}

/** Checks an integer ≥ min. */
export function checkInt(layer: string, key: string, value: unknown, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min)
    throw new Error(`${layer}: ${key} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return value as number;
}

/** Checks a finite number. */
export function checkNumber(layer: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`${layer}: ${key} must be a finite number, got ${JSON.stringify(value)}`);
  return value;
}

/** Checks one of a fixed set of words. */
export function checkEnum<T extends string>(layer: string, key: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new Error(`${layer}: ${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

export { convOutSize, deconvOutSize, extent, poolOutSize } from '../../compiler/layers/sizes.js';

/** Maps a spatial size through `f`, keeping unknown (null) sizes unknown. */
export function mapSize(size: number | null | undefined, f: (n: number) => number): number | null {
  return size === null || size === undefined ? null : f(size);
}

/** The explicit NHWC padding tfjs takes: never a bare number, which tfjs applies wrongly to non-square kernels. */
export function explicitPad(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** The single input tensor of a one-input layer (tfjs may pass a one-element list). */
export function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/** The single input shape of a one-input layer: a shape, or a list holding one. */
export function oneShape(inputShape: Shape | Shape[]): Shape {
  return Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape);
}
