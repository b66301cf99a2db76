/**
 * `fcn bench` times PyTorch on the same net in the same run (src/emit/pytorch/bench.ts) and
 * reports fcn's time over PyTorch's; without Python or PyTorch, or with --no-torch, it says
 * why instead. Runs the built CLI: build first. The PyTorch case needs Debian's python3-torch.
 */
import test from 'ava';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

interface BenchJson {
  net: string;
  forward_ms: number;
  train_step_ms?: number;
  torch: { forward_ms: number; train_step_ms?: number; version: string; threads: number } | null;
  torch_note?: string;
  ratio: { forward: number; train_step?: number } | null;
}

/** `fcn bench nets/tiny-fcn8s.fcn --input 32x32 --runs 1 --backend wasm --json ARGS`, with `env` added. */
async function bench(args: string[], env: Record<string, string> = {}): Promise<BenchJson> {
  const cli = ['bin/fcn.js', 'bench', 'nets/tiny-fcn8s.fcn', '--input', '32x32', '--runs', '1', '--backend', 'wasm'];
  const { stdout } = await promisify(execFile)('node', [...cli, '--json', ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout) as BenchJson;
}

test('--no-torch skips PyTorch and says so', async (t) => {
  const r = await bench(['--no-torch']);
  t.is(r.net, 'tiny_fcn8s');
  t.true(r.forward_ms > 0);
  t.is(r.torch, null);
  t.is(r.torch_note, 'skipped (--no-torch)');
  t.is(r.ratio, null);
});

test('a missing Python or PyTorch is a note, not a failure', async (t) => {
  const missing = await bench([], { FCN_PYTHON: '/nonexistent/python3' });
  t.is(missing.torch, null);
  t.is(missing.torch_note, '/nonexistent/python3 not found (set FCN_PYTHON to a python3 with PyTorch)');
  t.is(missing.ratio, null);
  // A python without torch: what python3 prints then.
  const fake = join(mkdtempSync(join(tmpdir(), 'fcn-bench-test-')), 'python3');
  writeFileSync(fake, `#!/bin/sh\necho "ModuleNotFoundError: No module named 'torch'" >&2\nexit 1\n`);
  chmodSync(fake, 0o755);
  const noTorch = await bench([], { FCN_PYTHON: fake });
  t.is(noTorch.torch, null);
  t.is(
    noTorch.torch_note,
    `PyTorch is not installed for ${fake} (Debian/Ubuntu: sudo apt-get install -y python3-torch)`,
  );
});

(hasTorch ? test : test.skip)(
  'PyTorch times the same net in the same run, and the ratios are fcn over PyTorch',
  async (t) => {
    const r = await bench(['--train'], { FCN_THREADS: '2' });
    t.truthy(r.torch, r.torch_note);
    const torch = r.torch!;
    t.true(torch.forward_ms > 0 && torch.train_step_ms! > 0);
    t.is(torch.threads, 2);
    t.regex(torch.version, /^\d+\.\d+/);
    const round3 = (x: number): number => Math.round(x * 1000) / 1000;
    t.deepEqual(r.ratio, {
      forward: round3(r.forward_ms / torch.forward_ms),
      train_step: round3(r.train_step_ms! / torch.train_step_ms!),
    });
  },
);
