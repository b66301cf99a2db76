/**
 * `fcn predict MODEL_DIR INPUT... [-o OUT] [--scores FILE.npy] [--overlay] [--tile [SIZE]] [--backend B]`.
 * For each image (JPEG, PNG): the net's declared preprocessing, then the label map written as
 * a VOC palette PNG, optionally a colour overlay. A `.npy` input ([C, H, W] float32) is fed
 * exactly as it is, which is how numerics are compared with other frameworks; `--scores`
 * writes the raw score map [C, H, W] float32.
 * Outputs: with one input, -o is the label PNG (default `<stem>.label.png`); with several,
 * -o is a directory (default `.`) holding `<stem>.label.png` for each.
 * `--tile [SIZE]` runs each input in overlapping tiles (src/runtime/segment.ts), so any size the
 * net can be tiled over runs in bounded memory; a net whose scores are a crop of its input
 * (U-Net) runs in U-Net's overlap tiles, the image mirrored past its edges, so every pixel is
 * labelled and `--scores` has the image's size. Without it, a size the net does not take is
 * refused up front with the compiler's diagnostic.
 */
import type { Command } from 'commander';
import { basename, extname, join } from 'node:path';
import { UserError } from '../../diagnostics/index.js';
import { parseInteger, writing } from '../errors.js';
import { startReportedProgress } from '../progress.js';

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

/** Registers `fcn predict`. */
export function register(program: Command): void {
  program
    .command('predict')
    .description('segment images (or raw .npy arrays) with a compiled or trained model')
    .argument('<model>', 'a model directory (from fcn compile or fcn train)')
    .argument('<inputs...>', 'JPEG/PNG images, or .npy arrays [C, H, W] fed without preprocessing')
    .option('-o, --output <path>', 'label PNG for one input; directory for several')
    .option(
      '--scores <file.npy>',
      "also write the raw score map [C, H, W] float32 (one input only; a net with a label crop (U-Net) gives it smaller than the image, but of the image's size with --tile)",
    )
    .option('--overlay', 'also write <stem>.overlay.png: the labels in VOC colours over the image')
    .option(
      '--tile [size]',
      `run in overlapping tiles at most SIZE pixels a side (default ${DEFAULT_TILE}), blended: any image size in bounded memory; ` +
        "a net with a label crop (U-Net) runs U-Net's overlap-tile, the image mirrored past its edges: every pixel labelled, --scores of the image's size",
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
      const single = inputs.length === 1;
      const outDir = single ? undefined : (options.output ?? '.');
      for (const file of inputs) {
        const isNpy = extname(file).toLowerCase() === '.npy';
        const image = isNpy ? undefined : await data.readImage(file);
        if (options.overlay && !image) throw new UserError(`${file}: --overlay needs an image, not a .npy array`, 2);
        const input = image ? runtime.imageToArray(image, info) : await runtime.readNpyInput(file, info);
        const bar = await startReportedProgress('tiles');
        const result = await runtime
          .segment(engine ? (a) => engine.predict(a) : model!, info, input, {
            name: file,
            ...(tile === undefined ? {} : { tile }),
            onPlan: (plan) => {
              if (options.verbose) process.stderr.write(`${file}: ${describePlan(plan)}\n`);
            },
            onTile: bar.report,
          })
          .finally(bar.stop);
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
        if (image && options.overlay) {
          const overlayFile = labelFile.replace(/(\.label)?\.png$/i, '') + '.overlay.png';
          await writing(overlayFile, () => data.writeImagePng(overlayFile, data.overlayLabels(image, result.labels)));
          written.push(overlayFile);
        }
        process.stdout.write(`${file}: ${written.join(', ')}\n`);
      }
      model?.dispose();
      await engine?.release();
    });
}

type Runtime = typeof import('../../runtime/index.js');
type Engine = import('../../runtime/onnx-engine.js').OnnxEngine;
type Plan = import('../../runtime/index.js').TilePlan | import('../../runtime/index.js').OverlapTilePlan;

/** The tile plan as -v says it. */
function describePlan(plan: Plan): string {
  const grid = `${plan.rows.starts.length}x${plan.cols.starts.length} tiles`;
  if (!('kind' in plan))
    return (
      `${grid} of ${plan.rows.size}x${plan.cols.size}, margin ${plan.margin}` +
      (plan.exact ? '' : ' (overlap short of 2x the margin or off the grid: a border effect may show)')
    );
  const { rows, cols } = plan;
  return (
    `${grid} of ${rows.input}x${cols.input} giving ${rows.scores}x${cols.scores} scores at offset ${rows.offset}, ${cols.offset} ` +
    `(overlap-tile: the image mirrored past its edges; ` +
    (plan.onGrid
      ? `every tile on the net's ${plan.align}-pixel grid)`
      : `tiles off the net's ${plan.align}-pixel grid pool on their own phase, as in the U-Net paper)`)
  );
}

/**
 * The engine that runs the model: ONNX Runtime (--engine onnx, or by default where it is
 * installed and the record says it is faster than the tfjs backend that would run) or the
 * tfjs model on the chosen backend. A named --backend keeps tfjs unless --engine onnx.
 */
async function openEngine(
  runtime: Runtime,
  modelDir: string,
  options: PredictOptions,
): Promise<{
  engine?: Engine;
  model?: import('@tensorflow/tfjs').LayersModel;
  info: import('../../runtime/index.js').ModelInfo;
}> {
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
