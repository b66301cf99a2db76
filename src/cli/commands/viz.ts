/**
 * `fcn viz FILE [--net NAME] [--input HxW] [--image IMG] [--format html|svg|dot|json] -o OUT`:
 * draws a net with its strides, receptive fields and crop offsets (src/viz/render.ts). The
 * default format comes from the output's extension (html otherwise). A net with errors is
 * drawn all the same, its erroneous layers in red with their messages: errors of the analyses
 * (a crop that cannot align or does not fit, a layer that collapses, sizes that differ), and
 * errors of resolution (an unknown blob or parameter), a name that did not resolve drawn as a
 * red `missing` node. The diagnostics go to stderr and the exit code is 1. A file that does
 * not parse, or whose net cannot be expanded at all, has no graph to draw: the diagnostics,
 * exit 1, nothing written. sharp is loaded only for
 * `--image`; the writers only when chosen; TensorFlow.js never.
 */
import type { Command } from 'commander';
import { compileOrThrow } from '../../compiler/compile.js';
import { hasErrors, renderDiagnostics } from '../../diagnostics/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { VizImage, VizPair } from '../../viz/model.js';
import { drawNet, VIZ_FORMATS, vizFormat } from '../../viz/render.js';
import { action } from '../action.js';
import { parseSize } from '../errors.js';

interface VizOptions {
  net?: string;
  input?: string;
  image?: string;
  format?: string;
  output: string;
}

/** Registers `fcn viz`. */
export function register(program: Command): void {
  program
    .command('viz')
    .description(
      'draw a net with its strides, receptive fields and crop offsets: an offline HTML page, or SVG, DOT or JSON',
    )
    .argument('<file>', 'a .fcn file')
    .option('--net <name>', 'which net of the file (default: its last net)')
    .option(
      '--input <HxW>',
      'input size for shapes and the receptive-field view (default: the --image size, else the size the file declares)',
    )
    .option('--image <file>', 'draw receptive fields on this image (resized to the input size)')
    .option('--format <format>', `output format: ${VIZ_FORMATS.join(', ')} (default: from the -o extension, else html)`)
    .requiredOption('-o, --output <file>', 'the file to write')
    .addHelpText(
      'after',
      `
A net with errors is still drawn, each layer at fault outlined in red with its message: a
crop that cannot align or does not fit, a layer that collapses, inputs of different sizes, an
unknown parameter; a blob name that does not resolve is drawn as a red 'missing' node, and
what reads it has no sizes. The diagnostics are printed and the exit code is 1. A file with a
syntax error is not drawn (unless it is only a bracket left open at the end).`,
    )
    .action(
      action(async (file: string, options: VizOptions) => {
        const format = vizFormat(options.format, options.output);
        let input: VizPair | undefined = options.input === undefined ? undefined : parseSize(options.input);
        let image: VizImage | undefined;
        if (options.image !== undefined) {
          const { loadVizImage } = await import('../../viz/image.js');
          image = await loadVizImage(options.image, input);
          // Without --input the net is analysed at the image's own size, as FCNs take whole images.
          input ??= [image.height, image.width];
        }
        const compiled = compileOrThrow(file, {
          ...(options.net ? { net: options.net } : {}),
          ...(input ? { input } : {}),
          purpose: 'to draw',
          keepErrors: true,
          partial: true,
        });
        if (compiled.diagnostics.length)
          process.stderr.write(renderDiagnostics(compiled.diagnostics, { color: process.stderr.isTTY }) + '\n');
        const { model, text } = await drawNet(compiled, { format, ...(image ? { image } : {}) });
        await writeFileAtomic(options.output, text);
        const errors = model.errors.length
          ? `, ${model.errors.length} error${model.errors.length === 1 ? '' : 's'} drawn in red`
          : '';
        process.stdout.write(
          `wrote ${options.output} (${format}: ${model.net}, ${model.nodes.length} blobs, ${model.crops.length} crops${errors})\n`,
        );
        return hasErrors(compiled.diagnostics) ? 1 : 0;
      }),
    );
}
