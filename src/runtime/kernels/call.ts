/**
 * Runs backend kernels from inside another kernel. A kernel receives and returns TensorInfos,
 * not tensors: calling the backend's own kernel functions keeps everything on its heap and
 * off the gradient tape, and a scope frees the intermediates when the kernel returns.
 */
import { getKernel, type KernelBackend, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import { copyRange, type HeapBackend } from '../wasm-heap.js';

/** wasm passes a list kernel's input ids on its small C stack: keep lists short. */
const MAX_LIST = 16;

/** A kernel-call scope: `run` invokes a kernel; `finish` frees every intermediate except the result. */
export class KernelScope {
  private readonly made: TensorInfo[] = [];

  constructor(
    private readonly backend: KernelBackend,
    private readonly backendName: string,
    private readonly overrides: Map<string, KernelConfig> = new Map(),
  ) {}

  /** Runs kernel `name` of this backend (or the saved original of a kernel we replaced); list-input kernels (Concat, AddN) take an array. */
  run(name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: object = {}): TensorInfo {
    const config = this.overrides.get(name) ?? getKernel(name, this.backendName);
    if (!config) throw new Error(`${this.backendName} has no ${name} kernel`);
    const out = config.kernelFunc({
      inputs: inputs as Record<string, TensorInfo>,
      backend: this.backend,
      attrs: attrs as unknown as NamedAttrMap,
    }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /** Tracks a tensor made outside `run` (a heap copy) so that `finish` frees it too. */
  adopt(made: TensorInfo): TensorInfo {
    this.made.push(made);
    return made;
  }

  /** Runs a list kernel (Concat, AddN) over any number of inputs, in rounds of at most MAX_LIST. */
  runList(name: 'Concat' | 'AddN', items: TensorInfo[], attrs: object = {}): TensorInfo {
    let level = items;
    while (level.length > 1) {
      const next: TensorInfo[] = [];
      for (let i = 0; i < level.length; i += MAX_LIST) {
        const group = level.slice(i, i + MAX_LIST);
        next.push(group.length === 1 ? group[0]! : this.run(name, group, attrs));
      }
      level = next;
    }
    return level[0]!;
  }

  /** A heap copy of `shape`'s worth of values of `x` from element `from` (a contiguous slice without wasm's Slice, which copies all of x into JavaScript first). */
  copyRange(x: TensorInfo, from: number, shape: number[]): TensorInfo {
    return this.adopt(copyRange(this.backend as unknown as HeapBackend, x, from, shape));
  }

  /** Frees an intermediate now rather than at `finish`: big loops keep only what they still need. */
  free(t: TensorInfo): void {
    const i = this.made.indexOf(t);
    if (i < 0) return;
    this.made.splice(i, 1);
    this.backend.disposeData(t.dataId);
  }

  /** Frees the intermediates and returns `result` (which must have been made in this scope, or be an input). */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.made) if (t !== result) this.backend.disposeData(t.dataId);
    this.made.length = 0;
    return result;
  }

  /** Frees everything made so far (on a failure path). */
  abandon(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.length = 0;
  }
}

/** Reads an `[h, w]` pair from a scalar-or-pair attribute. */
export function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}
