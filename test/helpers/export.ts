/**
 * Independent oracles for `fcn export`: ONNX Runtime (onnxruntime-node) runs the .onnx file, and
 * PyTorch (/usr/bin/python3) runs the exported package's model.py; each result is compared with
 * `fcn predict --scores` on the same raw .npy input.
 */
import type { ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readNpy, writeNpy } from '../../src/runtime/npy.js';
import { fcn } from './cli.js';

const exec = promisify(execFile);

/** A deterministic raw input [c, h, w] (values of image scale, about ±100). */
export async function writeInput(file: string, c: number, h: number, w: number): Promise<void> {
  const data = new Float32Array(c * h * w);
  for (let i = 0; i < data.length; i++) data[i] = 100 * Math.sin(i * 0.37 + 0.1 * (i % 7)) * Math.cos(i * 0.011);
  await writeNpy(file, data, [c, h, w]);
}

/** Runs `fcn ARGS`, failing with its stderr when it fails. */
export async function fcnOk(...args: string[]): Promise<string> {
  const r = await fcn(...args);
  if (r.code !== 0) throw new Error(`fcn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The largest absolute difference between two arrays of one length. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The first output of an .onnx model on a [C, H, W] .npy input (batch 1): its dims and values. */
export async function runOnnx(model: string, input: string): Promise<{ dims: number[]; data: Float32Array }> {
  const ort = await import('onnxruntime-node');
  const x = await readNpy(input);
  const session = await ort.InferenceSession.create(model);
  try {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x.data, [1, ...x.shape]) });
    const y = out[session.outputNames[0]!]!;
    return { dims: [...y.dims], data: y.data as Float32Array };
  } finally {
    await session.release();
  }
}

/** forward() of an exported package's model.load(weights) on a [C, H, W] .npy input; its scores [C, H, W]. */
export async function runPytorch(
  dir: string,
  input: string,
  out: string,
  weights: string | true = true,
): Promise<{ shape: number[]; data: Float32Array }> {
  const script = join(dir, '..', 'run-model.py');
  await writeFile(
    script,
    [
      'import sys, numpy as np, torch',
      'sys.path.insert(0, sys.argv[1])',
      'import model',
      'w = sys.argv[4]',
      'net = model.load(True if w == "true" else w).eval()',
      'with torch.no_grad():',
      '    y = net(torch.from_numpy(np.load(sys.argv[2]))[None])[0]',
      'np.save(sys.argv[3], y.numpy().astype(np.float32))',
    ].join('\n'),
  );
  await exec('nice', ['-n', '19', '/usr/bin/python3', script, dir, input, out, String(weights)]);
  return readNpy(out);
}

/**
 * Overwrites weights of a model directory's newest version (a model.json manifest over one
 * weights.bin), as training would have left them: `values` by manifest name (`b1/factor`).
 */
export async function setWeights(model: string, values: Record<string, number[]>): Promise<void> {
  const version = join(
    model,
    (await readdir(model))
      .filter((v) => v.startsWith('.v'))
      .sort()
      .at(-1)!,
  );
  const manifest = JSON.parse(await readFile(join(version, 'model.json'), 'utf8')) as {
    weightsManifest: Array<{ weights: Array<{ name: string; shape: number[] }> }>;
  };
  const bin = await readFile(join(version, 'weights.bin'));
  const floats = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
  const left = new Set(Object.keys(values));
  let offset = 0;
  for (const w of manifest.weightsManifest.flatMap((g) => g.weights)) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    const v = values[w.name];
    if (v) {
      if (v.length !== size) throw new Error(`${w.name} has ${size} values, ${v.length} given`);
      floats.set(v, offset);
      left.delete(w.name);
    }
    offset += size;
  }
  if (left.size) throw new Error(`${model} has no weights ${[...left].join(', ')}`);
  await writeFile(join(version, 'weights.bin'), bin);
}

/**
 * Compiles `net` with a seed (then sets `weights`, if given), predicts a raw input with the tfjs engine, exports both formats and
 * runs them: each must equal fcn's scores to 1e-4 of the largest score (float32 sums over
 * thousands of terms differ in their last bits; for scores within ±1 that is 1e-4 absolute).
 */
export async function roundTrip(
  t: ExecutionContext,
  dir: string,
  file: string,
  net: string,
  c: number,
  h: number,
  w: number,
  weights?: Record<string, number[]>,
): Promise<{ shape: number[]; data: Float32Array }> {
  const d = join(dir, `${net}-${h}x${w}`);
  const input = `${d}.npy`;
  await writeInput(input, c, h, w);
  await fcnOk('compile', file, '--net', net, '--seed', '5', '-o', `${d}.model`);
  if (weights) await setWeights(`${d}.model`, weights);
  await fcnOk('predict', `${d}.model`, input, '--engine', 'tfjs', '-o', `${d}.png`, '--scores', `${d}.scores.npy`);
  const scores = await readNpy(`${d}.scores.npy`);
  await fcnOk('export', `${d}.model`, '--format', 'onnx', '-o', `${d}.onnx`);
  const onnx = await runOnnx(`${d}.onnx`, input);
  t.deepEqual(onnx.dims, [1, ...scores.shape]);
  const tolerance = 1e-4 * Math.max(1, maxDiff(scores.data, new Float32Array(scores.data.length)));
  t.true(
    maxDiff(onnx.data, scores.data) <= tolerance,
    `ONNX differs by ${maxDiff(onnx.data, scores.data)} > ${tolerance}`,
  );
  await fcnOk('export', `${d}.model`, '--format', 'pytorch', '-o', `${d}.pt`);
  const torch = await runPytorch(`${d}.pt`, input, `${d}.torch.npy`);
  t.deepEqual(torch.shape, scores.shape);
  t.true(
    maxDiff(torch.data, scores.data) <= tolerance,
    `PyTorch differs by ${maxDiff(torch.data, scores.data)} > ${tolerance}`,
  );
  return scores;
}
