/**
 * `fcn transplant FROM_MODEL_DIR|FROM.caffemodel TO_NET.fcn -o MODEL_DIR [--json]`: the
 * paper's net surgery. Parameters are copied by layer name; an inner product meeting a
 * convolution with as many weights is reshaped into it (VGG16's fc6 becomes the 7×7 conv
 * fc6, fc7 the 1×1 fc7); what still disagrees (fc8's 1000 classes) is dropped, and every
 * parameter left is initialised as the net says (bilinear upsampling, …). Each action is
 * reported.
 */
import type { Command } from 'commander';
import { parseInteger } from '../errors.js';
import { runWeights } from './import-weights.js';

interface TransplantOptions {
  output: string;
  netName?: string;
  seed: string;
  json?: boolean;
}

/** Registers `fcn transplant`. */
export function register(program: Command): void {
  program
    .command('transplant')
    .description("net surgery: a classifier's parameters into a .fcn net (fc layers cast to convolutions)")
    .argument('<from>', 'a caffemodel or an fcn model directory (e.g. VGG_ILSVRC_16_layers.caffemodel)')
    .argument('<net>', 'the .fcn net to fill (e.g. nets/voc-fcn32s.fcn)')
    .requiredOption('-o, --output <dir>', 'the model directory to write')
    .option('--net-name <name>', 'which net of the file (default: its last net)')
    .option('--seed <n>', 'seed of the initialisers of the parameters left', '0')
    .option('--json', 'print the report as JSON')
    .action(async (from: string, net: string, options: TransplantOptions) => {
      const seed = parseInteger(options.seed, '--seed');
      await runWeights(from, net, options.output, {
        mode: 'transplant',
        seed,
        json: options.json,
        netName: options.netName,
      });
    });
}
