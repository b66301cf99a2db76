/**
 * `fcn viz FILE [--net NAME] [--input HxW] [--image IMG] [--format html|svg|dot|json] -o OUT`:
 * draws a net with its strides, receptive fields and crop offsets. The default format comes
 * from the output's extension (html otherwise). sharp is loaded only for `--image`; the
 * writers only when chosen; TensorFlow.js never.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { compileFile } from '../../compiler/compile.js';
import { hasErrors, renderDiagnostics, UserError } from '../../diagnostics/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { VizImage, VizModel, VizPair } from '../../viz/model.js';
import { parseSize } from '../errors.js';

const FORMATS = ['html', 'svg', 'dot', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface VizOptions {
  net?: string;
  input?: string;
  image?: string;
  format?: string;
  output: string;
}

/** The format asked for, else the one the output's extension names (`.htm` and `.gv` too), else html. */
export function vizFormat(format: string | undefined, output: string): Format {
  if (format !== undefined) {
    const f = format.toLowerCase();
    if (!(FORMATS as readonly string[]).includes(f))
      throw new UserError(`--format expects one of ${FORMATS.join(', ')}, got '${format}'`, 2);
    return f as Format;
  }
  const ext = extname(output).slice(1).toLowerCase();
  if (ext === 'htm') return 'html';
  if (ext === 'gv') return 'dot';
  return (FORMATS as readonly string[]).includes(ext) ? (ext as Format) : 'html';
}

/** Renders the model in a format, loading only that writer. */
async function render(model: VizModel, format: Format): Promise<string> {
  switch (format) {
    case 'html':
      return (await import('../../viz/html.js')).renderHtml(model);
    case 'svg':
      return (await import('../../viz/svg.js')).renderSvg(model);
    case 'dot':
      return (await import('../../viz/dot.js')).renderDot(model);
    case 'json':
      return JSON.stringify(model, null, 2) + '\n';
  }
}

/** Compiles the net, builds the model and writes it; returns the exit code. */
export async function viz(file: string, options: VizOptions): Promise<number> {
  const format = vizFormat(options.format, options.output);
  let input: VizPair | undefined = options.input === undefined ? undefined : parseSize(options.input);
  if (!existsSync(file)) throw new UserError(`cannot read '${file}': no such file`, 1);
  let image: VizImage | undefined;
  if (options.image !== undefined) {
    const { loadVizImage } = await import('../../viz/image.js');
    image = await loadVizImage(options.image, input);
    // Without --input the net is analysed at the image's own size, as FCNs take whole images.
    input ??= [image.height, image.width];
  }
  const compiled = compileFile(file, { ...(options.net ? { net: options.net } : {}), ...(input ? { input } : {}) });
  if (!compiled.analysis || hasErrors(compiled.diagnostics)) {
    const failed = hasErrors(compiled.diagnostics);
    throw new UserError(failed ? '' : `'${file}' defines no net to draw`, 1, compiled.diagnostics);
  }
  if (compiled.diagnostics.length)
    process.stderr.write(renderDiagnostics(compiled.diagnostics, { color: process.stderr.isTTY }) + '\n');
  const { toVizModel } = await import('../../viz/adapter.js');
  const model = toVizModel(compiled, image);
  await writeFileAtomic(options.output, await render(model, format));
  process.stdout.write(
    `wrote ${options.output} (${format}: ${model.net}, ${model.nodes.length} blobs, ${model.crops.length} crops)\n`,
  );
  return 0;
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
    .option('--format <format>', `output format: ${FORMATS.join(', ')} (default: from the -o extension, else html)`)
    .requiredOption('-o, --output <file>', 'the file to write')
    .action(async (file: string, options: VizOptions) => {
      process.exitCode = await viz(file, options);
    });
}
