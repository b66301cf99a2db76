/**
 * `fcn eval`: the FCN metrics (pixel accuracy, mean accuracy, mean IU, frequency-weighted
 * IU), per-class IU and the confusion matrix.
 *   fcn eval --pred FILE|DIR --gt FILE|DIR --classes N [--json]   scores label files
 *   fcn eval RUN|MODEL_DIR --data DIR [--split val] [--json]       scores a model (see below)
 */
import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';
import { parseInteger } from '../errors.js';
import { startProgress, startReportedProgress } from '../progress.js';
import type { EvalResult } from '../../eval/index.js';

interface EvalFlags {
  pred?: string;
  gt?: string;
  classes?: string;
  data?: string;
  split: string;
  backend?: string;
  engine?: string;
  json?: boolean;
}

/** Registers `fcn eval`. */
export function register(program: Command): void {
  program
    .command('eval')
    .description('score segmentations: prediction files against ground truth, or a trained model on a dataset split')
    .argument('[model]', 'a training run or model directory (model mode)')
    .option(
      '--pred <path>',
      'prediction label PNG, or a directory of them (palette, grayscale index or VOC-colour RGB)',
    )
    .option('--gt <path>', 'ground-truth label PNG, or a directory matched to --pred by file stem')
    .option('--classes <n>', 'number of classes (labels 255 are void and ignored)')
    .option('--data <dir>', 'dataset in the VOC layout (model mode)')
    .option('--split <name>', 'dataset split to score (model mode)', 'val')
    .option('--backend <name>', 'node-gpu, node, native, wasm or cpu (model mode; default: the best that works)')
    .option(
      '--engine <name>',
      "tfjs or onnx (model mode; default tfjs, which scores exactly as training's validation does)",
    )
    .option('--json', 'print the scores as JSON')
    .action(async (model: string | undefined, flags: EvalFlags) => {
      const result = model === undefined ? await evaluateFiles(flags) : await evaluateModel(model, flags);
      await printResult(result.result, result.names, flags.json ?? false);
    });
}

/** What a mode hands to the printer: the scores and, when known, the class names. */
interface Scored {
  result: EvalResult;
  names?: readonly string[];
}

/** File mode: --pred and --gt label files or directories. */
async function evaluateFiles(flags: EvalFlags): Promise<Scored> {
  if (flags.pred === undefined && flags.gt === undefined) {
    throw new UserError(
      'fcn eval needs a model directory (fcn eval RUN --data DIR) or prediction files (--pred … --gt … --classes N)',
      2,
    );
  }
  if (flags.pred === undefined || flags.gt === undefined)
    throw new UserError('--pred and --gt go together: give both', 2);
  if (flags.classes === undefined)
    throw new UserError('--classes N is required with --pred/--gt (e.g. 21 for PASCAL VOC)', 2);
  const classes = parseInteger(flags.classes, '--classes', 1);
  if (classes > 255) throw new UserError(`--classes must be at most 255 (255 is the void label), got ${classes}`, 2);
  const { matchLabelFiles, scoreFilePairs } = await import('../../eval/index.js');
  const { VOC_CLASSES } = await import('../../data/index.js');
  const pairs = await matchLabelFiles(flags.pred, flags.gt);
  const progress = await startProgress(pairs.length, 'images');
  try {
    const result = await scoreFilePairs(pairs, classes, (done) => progress.update(done));
    return { result, names: classes === VOC_CLASSES.length ? VOC_CLASSES : undefined };
  } finally {
    progress.stop();
  }
}

/**
 * Model mode: scores a model on a dataset split. RUN is a training run (its final model, or
 * its last checkpoint if it never finished); MODEL_DIR a model directory (fcn compile/train).
 */
async function evaluateModel(model: string, flags: EvalFlags): Promise<Scored> {
  if (flags.pred !== undefined || flags.gt !== undefined)
    throw new UserError('give a model directory or --pred/--gt files, not both', 2);
  if (flags.data === undefined)
    throw new UserError(`fcn eval ${model} needs --data DIR (a dataset in the VOC layout) to score the model on`, 2);
  const { selectBackend } = await import('../../runtime/index.js');
  const { scoreRun } = await import('../../train/index.js');
  const report = await selectBackend(flags.backend);
  const { pickEngine } = await import('../../runtime/engine-choice.js');
  // tfjs unless named: fcn eval agrees to the pixel with the validation fcn train and fcn demo report.
  const engine = flags.engine === undefined ? 'tfjs' : await pickEngine(flags.engine, report.chosen, true);
  const progress = await startReportedProgress('images');
  const scored = await scoreRun(model, flags.data, flags.split, { onImage: progress.report, engine }).finally(
    progress.stop,
  );
  if (scored.note) process.stderr.write(`fcn eval: ${scored.note}\n`);
  return scored;
}

/** Prints the scores: JSON on stdout with --json, otherwise a table. */
async function printResult(result: EvalResult, names: readonly string[] | undefined, json: boolean): Promise<void> {
  const { evalResultToJson, renderEvalReport } = await import('../../eval/index.js');
  if (json) process.stdout.write(JSON.stringify(evalResultToJson(result, names)) + '\n');
  else process.stdout.write(renderEvalReport(result, { names, color: process.stdout.isTTY }) + '\n');
}
