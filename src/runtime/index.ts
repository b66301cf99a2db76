/**
 * The TensorFlow.js runtime: backends (with the kernels wasm lacks), custom Caffe-semantics
 * layers, initialisers, the IR → tf.LayersModel emitter, model directories, .npy files,
 * Caffe's softmax loss and SGD step, inference and timing.
 */
export * from './backend.js';
export * from './backprop.js';
export * from './bench.js';
export * from './emit.js';
export * from './info.js';
export * from './init.js';
export * from './input-size.js';
export * from './kernels/index.js';
export * from './layers/index.js';
export * from './loss.js';
export { NATIVE_KERNELS } from './native/index.js';
export * from './model-io.js';
export * from './model-net.js';
export * from './net.js';
export * from './net-loss.js';
export * from './npy.js';
export * from './overlap-tile.js';
export * from './parallel/index.js';
export * from './predict.js';
export * from './segment.js';
export * from './train-step.js';
export * from './sgd-update.js';
export * from './tile.js';
export { WASM_HEAP_MAX, WasmHeapError, wasmHeapBytes } from './wasm-heap.js';
