/**
 * The `native` backend's class: tfjs's cpu backend (its tensors are JavaScript typed arrays,
 * which the addon reads and writes in place), plus a key per weight tensor so that the addon
 * can cache a weight's reordered copy and drop it when the tensor is freed.
 */
import type { DataId, TensorInfo } from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { addon } from './addon.js';

export class NativeBackend extends MathBackendCPU {
  private readonly keys = new WeakMap<DataId, number>();
  private nextKey = 1;

  constructor() {
    super();
    // The cpu backend's first write prints tfjs's "install the node backend" banner into the
    // user's output; this backend is the fast native path, so the advice does not apply.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** The cache key of a tensor's data (stable while the data lives and is not written). */
  weightKey(dataId: DataId): number {
    let key = this.keys.get(dataId);
    if (key === undefined) {
      key = this.nextKey++;
      this.keys.set(dataId, key);
    }
    return key;
  }

  /** Drops the addon's copies of a tensor's data: call before writing it in place. */
  forgetWeights(dataId: DataId): void {
    const key = this.keys.get(dataId);
    if (key === undefined) return;
    addon().releaseWeights(key);
    this.keys.delete(dataId);
  }

  override disposeData(dataId: DataId, force?: boolean): boolean {
    const freed = super.disposeData(dataId, force);
    if (freed) this.forgetWeights(dataId);
    return freed;
  }

  /**
   * A float32 tensor's values (the addon reads them in place). The cpu backend's own kernels
   * may leave another typed array under a float32 tensor (Cast from bool keeps the bytes):
   * that one is converted.
   */
  floats(t: TensorInfo): Float32Array {
    const values = this.data.get(t.dataId).values;
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  }

  /** A new float32 output of `shape`, and the array to fill. */
  output(shape: number[]): { info: TensorInfo; values: Float32Array } {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    return { info: this.makeTensorInfo(shape, 'float32', values), values };
  }
}
