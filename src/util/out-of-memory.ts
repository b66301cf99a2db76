/** Recognising that memory ran out, whichever layer noticed (fcn's wasm heap, V8, wasm, TensorFlow). */

/** Whether `e` says memory ran out: fcn's wasm heap error, V8 failing to allocate a buffer, wasm's own abort, TensorFlow's OOM. */
export function isOutOfMemory(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'WasmHeapError' || e.name === 'ResourceExhaustedError') return true;
  return /Array buffer allocation failed|Aborted\(OOM\)|Cannot enlarge memory|OOM when allocating|out of memory/i.test(
    e.message,
  );
}
