/**
 * Many weights (or their gradients) end to end in one Float32Array, each at its offset: the
 * form in which they cross between threads, through a SharedArrayBuffer written in place
 * every step (no per-step allocation, which would cost each thread garbage collections).
 */
import * as tf from '@tensorflow/tfjs';
import { heapBackend } from '../wasm-heap.js';

export class Packing {
  /** Where each tensor starts in the packed array. */
  readonly offsets: number[] = [];
  /** The packed array's length. */
  readonly length: number;

  constructor(readonly shapes: number[][]) {
    let at = 0;
    for (const shape of shapes) {
      this.offsets.push(at);
      at += shape.reduce((a, b) => a * b, 1);
    }
    this.length = at;
  }

  /** A zeroed packed array in memory that threads share. */
  shared(): Float32Array {
    return new Float32Array(new SharedArrayBuffer(this.length * 4));
  }

  /** Tensor i's part of `packed` (a view, not a copy). */
  part(packed: Float32Array, i: number): Float32Array {
    const end = i + 1 < this.offsets.length ? this.offsets[i + 1]! : this.length;
    return packed.subarray(this.offsets[i]!, end);
  }

  /** Copies tensor `t`'s values into its part i of `packed`. */
  write(packed: Float32Array, i: number, t: tf.Tensor): void {
    // On wasm straight from the heap: dataSync would copy it into a new array first.
    const backend = heapBackend();
    packed.set(backend ? backend.typedArrayFromHeap(t) : (t.dataSync() as Float32Array), this.offsets[i]!);
  }

  /** Copies the values of `tensors` (of these shapes, in order) into `packed` (default: a new array). */
  pack(tensors: tf.Tensor[], packed: Float32Array = new Float32Array(this.length)): Float32Array {
    tensors.forEach((t, i) => this.write(packed, i, t));
    return packed;
  }

  /** One new tensor per part of `packed` (the caller owns them). */
  unpack(packed: Float32Array): tf.Tensor[] {
    // The cpu backend keeps the array it is given; wasm copies it to its heap anyway.
    const copy = heapBackend() === undefined;
    return this.shapes.map((shape, i) => {
      const part = this.part(packed, i);
      return tf.tensor(copy ? part.slice() : part, shape, 'float32');
    });
  }
}
