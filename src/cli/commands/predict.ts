/**
 * `fcn predict MODEL_DIR INPUT... [-o OUT] [--scores FILE.npy] [--overlay] [--tile [SIZE]] [--backend B]`.
 * For each image (JPEG, PNG): the net's declared preprocessing, then the label map written as
 * a VOC palette PNG, optionally a colour overlay. A `.npy` input ([C, H, W] float32) is fed
 * exactly as it is, which is how numerics are compared with other frameworks; `--scores`
 * writes the raw score map [C, H, W] float32.
 * Outputs: with one input, -o is the label PNG (default `<stem>.label.png`); with several,
 * -o is a directory (default `.`) holding `<stem>.label.png` for each.
 * `--tile [SIZE]` runs each input in overlapping tiles (src/runtime/tile.ts), so any size the
 * net can be tiled over runs in bounded memory. Without it, a size the net does not take is
 * refused up front with the compiler's diagnostic.
 */
import type { Command } from 'commander';
import type { Pair } from '../../compiler/layers/types.js';
import { basename, extname, join } from 'node:path';
import { UserError } from '../../diagnostics/index.js';
import { isOutOfMemory, parseInteger, writing } from '../errors.js';
import { startProgress } from '../progress.js';

interface PredictOptions {
  output?: string;
  scores?: string;
  overlay?: boolean;
  tile?: string | true;
  backend?: string;
  engine?: string;
  verbose?: boolean;
}

const stem = (file: string): string => basename(file, extname(file));

/** Tile side when --tile has no value: a size the paper's nets were run at, which tiny-fcn8s-padded takes too. */
const DEFAULT_TILE = 500;

type Runtime = typeof import('../../runtime/index.js');
type Model = Awaited<ReturnType<Runtime['loadModel']>>['model'];
type Info = import('../../runtime/index.js').ModelInfo;
type Sizes = import('../../runtime/index.js').NetSizes | undefined;
type NetArray = import('../../runtime/index.js').NetArray;
type Prediction = import('../../runtime/index.js').Prediction;

/** Whether tiles can cover an image of `size`: it is at least as large as the smallest size the net takes. */
const tileable = (sizes: Sizes, size: Pair): boolean =>
  !!sizes && [0, 1].every((a) => sizes.largestAtMost(a as 0 | 1, size[a]!) !== null);

/** The whole input through the net at once, after checking that the net takes its size. */
function segment(runtime: Runtime, model: Model, info: Info, sizes: Sizes, input: NetArray, file: string): Prediction {
  const size: Pair = [input.height, input.width];
  sizes?.check(size, file, { hint: tileable(sizes, size) ? 'resize it, or use --tile' : 'resize it' });
  try {
    const tensor = runtime.toTensor(input);
    try {
      return runtime.predict(model, info, tensor);
    } finally {
      tensor.dispose();
    }
  } catch (e) {
    throw isOutOfMemory(e)
      ? outOfMemory(runtime, `${info.net} on ${file} (${size[0]}x${size[1]})`, size, sizes, false)
      : e;
  }
}

/** The input through the net in tiles (src/runtime/tile.ts), with a progress bar over them. */
async function segmentTiled(
  runtime: Runtime,
  model: Model | import('../../runtime/index.js').TileRunner,
  info: Info,
  sizes: Sizes,
  input: NetArray,
  file: string,
  tile: number,
  verbose: boolean,
): Promise<Prediction> {
  if (!sizes)
    throw new UserError(
      `--tile needs the net's definition: the model's fcn.json predates carrying it and ${info.source} is not there; compile the model again`,
    );
  const size: Pair = [input.height, input.width];
  const plan = runtime.planTiles(sizes.tileGeometry(runtime.scoreOutput(info)), size, tile);
  if (!plan) {
    // Either the image is smaller than any size the net takes (which the check explains), or the tile is.
    if (!tileable(sizes, size)) sizes.check(size, file, { hint: 'resize it' });
    const smallest = sizes.nearest([1, 1])!;
    throw new UserError(
      `--tile ${tile} is smaller than any tile net ${info.net} takes (the smallest is ${smallest[0]}x${smallest[1]})`,
      2,
    );
  }
  const count = plan.rows.starts.length * plan.cols.starts.length;
  const [th, tw] = [plan.rows.size, plan.cols.size];
  if (verbose)
    process.stderr.write(
      `${file}: ${plan.rows.starts.length}x${plan.cols.starts.length} tiles of ${th}x${tw}, ` +
        `margin ${plan.margin}${plan.exact ? '' : ' (overlap short of 2x the margin or off the grid: a border effect may show)'}\n`,
    );
  const progress = await startProgress(count, 'tiles');
  try {
    return await runtime.predictTiled(model, info, input, plan, (done) => progress.update(done));
  } catch (e) {
    throw isOutOfMemory(e)
      ? outOfMemory(runtime, `${info.net} on ${file} in ${th}x${tw} tiles`, [th, tw], sizes, true)
      : e;
  } finally {
    progress.stop();
  }
}

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
    .option(
      '--tile [size]',
      `run in overlapping tiles at most SIZE pixels a side (default ${DEFAULT_TILE}), blended: any image size in bounded memory`,
    )
    .option('--backend <name>', 'node-gpu, node, native, wasm or cpu (default: the best that works; env FCN_BACKEND)')
    .option(
      '--engine <name>',
      'tfjs or onnx (ONNX Runtime on the exported net; default: onnx where onnxruntime-node is installed and measured faster, see fcn backends)',
    )
    .option('-v, --verbose', 'say which engine and backend run (and the tiles)')
    .action(async (modelDir: string, inputs: string[], options: PredictOptions) => {
      if (options.scores && inputs.length > 1) throw new UserError('--scores takes one input', 2);
      const tile =
        options.tile === undefined
          ? undefined
          : options.tile === true
            ? DEFAULT_TILE
            : parseInteger(options.tile, '--tile', 1);
      const runtime = await import('../../runtime/index.js');
      const data = await import('../../data/index.js');
      const { engine, model, info } = await openEngine(runtime, modelDir, options);
      const sizes = runtime.NetSizes.fromModel(info);
      const single = inputs.length === 1;
      const outDir = single ? undefined : (options.output ?? '.');
      for (const file of inputs) {
        const isNpy = extname(file).toLowerCase() === '.npy';
        const image = isNpy ? undefined : await data.readImage(file);
        const input = image ? runtime.imageToArray(image, info) : await npyInput(runtime, file, info);
        const run = engine ? (a: NetArray) => engine.predict(a) : model!;
        const result =
          tile !== undefined
            ? await segmentTiled(runtime, run, info, sizes, input, file, tile, options.verbose ?? false)
            : engine
              ? await segmentOnnx(engine, sizes, input, file)
              : segment(runtime, model!, info, sizes, input, file);
        const labelFile = single
          ? (options.output ?? `${stem(file)}.label.png`)
          : join(outDir!, `${stem(file)}.label.png`);
        await writing(labelFile, () => data.writeLabel(labelFile, result.labels));
        const written = [labelFile];
        if (options.scores) {
          const scores = options.scores;
          await writing(scores, () => runtime.writeNpy(scores, result.scores, result.shape));
          written.push(options.scores);
        }
        if (options.overlay) {
          if (!image) throw new UserError(`${file}: --overlay needs an image, not a .npy array`, 2);
          const overlayFile = labelFile.replace(/(\.label)?\.png$/i, '') + '.overlay.png';
          await writing(overlayFile, () =>
            data.writeImagePng(overlayFile, overlay(image, result.labels, data.vocColor)),
          );
          written.push(overlayFile);
        }
        process.stdout.write(`${file}: ${written.join(', ')}\n`);
      }
      model?.dispose();
      await engine?.release();
    });
}

