/**
 * Hooks on the wasm backend's tensor allocator (the module's malloc and free as tfjs calls
 * them): a failed allocation becomes an error instead of address 0, and buffers of the sizes a
 * trainer asks for are kept when freed and handed out again.
 *
 * Why keep buffers: a training step allocates the gradient of each weight anew, and VGG's fc6
 * gradient is one 400 MB block. The forward pass scatters activations over the heap in a
 * different pattern every step, so a 400 MB hole is often not there, and the heap (which never
 * shrinks) grows by 400 MB again and again until it reaches 4 GB. Keeping that block between
 * steps costs nothing at the peak (the step needs it anyway) and makes the heap size stable.
 */
import { WASM_HEAP_MAX, WasmHeapError, type HeapBackend } from './wasm-heap.js';

interface Allocator {
  malloc(bytes: number): number;
  free(at: number): void;
  /** How many freed blocks of each size may be kept. */
  allowed: Map<number, number>;
  /** Kept blocks by size. */
  kept: Map<number, number[]>;
  /** Sizes of the live or kept blocks of an allowed size, by address. */
  sizes: Map<number, number>;
}

let current: { wasm: object; allocator: Allocator } | undefined;

function release(a: Allocator, bytes: number, keep: number): void {
  const list = a.kept.get(bytes) ?? [];
  while (list.length > keep) {
    const at = list.pop()!;
    a.sizes.delete(at);
    a.free(at);
  }
}

/**
 * Installs the hooks on the backend's module (once). tfjs checks no malloc result: a tensor
 * the heap cannot hold would get address 0 and its kernel would write over the module's own
 * memory. Here kept blocks are given back first, then WasmHeapError is thrown; so it is for a
 * request larger than the heap can ever be.
 */
export function hookWasmAllocator(backend: HeapBackend): void {
  const wasm = backend.wasm;
  if (current?.wasm === wasm) return;
  // The raw exports: emscripten's `_malloc` and `_free` are stubs that replace themselves with
  // them on first use, which would also replace a wrapper around a stub.
  const a: Allocator = {
    malloc: wasm.asm?.malloc ?? wasm._malloc.bind(wasm),
    free: wasm.asm?.free ?? wasm._free.bind(wasm),
    allowed: new Map(),
    kept: new Map(),
    sizes: new Map(),
  };
  wasm._malloc = (bytes: number): number => {
    // wasm32's malloc takes a 32-bit size: a larger request (a huge image's activation) would
    // wrap round to a small block that the kernel then writes far past.
    if (bytes > WASM_HEAP_MAX) throw new WasmHeapError(bytes);
    const reused = a.kept.get(bytes)?.pop();
    if (reused !== undefined) return reused;
    let at = a.malloc(bytes) >>> 0;
    if (at === 0 && bytes > 0) {
      for (const size of a.kept.keys()) release(a, size, 0);
      at = a.malloc(bytes) >>> 0;
    }
    if (at === 0 && bytes > 0) throw new WasmHeapError(bytes);
    if (a.allowed.has(bytes)) a.sizes.set(at, bytes);
    return at;
  };
  wasm._free = (at: number): void => {
    const key = at >>> 0;
    const bytes = a.sizes.get(key);
    if (bytes !== undefined) {
      const list = a.kept.get(bytes) ?? [];
      if (list.length < (a.allowed.get(bytes) ?? 0)) {
        list.push(key);
        a.kept.set(bytes, list);
        return;
      }
      a.sizes.delete(key);
    }
    a.free(at);
  };
  current = { wasm, allocator: a };
}

/**
 * Keeps one freed buffer of each of `sizes` (bytes; repeat a size to keep several) for reuse,
 * on the hooked wasm backend; a no-op elsewhere. Returns the function that stops keeping them.
 */
export function keepBuffers(backend: HeapBackend | undefined, sizes: number[]): () => void {
  const a = backend && current?.wasm === backend.wasm ? current.allocator : undefined;
  if (!a || sizes.length === 0) return () => {};
  for (const bytes of sizes) a.allowed.set(bytes, (a.allowed.get(bytes) ?? 0) + 1);
  return () => {
    for (const bytes of sizes) {
      const left = (a.allowed.get(bytes) ?? 1) - 1;
      if (left > 0) a.allowed.set(bytes, left);
      else a.allowed.delete(bytes);
      release(a, bytes, left);
    }
  };
}
