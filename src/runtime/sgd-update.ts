/**
 * Caffe's SGD update of one weight (sgd_solver.cpp), in float32 exactly as Caffe rounds it:
 *   diff    = local_decay·w + grad           (Regularize: caffe_axpy)
 *   history = local_rate·diff + momentum·history   (ComputeUpdateValue: caffe_cpu_axpby)
 *   w       = w − history                    (Blob::Update)
 * Two implementations with identical results: tensor ops, and on wasm a loop over the heap
 * that allocates only the new history and the new weight. The loop matters for big nets:
 * tensor ops need two or three weight-sized temporaries, and for VGG's 400 MB fc6 that is
 * more than wasm's 4 GB heap has left during training.
 */
import * as tf from '@tensorflow/tfjs';

export interface SgdCoefficients {
  /** local_rate = lr · lr_mult, as a float32. */
  rate: number;
  /** local_decay = weight_decay · decay_mult, as a float32. */
  decay: number;
  momentum: number;
}

/** The wasm backend's heap access (the subset used here). */
interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Updates `variable` and `history` in place of their old values; disposes `grad`. */
export function sgdUpdate(variable: tf.Variable, history: tf.Variable, grad: tf.Tensor, c: SgdCoefficients): void {
  if (tf.getBackend() === 'wasm') heapUpdate(variable, history, grad, c);
  else tensorUpdate(variable, history, grad, c);
}

function tensorUpdate(variable: tf.Variable, history: tf.Variable, grad: tf.Tensor, c: SgdCoefficients): void {
  let diff = grad;
  if (c.decay !== 0) {
    const term = tf.tidy(() => tf.mul(variable, c.decay));
    diff = tf.add(term, grad);
    tf.dispose([term, grad]);
  }
  const step = tf.tidy(() => tf.mul(diff, c.rate));
  diff.dispose();
  const kept = tf.tidy(() => tf.mul(history, c.momentum));
  const next = tf.add(step, kept);
  tf.dispose([step, kept]);
  history.assign(next);
  next.dispose();
  const weight = tf.sub(variable, history);
  variable.assign(weight);
  weight.dispose();
}

/** A new float32 tensor on the wasm heap, contents unset. */
function allocate(backend: HeapBackend, shape: number[]): tf.Tensor {
  const info = backend.makeOutput(shape, 'float32');
  return tf.engine().makeTensorFromTensorInfo(info, backend as unknown as tf.KernelBackend);
}

function heapUpdate(variable: tf.Variable, history: tf.Variable, grad: tf.Tensor, c: SgdCoefficients): void {
  const f = Math.fround;
  const backend = tf.backend() as unknown as HeapBackend;
  const [rate, decay, momentum] = [f(c.rate), f(c.decay), f(c.momentum)];
  const next = allocate(backend, variable.shape);
  // Views only after allocating: a heap growth detaches earlier ones.
  {
    const w = backend.typedArrayFromHeap(variable);
    const g = backend.typedArrayFromHeap(grad);
    const h = backend.typedArrayFromHeap(history);
    const out = backend.typedArrayFromHeap(next);
    for (let i = 0; i < out.length; i++) {
      const d = decay === 0 ? g[i]! : f(f(decay * w[i]!) + g[i]!);
      out[i] = f(f(rate * d) + f(momentum * h[i]!));
    }
  }
  grad.dispose();
  history.assign(next);
  next.dispose();
  const weight = allocate(backend, variable.shape);
  {
    const w = backend.typedArrayFromHeap(variable);
    const h = backend.typedArrayFromHeap(history);
    const out = backend.typedArrayFromHeap(weight);
    for (let i = 0; i < out.length; i++) out[i] = f(w[i]! - h[i]!);
  }
  variable.assign(weight);
  weight.dispose();
}