type Engine = import('../../runtime/onnx-engine.js').OnnxEngine;

/**
 * The engine that runs the model: ONNX Runtime (--engine onnx, or by default where it is
 * installed and the record says it is faster than the tfjs backend that would run) or the
 * tfjs model on the chosen backend. A named --backend keeps tfjs unless --engine onnx.
 */
async function openEngine(
  runtime: Runtime,
  modelDir: string,
  options: PredictOptions,
): Promise<{ engine?: Engine; model?: Model; info: Info }> {
  const report = await runtime.selectBackend(options.backend);
  const { pickEngine } = await import('../../runtime/engine-choice.js');
  const { OnnxEngine } = await import('../../runtime/onnx-engine.js');
  const chosen = await pickEngine(options.engine, report.chosen, options.backend !== undefined);
  if (chosen === 'onnx') {
    const info = await runtime.readModelInfo(modelDir);
    const engine = await OnnxEngine.open(modelDir, info);
    if (options.verbose)
      process.stderr.write(
        `engine: onnx (onnxruntime-node${engine.cached ? `, export cached in ${engine.cached}` : ''})\n`,
      );
    return { engine, info };
  }
  if (options.verbose) process.stderr.write(`engine: tfjs; ${runtime.backendSummary(report)}\n`);
  const { model, info } = await runtime.loadModel(modelDir);
  return { model, info };
}

/** The whole input through ONNX Runtime, after checking that the net takes its size. */
async function segmentOnnx(engine: Engine, sizes: Sizes, input: NetArray, file: string): Promise<Prediction> {
  const size: Pair = [input.height, input.width];
  sizes?.check(size, file, { hint: tileable(sizes, size) ? 'resize it, or use --tile' : 'resize it' });
  return engine.predict(input);
}

const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GB`;

/**
 * Running out of memory as a user error: how much a forward pass holds at `size` (a whole
 * image, or a tile) by NetSizes.peakBytes, from the compiler's memory per blob, and on wasm
 * the largest size of that aspect that fits the heap: as an image size, or as a --tile size.
 */
function outOfMemory(runtime: Runtime, running: string, size: Pair, sizes: Sizes, tiled: boolean): UserError {
  const what = `out of memory running net ${running}`;
  const instead = tiled ? 'use a smaller --tile' : 'resize the image, or use --tile';
  if (!sizes) return new UserError(`${what}: ${instead}`);
  const need = `a forward pass at ${size[0]}x${size[1]} needs about ${gb(sizes.peakBytes(size))}`;
  if (!runtime.heapBackend()) return new UserError(`${what}: ${need}; ${instead}`);
  // Headroom for the heap's fragmentation.
  const budget = 0.9 * (runtime.WASM_HEAP_MAX - sizes.weightBytes());
  const fits = sizes.largestFitting(size, budget);
  const advice = !fits
    ? instead
    : tiled
      ? `use --tile ${Math.min(...fits)} or less`
      : `the largest size that fits is about ${fits[0]}x${fits[1]}: resize the image to it, or use --tile`;
  return new UserError(`${what}: ${need}, the wasm heap holds at most ${gb(runtime.WASM_HEAP_MAX)}; ${advice}`);
}

async function npyInput(runtime: Runtime, file: string, info: Info): Promise<NetArray> {
  const array = await runtime.readNpy(file);
  return runtime.chwToArray(array.data, array.shape, info, file);
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
