/**
 * `fcn compile NET.fcn -o DIR [--seed S] [--input HxW] [--net NAME] [--backend B] [--force]`:
 * compiles a net to a tfjs model directory (model.json + weights.bin + fcn.json), initialised
 * with the seeded initialisers and ready to train or load. The directory is written atomically;
 * an existing DIR is replaced only if it is an fcn model directory, or with --force.
 */
import type { Command } from 'commander';
import { parseInteger, parseSize } from '../errors.js';

interface CompileOptions {
  output: string;
  seed?: string;
  input?: string;
  net?: string;
  backend?: string;
  verbose?: boolean;
  force?: boolean;
}

/** Registers `fcn compile`. */
export function register(program: Command): void {
  program
    .command('compile')
    .description('compile a net to an initialised TensorFlow.js model directory')
    .argument('<file>', 'a .fcn file')
    .requiredOption('-o, --output <dir>', 'the model directory to write')
    .option('--seed <n>', 'seed of the weight initialisers', '0')
    .option('--input <HxW>', 'fix the input size (default: any size, or the size the file declares)')
    .option('--net <name>', 'which net of the file (default: its last net)')
    .option('--backend <name>', 'node-gpu, node, native, wasm or cpu (default: the best that works; env FCN_BACKEND)')
    .option('-v, --verbose', 'say which backend runs')
    .option('--force', 'replace whatever is at the output path (by default only an fcn model directory is replaced)')
    .action(async (file: string, options: CompileOptions) => {
      const seed = parseInteger(options.seed ?? '0', '--seed');
      const input = options.input === undefined ? undefined : parseSize(options.input);
      const { selectBackend, backendSummary, emitNet, saveModel, MODEL_DIR } = await import('../../runtime/index.js');
      const { checkReplaceable } = await import('../../util/index.js');
      const force = options.force ?? false;
      checkReplaceable(options.output, MODEL_DIR, { force, flag: '-o', forceFlag: true });
      const report = await selectBackend(options.backend);
      if (options.verbose) process.stderr.write(backendSummary(report) + '\n');
      const { model, info } = emitNet(file, {
        seed,
        ...(input ? { input } : {}),
        ...(options.net ? { net: options.net } : {}),
      });
      await saveModel(options.output, model, info, { force });
      const crops = info.crops.map((c) => `${c.name} [${c.offset.join(', ')}]`).join(', ');
      process.stdout.write(
        `wrote ${options.output}: net ${info.net}, ${model.countParams().toLocaleString('en-US')} parameters, ` +
          `outputs ${info.outputs.join(', ')}${crops ? `, crops ${crops}` : ''}\n`,
      );
      model.dispose();
    });
}
