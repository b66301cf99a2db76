/**
 * Wraps every kernel registered for a tfjs backend with a timer (profile-kernels.ts,
 * profile-step.ts): total ms and calls per kernel while `on`, and a printed table.
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelTimer {
  /** Whether calls are being counted (default true). */
  on: boolean;
  totals: Map<string, { ms: number; calls: number }>;
  /** The kernels by total time, first `top`, divided by `per` (e.g. steps), as lines of text. */
  table(top: number, per?: number): string[];
  /** The total ms over every kernel. */
  sum(): number;
}

export function timeKernels(backend: string): KernelTimer {
  const timer: KernelTimer = {
    on: true,
    totals: new Map(),
    sum: () => [...timer.totals.values()].reduce((s, t) => s + t.ms, 0),
    table(top, per = 1) {
      const sum = timer.sum();
      return [...timer.totals.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, top)
        .map(
          ([k, t]) =>
            `${k.padEnd(24)} ${(t.ms / per).toFixed(per === 1 ? 0 : 2).padStart(8)} ms ${((100 * t.ms) / sum).toFixed(1).padStart(5)} %  ${(t.calls / per).toFixed(0)} calls`,
        );
    },
  };
  for (const k of tf.getKernelsForBackend(backend)) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        const t0 = performance.now();
        const out = inner(args);
        if (timer.on) {
          const t = timer.totals.get(k.kernelName) ?? { ms: 0, calls: 0 };
          t.ms += performance.now() - t0;
          t.calls++;
          timer.totals.set(k.kernelName, t);
        }
        return out;
      },
    });
  }
  return timer;
}
