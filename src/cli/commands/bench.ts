/**
 * `fcn bench NET.fcn|MODEL_DIR --input HxW [--train] [--backend B] [--runs N] [--json]`: the
 * median forward time (and with --train the median SGD step) after a warm-up, the throughput
 * in GFLOP/s from the compiler's FLOP count, and the backend.
 * `--json` prints {"forward_ms", "train_step_ms" (with --train), "backend", "input", "gflops", "heap_mb"};
 * heap_mb is the wasm heap's high-water mark (null on other backends), the memory a run needs.
 */
import type { Command } from 'commander';
import { parseInteger, parseSize } from '../errors.js';

interface BenchCliOptions {
  input: string;
  train?: boolean;
  backend?: string;
  runs?: string;
  json?: boolean;
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
      if (options.json) process.stdout.write(JSON.stringify(result) + '\n');
      else {
        const size = `${input[0]}×${input[1]}`;
        process.stdout.write(
          `${result.net} at ${size} on ${report.chosen} (median of ${runs} after a warm-up)\n` +
            `  forward     ${result.forward_ms.toFixed(1)} ms` +
            (result.flops === null
              ? '\n'
              : `  ${result.gflops!.toFixed(2)} GFLOP/s  (${(result.flops / 1e9).toFixed(2)} GFLOP)\n`) +
            (result.train_step_ms !== undefined ? `  train step  ${result.train_step_ms.toFixed(1)} ms\n` : '') +
            (result.heap_mb !== null ? `  wasm heap   ${result.heap_mb} MB (high-water mark)\n` : ''),
        );
      }
    });
}
