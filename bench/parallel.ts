/**
 * Data-parallel training against one thread: tiny-fcn8s training steps (batch 8, 64×64 by
 * default, random images and labels) with a Trainer and with a ParallelTrainer of 2 workers,
 * in alternating rounds so that both see the same load on a shared machine. Prints each
 * variant's median ms/step and the ratio, with the round-by-round ratios.
 *
 * On a machine other work keeps busy, the wall-clock ratio says little: Linux shares the CPU
 * between sessions (autogroups), not threads, so a second thread gets no more of it. So on
 * Linux it also prints the CPU time of each thread per step (/proc/self/task): the busiest
 * thread's time is the step's critical path, and 1 worker's critical path over 2 workers'
 * is the speedup an otherwise idle machine with a core per worker would see.
 * Run: `npx tsx bench/parallel.ts [--rounds 6] [--steps 5] [--batch 8] [--input 64] [--workers 2]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { emitNet, median, ParallelTrainer, selectBackend, Trainer, type SgdTrainer } from '../src/runtime/index.js';

const { values } = parseArgs({
  options: {
    net: { type: 'string', default: 'nets/tiny-fcn8s.fcn' },
    rounds: { type: 'string', default: '6' },
    steps: { type: 'string', default: '5' },
    batch: { type: 'string', default: '8' },
    input: { type: 'string', default: '64' },
    workers: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const [rounds, steps, batch, size, workers] = [
  values.rounds,
  values.steps,
  values.batch,
  values.input,
  values.workers,
].map(Number) as [number, number, number, number, number];
const report = await selectBackend(values.backend);
const sgd = { lr: 1e-3, momentum: 0.9, weightDecay: 5e-4 };

/** A fresh model of the net and a trainer for it. */
async function trainer(count: number): Promise<SgdTrainer> {
  const { model, info } = emitNet(values.net, { input: [size, size], seed: 0 });
  return count > 1 ? ParallelTrainer.create(model, info, sgd, { workers: count }) : new Trainer(model, info, sgd);
}

const classes = 4;
const inputs = { data: tf.randomNormal([batch, size, size, 3], 128, 50, 'float32', 1) as tf.Tensor4D };
const labels = { label: tf.randomUniform([batch, size, size], 0, classes, 'int32', 2) };
const variants: Array<[string, SgdTrainer]> = [
  ['1 worker', await trainer(1)],
  [`${workers} workers`, await trainer(workers)],
];
/** CPU ms used so far by each thread of this process, or undefined off Linux. */
function threadCpu(): Map<string, number> | undefined {
  try {
    return new Map(
      readdirSync('/proc/self/task').map((tid) => {
        const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return [tid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100]; // utime + stime, in ticks of 10 ms
      }),
    );
  } catch {
    return undefined;
  }
}

const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
/** Per variant: the busiest thread's and all threads' CPU ms per step, summed over the rounds. */
const cpu = new Map(variants.map(([name]) => [name, { critical: 0, total: 0 }]));
for (const [, t] of variants) for (let i = 0; i < 2; i++) await t.step({ inputs, labels }); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, t] of r % 2 ? [...variants].reverse() : variants) {
    const c0 = threadCpu();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await t.step({ inputs, labels });
    times.get(name)!.push((performance.now() - t0) / steps);
    const c1 = threadCpu();
    if (c0 && c1) {
      const used = [...c1].map(([tid, ms]) => ms - (c0.get(tid) ?? 0));
      const c = cpu.get(name)!;
      c.critical += Math.max(...used) / steps / rounds;
      c.total += used.reduce((a, b) => a + b, 0) / steps / rounds;
    }
  }
}
for (const [, t] of variants) t.dispose();

const [one, many] = variants.map(([name]) => times.get(name)!);
const fmt = (v: number) => v.toFixed(0);
console.log(
  `${values.net}, batch ${batch}, ${size}x${size}, ${report.chosen}; ${cpus()[0]?.model ?? '?'} ×${cpus().length}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`1 worker:  ${fmt(median(one!))} ms/step (rounds: ${one!.map(fmt).join(' ')})`);
console.log(`${workers} workers: ${fmt(median(many!))} ms/step (rounds: ${many!.map(fmt).join(' ')})`);
console.log(
  `speedup: ${(median(one!) / median(many!)).toFixed(2)}× (round by round: ${one!.map((v, i) => (v / many![i]!).toFixed(2)).join(' ')})`,
);
const [cpuOne, cpuMany] = variants.map(([name]) => cpu.get(name)!);
if (cpuOne!.total > 0)
  console.log(
    `CPU per step: 1 worker ${fmt(cpuOne!.critical)} ms on its busiest thread (${fmt(cpuOne!.total)} in all); ` +
      `${workers} workers ${fmt(cpuMany!.critical)} ms (${fmt(cpuMany!.total)} in all); ` +
      `critical-path speedup ${(cpuOne!.critical / cpuMany!.critical).toFixed(2)}×`,
  );
