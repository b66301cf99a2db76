/**
 * `fcn import-weights MODEL.caffemodel|WEIGHTS.npz --net NET.fcn -o MODEL_DIR [--json]`: fills a
 * .fcn net's parameters from a binary caffemodel (current or V1 form), or from the .npz that
 * `fcn export --format pytorch` and its train.py write (weights trained in PyTorch), matching layers by name
 * (`conv1_1` fills `vgg.conv1_1` when it is the only layer so named), converting Caffe's
 * layouts to tfjs's, and writing a model directory that `fcn predict` and `fcn train` take.
 * A shape disagreement, a truncated file or a caffemodel of another net is an error.
 */
import type { Command } from 'commander';
import { parseInteger } from '../errors.js';

interface ImportWeightsOptions {
  net: string;
  netName?: string;
  output: string;
  seed: string;
  json?: boolean;
}

/** Registers `fcn import-weights`. */
export function register(program: Command): void {
  program
    .command('import-weights')
    .description(
      "fill a .fcn net's parameters from a Caffe caffemodel or a PyTorch export's .npz, writing a model directory",
    )
    .argument(
      '<caffemodel>',
      'a binary Caffe model (e.g. fcn8s-heavy-pascal.caffemodel), or an .npz of fcn export/train.py',
    )
    .requiredOption(
      '--net <file>',
      'the .fcn net the weights are for (e.g. nets/voc-fcn8s.fcn, or an imported prototxt)',
    )
    .requiredOption('-o, --output <dir>', 'the model directory to write')
    .option('--net-name <name>', 'which net of the file (default: its last net)')
    .option('--seed <n>', 'seed of the initialisers of parameters the caffemodel lacks', '0')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: ImportWeightsOptions) => {
      const seed = parseInteger(options.seed, '--seed');
      await runWeights(file, options.net, options.output, {
        mode: 'import',
        seed,
        json: options.json,
        netName: options.netName,
      });
    });
}

/** The work of import-weights and transplant (src/caffe/weights/transfer.ts), then its report. */
export async function runWeights(
  source: string,
  net: string,
  output: string,
  options: { mode: 'import' | 'transplant'; seed: number; json?: boolean | undefined; netName?: string | undefined },
): Promise<void> {
  const { transferWeights } = await import('../../caffe/weights/transfer.js');
  const { reportJson, reportText } = await import('../../caffe/weights/report.js');
  const result = await transferWeights(source, net, output, {
    mode: options.mode,
    seed: options.seed,
    ...(options.netName ? { netName: options.netName } : {}),
  });
  process.stdout.write(options.json ? reportJson(result, source, output) : reportText(result, source, output));
}
