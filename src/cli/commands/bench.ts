/**
 * `fcn bench NET.fcn|MODEL_DIR --input HxW [--train] [--backend B] [--runs N] [--no-torch] [--json]`:
 * the median forward time (and with --train the median SGD step) after a warm-up, the
 * throughput in GFLOP/s from the compiler's FLOP count, and the backend; then, in the same run,
 * PyTorch's times for the same net and weights (src/emit/pytorch/bench.ts) and fcn's time over
 * PyTorch's, unless --no-torch or PyTorch is missing (then the reason).
 * `--json` prints {"forward_ms", "train_step_ms" (with --train), "backend", "input", "gflops", "heap_mb",
 * "torch": {"forward_ms", "train_step_ms", "version", "threads"} | null, "torch_note" (why null),
 * "ratio": {"forward", "train_step"} | null}; heap_mb is the wasm heap's high-water mark (null on
 * other backends), the memory a run needs; a ratio below 1 means fcn is faster.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { TorchTimes } from '../../emit/pytorch/bench.js';
import { parseInteger, parseSize } from '../errors.js';

interface BenchCliOptions {
  input: string;
  train?: boolean;
  backend?: string;
  runs?: string;
  json?: boolean;
  torch: boolean;
  net?: string;
  verbose?: boolean;
}

/** Registers `fcn bench`. */
export function register(program: Command): void {
  program
    .command('bench')
    .description('time the forward pass (and a training step) of a net or a model directory')
    .argument('<net>', 'a .fcn file or a model directory')
    .requiredOption('--input <HxW>', 'input size, e.g. 500x500')
    .option('--train', 'also time a training step (forward, backward, SGD update)')
    .option('--runs <n>', 'timed runs after one warm-up', '3')
    .option('--net <name>', 'which net of a .fcn file (default: its last net)')
    .option('--backend <name>', 'node-gpu, node, native, wasm or cpu (default: the best that works; env FCN_BACKEND)')
    .option('--no-torch', "skip PyTorch's time for the same net (default: measured when python3-torch is installed)")
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'say which backend runs')
    .action(async (target: string, options: BenchCliOptions) => {
      const input = parseSize(options.input);
      const runs = parseInteger(options.runs ?? '3', '--runs', 1);
      const runtime = await import('../../runtime/index.js');
      const report = await runtime.selectBackend(options.backend);
      if (options.verbose) process.stderr.write(runtime.backendSummary(report) + '\n');
      const result = await runtime.benchNet(target, {
        input,
        runs,
        backend: report.chosen,
        ...(options.train ? { train: true } : {}),
        ...(options.net ? { net: options.net } : {}),
      });
      const torch = options.torch
        ? await sideBySide(target, { input, runs, train: options.train ?? false, net: options.net })
        : { torch: null, torch_note: 'skipped (--no-torch)' };
      const ratio = torch.torch
        ? {
            forward: round3(result.forward_ms / torch.torch.forward_ms),
            ...(result.train_step_ms !== undefined && torch.torch.train_step_ms !== undefined
              ? { train_step: round3(result.train_step_ms / torch.torch.train_step_ms) }
              : {}),
          }
        : null;
      if (options.json) process.stdout.write(JSON.stringify({ ...result, ...torch, ratio }) + '\n');
      else {
        const size = `${input[0]}×${input[1]}`;
        const t = torch.torch;
        const vs = (ms: number | undefined, r: number | undefined): string =>
          ms === undefined || r === undefined ? '' : `  PyTorch ${ms.toFixed(1)} ms  (${r.toFixed(2)}× PyTorch's time)`;
        process.stdout.write(
          `${result.net} at ${size} on ${report.chosen} (median of ${runs} after a warm-up)\n` +
            `  forward     ${result.forward_ms.toFixed(1)} ms` +
            (result.flops === null
              ? ''
              : `  ${result.gflops!.toFixed(2)} GFLOP/s  (${(result.flops / 1e9).toFixed(2)} GFLOP)`) +
            vs(t?.forward_ms, ratio?.forward) +
            '\n' +
            (result.train_step_ms !== undefined
              ? `  train step  ${result.train_step_ms.toFixed(1)} ms${vs(t?.train_step_ms, ratio?.train_step)}\n`
              : '') +
            (result.heap_mb !== null ? `  wasm heap   ${result.heap_mb} MB (high-water mark)\n` : '') +
            (t
              ? `  PyTorch     ${t.version} on ${t.threads} threads, the same net, measured after fcn\n`
              : `  PyTorch     not measured: ${torch.torch_note}\n`),
        );
      }
    });
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * PyTorch's times for the same net (src/emit/pytorch/bench.ts) on as many threads as this
 * machine has cores (FCN_THREADS if set), or null and the reason.
 */
async function sideBySide(
  target: string,
  o: { input: [number, number]; runs: number; train: boolean; net: string | undefined },
): Promise<{ torch: TorchTimes | null; torch_note?: string }> {
  const { benchTorch } = await import('../../emit/pytorch/bench.js');
  const threads = Number(process.env['FCN_THREADS'] ?? 0) || availableParallelism();
  const r = await benchTorch(target, {
    input: o.input,
    runs: o.runs,
    threads,
    ...(o.train ? { train: true } : {}),
    ...(o.net ? { net: o.net } : {}),
  });
  return 'times' in r ? { torch: r.times } : { torch: null, torch_note: r.reason };
}
