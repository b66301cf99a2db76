/**
 * `fcn export NET.fcn|MODEL_DIR --format onnx|pytorch -o OUT [--seed S] [--input HxW] [--net NAME] [--force]`:
 * the net, with a model directory's weights or a .fcn file's seeded initial ones, for other
 * frameworks. ONNX (src/emit/onnx/) writes one .onnx file for inference engines; PyTorch
 * (src/emit/pytorch/) writes a package (model.py, weights.npz, train.py) that trains under
 * torchrun with DistributedDataParallel. An existing output is replaced only if fcn wrote it
 * (an ONNX file whose producer is fcn; a directory marked by fcn-export.json), or with --force.
 */
import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';
import { parseInteger, parseSize, writing } from '../errors.js';

interface ExportOptions {
  format: string;
  output: string;
  seed: string;
  input?: string;
  net?: string;
  force?: boolean;
  json?: boolean;
}

const FORMATS = ['onnx', 'pytorch'] as const;

/** Registers `fcn export`. */
export function register(program: Command): void {
  program
    .command('export')
    .description('export a net with its weights to ONNX (inference engines) or PyTorch (training on many GPUs)')
    .argument('<net>', 'a model directory (its weights), or a .fcn file (freshly initialised weights)')
    .requiredOption('--format <format>', `${FORMATS.join(' or ')}`)
    .requiredOption('-o, --output <path>', 'the .onnx file, or the PyTorch package directory')
    .option('--seed <n>', 'seed of the initialisers, for a .fcn file', '0')
    .option('--input <HxW>', 'fix the input size (default: any size, or the size the net declares)')
    .option('--net <name>', 'which net of a .fcn file (default: its last net)')
    .option('--force', 'replace whatever is at the output path')
    .option('--json', 'print what was written as JSON')
    .action(async (source: string, options: ExportOptions) => {
      const format = options.format as (typeof FORMATS)[number];
      if (!FORMATS.includes(format))
        throw new UserError(`--format must be ${FORMATS.join(' or ')}, got '${options.format}'`, 2);
      const seed = parseInteger(options.seed, '--seed');
      const input = options.input === undefined ? undefined : parseSize(options.input);
      const { loadExportNet } = await import('../../emit/net.js');
      const force = options.force ?? false;
      const { checkOnnxOutput, writeOnnx } = await import('../../emit/onnx/write.js');
      const { checkPytorchOutput, writePytorch } = await import('../../emit/pytorch/write.js');
      // Refuse a protected output before the (possibly long) work.
      if (format === 'onnx') checkOnnxOutput(options.output, force);
      else checkPytorchOutput(options.output, force);
      const net = await loadExportNet(source, {
        seed,
        ...(input ? { input } : {}),
        ...(options.net ? { net: options.net } : {}),
      });
      const written =
        format === 'onnx'
          ? await writing(options.output, () => writeOnnx(options.output, net, force))
          : await writing(options.output, () => writePytorch(options.output, net, force));
      if (options.json) process.stdout.write(JSON.stringify(written, null, 2) + '\n');
      else
        process.stdout.write(
          `wrote ${written.files.join(', ')}: net ${net.info.net}, ${written.parameters.toLocaleString('en-US')} parameters, ` +
            `outputs ${net.info.outputs.join(', ')}\n`,
        );
    });
}
