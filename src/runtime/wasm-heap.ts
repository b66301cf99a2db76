/**
 * Direct access to the wasm backend's heap: its size, allocation, in-place writes, contiguous
 * copies, and dropping the packed weights XNNPack keeps for a tensor.
 *
 * XNNPack caches one operator per (filter tensor id, geometry) for Conv2D and per right-hand
 * operand for MatMul, holding a packed copy of that tensor until the tensor is disposed. Code
 * that rewrites a tensor in place (the SGD update) must drop those operators, or the next
 * forward pass would run on the old packed weights.
 */
import * as tf from '@tensorflow/tfjs';

/** The part of tfjs-backend-wasm's BackendWasm this runtime uses. */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  refCount(dataId: object): number;
  disposeData(dataId: object, force?: boolean): boolean;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[] } | undefined };
  wasm: WasmModule;
}

interface WasmModule {
  HEAP8: Int8Array;
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(at: number): void;
  asm?: { malloc?(bytes: number): number; free?(at: number): void };
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

/** The wasm heap's maximum (emscripten's getHeapMax for this build: 4 GB minus one page). */
export const WASM_HEAP_MAX = 4294901760;

/** Raised when the wasm heap cannot grow to hold an allocation. */
export class WasmHeapError extends Error {
  constructor(readonly bytes: number) {
    super(
      `out of wasm memory: cannot allocate ${mb(bytes)} MB (the heap is ${mb(heapBackend()?.wasm.HEAP8.buffer.byteLength ?? 0)} MB ` +
        `of at most ${mb(WASM_HEAP_MAX)} MB)`,
    );
    this.name = 'WasmHeapError';
  }
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** The current backend as a HeapBackend, or undefined when it is not wasm. */
export function heapBackend(): HeapBackend | undefined {
  return tf.getBackend() === 'wasm' ? (tf.backend() as unknown as HeapBackend) : undefined;
}

/** The wasm heap's size in bytes; it only grows, so this is its high-water mark. Undefined off wasm. */
export function wasmHeapBytes(): number | undefined {
  return heapBackend()?.wasm.HEAP8.buffer.byteLength;
}

/** A new float32 tensor on the wasm heap, contents unset. */
export function allocateTensor(backend: HeapBackend, shape: number[]): tf.Tensor {
  const info = backend.makeOutput(shape, 'float32');
  return tf.engine().makeTensorFromTensorInfo(info, backend as unknown as tf.KernelBackend);
}

/** Whether a tensor's memory is referenced by no other tensor, so writing it in place is invisible elsewhere. */
export function ownsData(backend: HeapBackend, t: tf.TensorInfo): boolean {
  return backend.refCount(t.dataId) === 1;
}

/**
 * Drops the XNNPack operators (and their packed copies) cached for a tensor, after its values
 * changed in place. The backend's C++ side runs a tensor id's disposal callbacks when the id
 * is disposed; the id is then registered again at the same address, so the tensor itself is
 * untouched.
 */
export function dropPackedWeights(backend: HeapBackend, t: tf.TensorInfo): void {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) return;
  const size = t.shape.reduce((a, b) => a * b, 1);
  backend.wasm.tfjs.disposeData(data.id);
  backend.wasm.tfjs.registerTensor(data.id, size, data.memoryOffset);
}

/** Copies `size` float32 values starting at element `from` of `x` into a new tensor of `shape`, on the heap. */
export function copyRange(backend: HeapBackend, x: tf.TensorInfo, from: number, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  // Addresses only after allocating: an allocation may grow the heap and move HEAPF32.
  const src = backend.dataIdMap.get(x.dataId)!.memoryOffset / 4 + from;
  const dst = backend.dataIdMap.get(out.dataId)!.memoryOffset / 4;
  const size = shape.reduce((a, b) => a * b, 1);
  backend.wasm.HEAPF32.copyWithin(dst, src, src + size);
  return out;
}
