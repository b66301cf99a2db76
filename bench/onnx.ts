/**
 * The ONNX engine (onnxruntime-node on `fcn export`'s model) against fcn's tfjs backends
 * (native, wasm) on one forward pass: each engine runs in its own process (so that no backend
 * holds memory or threads while another is timed), in alternating rounds so that all see the
 * same load on a shared machine. Prints per engine the median ms per forward pass and the
 * median CPU ms (user + system, all threads) per pass, and the ratios to the fastest tfjs backend.
 * Its result is what src/runtime/engine-choice.ts records.
 * Run: `npx tsx bench/onnx.ts [--net nets/voc-fcn8s.fcn] [--input 500] [--rounds 3] [--runs 3]`.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../src/runtime/bench.js';

const { values } = parseArgs({
  options: {
    net: { type: 'string', default: 'nets/voc-fcn8s.fcn' },
    input: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    engines: { type: 'string', default: 'native,wasm,onnx' },
    engine: { type: 'string' },
  },
});
const size = Number(values.input);
const runs = Number(values.runs);

interface Timing {
  ms: number;
  cpu_ms: number;
}

/** Times `f` `runs` times after a warm-up: median wall and CPU ms. */
async function time(f: () => Promise<void>): Promise<Timing> {
  await f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(wall), cpu_ms: median(cpu) };
}

/** One engine, in this process. */
async function child(engine: string): Promise<Timing> {
  const input = new Float32Array(3 * size * size).map((_, i) => 50 * Math.sin(i * 0.37));
  if (engine === 'onnx') {
    const { loadExportNet } = await import('../src/emit/net.js');
    const { encodeOnnx } = await import('../src/emit/onnx/export.js');
    const ort = await import('onnxruntime-node');
    const bytes = encodeOnnx(await loadExportNet(values.net!, { seed: 0 }), 'bench');
    const session = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor('float32', input, [1, 3, size, size]);
    return time(async () => {
      await session.run({ [session.inputNames[0]!]: x });
    });
  }
  const tf = await import('@tensorflow/tfjs');
  const { emitNet, selectBackend } = await import('../src/runtime/index.js');
  await selectBackend(engine);
  const { model } = emitNet(values.net!, { seed: 0 });
  const x = tf.tensor4d(input, [1, size, size, 3]);
  return time(async () => {
    const out = model.predict(x);
    const outs = Array.isArray(out) ? out : [out];
    await outs[0]!.data();
    tf.dispose(outs);
  });
}

if (values.engine) {
  process.stdout.write(JSON.stringify(await child(values.engine)) + '\n');
} else {
  const engines = values.engines!.split(',');
  const results = new Map<string, Timing[]>(engines.map((e) => [e, []]));
  const self = fileURLToPath(import.meta.url);
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const e of engines) {
      const args = [
        '--import=tsx',
        self,
        '--engine',
        e,
        '--net',
        values.net!,
        '--input',
        String(size),
        '--runs',
        String(runs),
      ];
      const out = execFileSync('node', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const t = JSON.parse(out.trim().split('\n').pop()!) as Timing;
      results.get(e)!.push(t);
      process.stdout.write(`round ${r + 1} ${e}: ${t.ms.toFixed(0)} ms (cpu ${t.cpu_ms.toFixed(0)} ms)\n`);
    }
  }
  const med = new Map(
    [...results].map(([e, ts]) => [e, { ms: median(ts.map((t) => t.ms)), cpu_ms: median(ts.map((t) => t.cpu_ms)) }]),
  );
  const tfjs = [...med].filter(([e]) => e !== 'onnx').sort((a, b) => a[1].ms - b[1].ms)[0];
  process.stdout.write(
    `${values.net} forward at ${size}x${size}, ${cpus().length} CPUs (${cpus()[0]?.model}), load ${loadavg()[0]!.toFixed(1)}\n`,
  );
  for (const [e, t] of med)
    process.stdout.write(
      `${e.padEnd(7)} ${t.ms.toFixed(0).padStart(7)} ms  cpu ${t.cpu_ms.toFixed(0).padStart(7)} ms` +
        (tfjs && e !== tfjs[0] ? `  ${(tfjs[1].ms / t.ms).toFixed(2)}x ${tfjs[0]}'s speed` : '') +
        '\n',
    );
}
