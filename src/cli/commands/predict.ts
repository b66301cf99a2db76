/**
 * `fcn predict MODEL_DIR INPUT... [-o OUT] [--scores FILE.npy] [--overlay] [--backend B]`.
 * For each image (JPEG, PNG): the net's declared preprocessing, then the label map written as
 * a VOC palette PNG, optionally a colour overlay. A `.npy` input ([C, H, W] float32) is fed
 * exactly as it is, which is how numerics are compared with other frameworks; `--scores`
 * writes the raw score map [C, H, W] float32.
 * Outputs: with one input, -o is the label PNG (default `<stem>.label.png`); with several,
 * -o is a directory (default `.`) holding `<stem>.label.png` for each.
 */
import type { Command } from 'commander';
import { basename, extname, join } from 'node:path';
import { UserError } from '../../diagnostics/index.js';

interface PredictOptions {
  output?: string;
  scores?: string;
  overlay?: boolean;
  backend?: string;
  verbose?: boolean;
}

const stem = (file: string): string => basename(file, extname(file));

/** Registers `fcn predict`. */
export function register(program: Command): void {
  program
    .command('predict')
    .description('segment images (or raw .npy arrays) with a compiled or trained model')
    .argument('<model>', 'a model directory (from fcn compile or fcn train)')
    .argument('<inputs...>', 'JPEG/PNG images, or .npy arrays [C, H, W] fed without preprocessing')
    .option('-o, --output <path>', 'label PNG for one input; directory for several')
    .option('--scores <file.npy>', 'also write the raw score map [C, H, W] float32 (one input only)')
    .option('--overlay', 'also write <stem>.overlay.png: the labels in VOC colours over the image')
    .option('--backend <name>', 'node-gpu, node, native, wasm or cpu (default: the best that works; env FCN_BACKEND)')
    .option('-v, --verbose', 'say which backend runs')
    .action(async (modelDir: string, inputs: string[], options: PredictOptions) => {
      if (options.scores && inputs.length > 1) throw new UserError('--scores takes one input', 2);
      const runtime = await import('../../runtime/index.js');
      const data = await import('../../data/index.js');
      const report = await runtime.selectBackend(options.backend);
      if (options.verbose) process.stderr.write(runtime.backendSummary(report) + '\n');
      const { model, info } = await runtime.loadModel(modelDir);
      const single = inputs.length === 1;
      const outDir = single ? undefined : (options.output ?? '.');
      for (const file of inputs) {
        const isNpy = extname(file).toLowerCase() === '.npy';
        const image = isNpy ? undefined : await data.readImage(file);
        const tensor = image ? runtime.imageToInput(image, info) : await npyInput(runtime, file, info);
        const result = runtime.predict(model, info, tensor);
        tensor.dispose();
        const labelFile = single
          ? (options.output ?? `${stem(file)}.label.png`)
          : join(outDir!, `${stem(file)}.label.png`);
        await data.writeLabel(labelFile, result.labels);
        const written = [labelFile];
        if (options.scores) {
          await runtime.writeNpy(options.scores, result.scores, result.shape);
          written.push(options.scores);
        }
        if (options.overlay) {
          if (!image) throw new UserError(`${file}: --overlay needs an image, not a .npy array`, 2);
          const overlayFile = labelFile.replace(/(\.label)?\.png$/i, '') + '.overlay.png';
          await data.writeImagePng(overlayFile, overlay(image, result.labels, data.vocColor));
          written.push(overlayFile);
        }
        process.stdout.write(`${file}: ${written.join(', ')}\n`);
      }
      model.dispose();
    });
}

async function npyInput(
  runtime: typeof import('../../runtime/index.js'),
  file: string,
  info: import('../../runtime/index.js').ModelInfo,
) {
  const array = await runtime.readNpy(file);
  return runtime.chwToInput(array.data, array.shape, info, file);
}

/** The image with each pixel's class colour blended in at half strength (void and background left as they are). */
function overlay(
  image: import('../../data/index.js').RgbImage,
  labels: import('../../data/index.js').LabelMap,
  color: (i: number) => [number, number, number],
): import('../../data/index.js').RgbImage {
  if (labels.width !== image.width || labels.height !== image.height) {
    throw new UserError(
      `the label map is ${labels.width}×${labels.height} but the image ${image.width}×${image.height}; --overlay needs the same size`,
    );
  }
  const out = new Uint8Array(image.data);
  for (let p = 0; p < labels.data.length; p++) {
    const c = labels.data[p]!;
    if (c === 0 || c === 255) continue;
    const rgb = color(c);
    for (let k = 0; k < 3; k++) out[3 * p + k] = Math.round((image.data[3 * p + k]! + rgb[k]!) / 2);
  }
  return { width: image.width, height: image.height, data: out };
}
