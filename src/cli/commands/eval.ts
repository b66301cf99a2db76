/**
 * `fcn eval`: the FCN metrics (pixel accuracy, mean accuracy, mean IU, frequency-weighted
 * IU), per-class IU and the confusion matrix.
 *   fcn eval --pred FILE|DIR --gt FILE|DIR --classes N [--json]   scores label files
 *   fcn eval RUN|MODEL_DIR --data DIR [--split val] [--json]       scores a model (see below)
 */
import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';
import { parseInteger } from '../errors.js';
import { startProgress } from '../progress.js';
import type { EvalResult } from '../../eval/index.js';

interface EvalFlags {
  pred?: string;
  gt?: string;
  classes?: string;
  data?: string;
  split: string;
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

// ─── Model mode ──────────────────────────────────────────────────────────────────────────
// `fcn eval RUN|MODEL_DIR --data DIR --split val [--json]` belongs to the training work: it
// loads the model, runs it over `VocDataset.open(data, { split, classes })` (src/data/voc.ts),
// and passes each image's (label, argmax prediction) to `Confusion.add`, or a list of them to
// `scoreLabelPairs` (src/eval/score.ts); then it returns { result, names } like evaluateFiles
// (names from the model, or `readSynthManifest(data)` for `fcn synth` datasets). Until then:
/** Model mode: scores a trained model on a dataset split. Not available yet. */
async function evaluateModel(model: string, flags: EvalFlags): Promise<Scored> {
  void flags;
  throw new UserError(
    `fcn eval ${model}: scoring a model needs a model directory written by 'fcn train', and model evaluation is not available in this build yet; ` +
      'score prediction files with --pred FILE|DIR --gt FILE|DIR --classes N',
    2,
  );
}
// ─────────────────────────────────────────────────────────────────────────────────────────

/** Prints the scores: JSON on stdout with --json, otherwise a table. */
async function printResult(result: EvalResult, names: readonly string[] | undefined, json: boolean): Promise<void> {
  const { evalResultToJson, renderEvalReport } = await import('../../eval/index.js');
  if (json) process.stdout.write(JSON.stringify(evalResultToJson(result, names)) + '\n');
  else process.stdout.write(renderEvalReport(result, { names, color: process.stdout.isTTY }) + '\n');
}
