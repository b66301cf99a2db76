/**
 * PyTorch's time for the same net, beside fcn's (`fcn bench`): the net, with the weights fcn
 * times, is exported as a PyTorch package (write.ts) into a temporary directory and timed there
 * by bench.py (bench-py.ts) with Debian's python3-torch, /usr/bin/python3 (or FCN_PYTHON), on
 * the same number of threads. The directory is removed afterwards. When Python or PyTorch is
 * missing, or PyTorch fails, the reason comes back instead of times.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pair } from '../../compiler/layers/types.js';
import { loadExportNet } from '../net.js';
import { BENCH_PY } from './bench-py.js';
import { writePytorch } from './write.js';

/** What bench.py measured. */
export interface TorchTimes {
  forward_ms: number;
  train_step_ms?: number;
  /** PyTorch's version. */
  version: string;
  threads: number;
}

export type TorchBench = { times: TorchTimes } | { reason: string };

export interface TorchBenchOptions {
  input: Pair;
  runs: number;
  threads: number;
  train?: boolean;
  /** Which net of a .fcn file. */
  net?: string;
}

/** The Python that runs PyTorch: FCN_PYTHON, else Debian's /usr/bin/python3 (python3-torch). */
export function torchPython(): string {
  return process.env['FCN_PYTHON'] ?? '/usr/bin/python3';
}

/** Times `target` (a .fcn file or a model directory) in PyTorch; see the module comment. */
export async function benchTorch(target: string, o: TorchBenchOptions): Promise<TorchBench> {
  const python = torchPython();
  if (!existsSync(python)) return { reason: `${python} not found (set FCN_PYTHON to a python3 with PyTorch)` };
  const dir = await mkdtemp(join(tmpdir(), 'fcn-bench-torch-'));
  try {
    try {
      const net = await loadExportNet(target, { input: o.input, ...(o.net ? { net: o.net } : {}) });
      await writePytorch(join(dir, 'pkg'), net, false);
    } catch (e) {
      // fcn's own timing stands; say why there is nothing beside it.
      return { reason: `the net could not be exported to PyTorch: ${e instanceof Error ? e.message : String(e)}` };
    }
    await writeFile(join(dir, 'pkg', 'bench.py'), BENCH_PY);
    const args = ['bench.py', '--input', `${o.input[0]}x${o.input[1]}`, '--runs', String(o.runs)];
    args.push('--threads', String(o.threads), ...(o.train ? ['--train'] : []));
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(python, args, { cwd: join(dir, 'pkg'), maxBuffer: 1 << 20 }));
    } catch (e) {
      const stderr = String((e as { stderr?: unknown }).stderr ?? '');
      if (/No module named '?torch/.test(stderr))
        return {
          reason: `PyTorch is not installed for ${python} (Debian/Ubuntu: sudo apt-get install -y python3-torch)`,
        };
      const last = stderr.trim().split('\n').pop() || (e instanceof Error ? e.message : String(e));
      return { reason: `PyTorch failed: ${last}` };
    }
    return { times: JSON.parse(stdout.trim().split('\n').pop()!) as TorchTimes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
