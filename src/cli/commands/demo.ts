/**
 * `fcn demo [--out DIR] [--backend B] [--iters N] [--seed S] [--examples N] [--json]`: the
 * whole path in a minute or two on a CPU, with nothing to download (src/demo/demo.ts): synthetic
 * data → train nets/tiny-fcn8s.fcn → score → predict → OUT/report.html. This command parses
 * the flags, shows progress, turns Ctrl-C into a clean stop, and prints the summary.
 */
import type { Command } from 'commander';
import { action } from '../action.js';
import { parseInteger } from '../errors.js';
import { stopExitCode, withStopSignals } from '../stop-signals.js';

interface DemoFlags {
  out: string;
  backend?: string;
  iters?: string;
  seed: string;
  examples: string;
  json?: boolean;
}

/** Registers `fcn demo`. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'synthetic data → train nets/tiny-fcn8s.fcn → score → predict, with an HTML report (a minute or two on a CPU)',
    )
    .option('--out <dir>', 'output directory (data/, run/, report.html)', 'fcn-demo')
    .option(
      '--backend <name>',
      'node-gpu, node, native, wasm or cpu (default: the best that works, native when built; env FCN_BACKEND)',
    )
    .option('--iters <n>', "training steps (default: the net's solver section)")
    .option('--seed <s>', 'seed of the synthetic dataset', '0')
    .option('--examples <n>', 'val images shown in the report', '8')
    .option('--json', 'print the demo summary as JSON')
    .action(
      action(async (flags: DemoFlags) => {
        const iters = flags.iters === undefined ? undefined : parseInteger(flags.iters, '--iters', 1);
        const seed = parseInteger(flags.seed, '--seed');
        const examples = parseInteger(flags.examples, '--examples');
        const { runDemo } = await import('../../demo/demo.js');
        const { startTrainProgress } = await import('../../train/index.js');
        const { startReportedProgress } = await import('../progress.js');
        const images = await startReportedProgress('images');
        let training: { stop(): void } | undefined;
        const { value: result } = await withStopSignals(
          'fcn demo',
          (signal) =>
            runDemo({
              out: flags.out,
              ...(flags.backend ? { backend: flags.backend } : {}),
              ...(iters === undefined ? {} : { iters }),
              seed,
              examples,
              signal,
              onStep: (n, of, text) => {
                images.stop();
                process.stderr.write(`[${n}/${of}] ${text}\n`);
              },
              onImage: images.report,
              trainEvents: async (prepared) =>
                (training = await startTrainProgress(prepared.state.settings.iters, prepared.state.iteration)),
            }),
          () => training?.stop(),
        ).catch((e: unknown) => {
          images.stop();
          throw e;
        });
        if (result.interrupted) {
          process.stderr.write(
            `fcn demo: interrupted; the training run can be continued with: fcn train --resume ${result.run}\n`,
          );
          return stopExitCode();
        }
        const m = result.summary;
        if (flags.json) {
          process.stdout.write(JSON.stringify(m, null, 2) + '\n');
          return;
        }
        process.stdout.write(
          `mean IU ${(m.mean_iu ?? NaN).toFixed(4)}, pixel accuracy ${(m.pixel_accuracy ?? NaN).toFixed(4)} on ${m.images} ${m.split} images ` +
            `(${m.iterations} iterations on ${m.backend}, ${m.timings_s['total']!.toFixed(0)} s in all)\n` +
            `report: ${m.report}\n`,
        );
      }),
    );
}
