/**
 * `fcn bench NET.fcn|MODEL_DIR --input HxW [--train] [--backend B] [--runs N] [--json]`: the
 * median forward time (and with --train the median SGD step) after a warm-up, the throughput
 * in GFLOP/s from the compiler's FLOP count, and the backend.
 * `--json` prints {"forward_ms", "train_step_ms" (with --train), "backend", "input", "gflops", "heap_mb"};
 * heap_mb is the wasm heap's high-water mark (null on other backends), the memory a run needs.
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { UserError } from '../../diagnostics/index.js';
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

const isDir = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

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
      let flops: number | null = null;
      let emitted: { model: import('@tensorflow/tfjs').LayersModel; info: import('../../runtime/index.js').ModelInfo };
      if (isDir(target)) {
        emitted = await runtime.loadModel(target);
        try {
          flops = runtime.analyzeNet(emitted.info.source, { net: emitted.info.net, input }).analysis.cost.total.flops;
        } catch {
          flops = null; // the source moved or changed: time anyway, without GFLOP/s
        }
      } else {
        const net = runtime.emitNet(target, { input, ...(options.net ? { net: options.net } : {}) });
        flops = net.analysis.cost.total.flops;
        emitted = net;
      }
      let times: import('../../runtime/index.js').BenchTimes;
      try {
        times = await runtime.benchModel(emitted.model, emitted.info, {
          input,
          runs,
          ...(options.train ? { train: true } : {}),
        });
      } catch (e) {
        if (!(e instanceof runtime.WasmHeapError)) throw e;
        throw new UserError(`${e.message}; try a smaller --input, or a backend without the 4 GB limit`, 1);
      }
      const gflops = flops === null ? null : flops / 1e9 / (times.forward_ms / 1000);
      const result = {
        net: emitted.info.net,
        forward_ms: round(times.forward_ms),
        ...(times.train_step_ms !== undefined ? { train_step_ms: round(times.train_step_ms) } : {}),
        backend: report.chosen,
        input,
        gflops: gflops === null ? null : round(gflops),
        flops,
        runs,
        heap_mb: times.heap_mb ?? null,
      };
      if (options.json) process.stdout.write(JSON.stringify(result) + '\n');
      else {
        const size = `${input[0]}×${input[1]}`;
        process.stdout.write(
          `${result.net} at ${size} on ${report.chosen} (median of ${runs} after a warm-up)\n` +
            `  forward     ${result.forward_ms.toFixed(1)} ms` +
            (flops === null ? '\n' : `  ${result.gflops!.toFixed(2)} GFLOP/s  (${(flops / 1e9).toFixed(2)} GFLOP)\n`) +
            (result.train_step_ms !== undefined ? `  train step  ${result.train_step_ms.toFixed(1)} ms\n` : '') +
            (result.heap_mb !== null ? `  wasm heap   ${result.heap_mb} MB (high-water mark)\n` : ''),
        );
      }
      emitted.model.dispose();
    });
}

const round = (x: number): number => Math.round(x * 100) / 100;
