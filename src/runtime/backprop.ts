/**
 * Reverse-mode gradients that free memory as the backward pass goes, and hand each variable's
 * gradient over as soon as it is final.
 *
 * tf.variableGrads keeps, until the whole backward pass has finished, every tensor the forward
 * pass saved for it and the gradient of every intermediate tensor, plus all the variables'
 * gradients. For a VGG FCN at 256×256 that is 1.5 GB held at the peak, where only the layer
 * being differentiated needs its own. Here, once a tape node has been differentiated, its
 * saved tensors and the gradients of its outputs are freed (nothing earlier in the tape can
 * read them), and a variable's gradient goes to `onGradient` when the last node that reads the
 * variable is done, so the caller can apply and free it (the SGD step of fc6's 400 MB weight
 * then happens before the backward pass reaches the big early activations).
 *
 * This walks tfjs-core's gradient tape (engine internals, stable across tfjs 2–4); when they
 * are not there, or inside another gradient computation, it falls back to tf.variableGrads.
 * Gradients are computed by the same registered gradient functions, so they are identical.
 */
import * as tf from '@tensorflow/tfjs';

/** One recorded operation, as tfjs-core's engine keeps it. */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: Array<tf.Tensor | null>) => Record<string, () => tf.Tensor>;
}

/** The engine internals used here. */
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
}

/** The nodes of `tape` on a path from `xs` to `y`, each with only the inputs that depend on xs. */
function pathNodes(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const reached = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      reached.add(node.id);
      node.outputs.forEach((o) => fromX.add(o.id));
    }
  }
  const toY = new Set([y.id]);
  const leads = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (node.outputs.some((o) => toY.has(o.id))) {
      leads.add(node.id);
      Object.values(node.inputs).forEach((t) => toY.add(t.id));
    }
  }
  return tape
    .filter((n) => reached.has(n.id) && leads.has(n.id))
    .map((n) => ({ ...n, inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))) }));
}

function internals(): EngineInternals | undefined {
  const engine = tf.engine() as unknown as Partial<EngineInternals>;
  const ok =
    typeof engine.startTape === 'function' &&
    typeof engine.endTape === 'function' &&
    typeof engine.scopedRun === 'function' &&
    engine.state !== undefined &&
    engine.state.gradientDepth === 0;
  return ok ? (engine as EngineInternals) : undefined;
}

/**
 * The value of the scalar `f()` and its gradient with respect to each of `xs`: gradient i goes
 * to `onGradient(i, grad)`, which owns it and must dispose it. Returns the value and the
 * indices of the xs that `f` does not depend on (they get no call).
 */
export function streamingGradients(
  f: () => tf.Scalar,
  xs: tf.Variable[],
  onGradient: (index: number, grad: tf.Tensor) => void,
): { value: tf.Scalar; missing: number[] } {
  const engine = internals();
  if (!engine) {
    const { value, grads } = tf.variableGrads(f, xs);
    const missing: number[] = [];
    xs.forEach((x, i) => (grads[x.name] ? onGradient(i, grads[x.name]!) : missing.push(i)));
    return { value, missing };
  }
  const value = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => tf.tidy('forward', f),
  );
  try {
    if (value.rank !== 0) throw new Error(`the loss must be a scalar, got rank ${value.rank}`);
    const nodes = pathNodes(engine.state.activeTape ?? [], xs, value);
    const index = new Map(xs.map((x, i) => [x.id, i]));
    const readers = new Map<number, number>(); // nodes still to differentiate that read each x
    for (const node of nodes)
      for (const t of Object.values(node.inputs)) if (index.has(t.id)) readers.set(t.id, (readers.get(t.id) ?? 0) + 1);
    const delivered = new Set<number>();
    tf.tidy('backward', () => {
      const grads = new Map<number, tf.Tensor>([[value.id, tf.onesLike(value)]]);
      for (let i = nodes.length - 1; i >= 0; i--) {
        const node = nodes[i]!;
        if (!node.gradient) throw new Error(`cannot compute the gradient of ${node.kernelName}: it has none`);
        const dxs = node.gradient(node.outputs.map((o) => grads.get(o.id) ?? null));
        for (const [name, x] of Object.entries(node.inputs)) {
          const lazy = dxs[name];
          if (!lazy) throw new Error(`${node.kernelName} gives no gradient for its input ${name}`);
          // A clone (memory shared, not copied) is a tensor this loop alone owns and may free.
          const dx = tf.tidy(() => lazy().clone());
          if (dx.dtype !== 'float32' || !tf.util.arraysEqual(dx.shape, x.shape))
            throw new Error(
              `${node.kernelName}: the gradient of ${name} is ${dx.dtype} [${dx.shape}], not float32 [${x.shape}]`,
            );
          const before = grads.get(x.id);
          grads.set(x.id, before ? tf.add(before, dx) : dx);
          if (before) tf.dispose([before, dx]);
        }
        // Everything this node kept for its backward pass, and its outputs' gradients, are done with.
        node.saved?.forEach((t) => t.dispose());
        for (const o of node.outputs) {
          if (index.has(o.id)) continue;
          grads.get(o.id)?.dispose();
          grads.delete(o.id);
        }
        for (const x of Object.values(node.inputs)) {
          const left = readers.get(x.id);
          if (left === undefined) continue;
          readers.set(x.id, left - 1);
          if (left > 1) continue;
          const grad = grads.get(x.id)!;
          grads.delete(x.id);
          delivered.add(x.id);
          onGradient(index.get(x.id)!, grad);
        }
      }
      grads.forEach((g) => g.dispose());
    });
    return { value, missing: xs.flatMap((x, i) => (delivered.has(x.id) ? [] : [i])) };
  } catch (e) {
    value.dispose();
    throw e;
  } finally {
    for (const node of engine.state.activeTape ?? []) node.saved?.forEach((t) => t.dispose());
    engine.state.activeTape = null;
  }
}
