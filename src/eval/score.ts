/**
 * Scoring: label maps in, confusion matrix and metrics out. `scoreLabelPairs` is the shared
 * core (the model mode of `fcn eval` and training's periodic validation feed it predictions
 * straight from the net); `scoreFiles` reads prediction and ground-truth PNGs in any of the
 * label formats and pairs directories by file stem.
 */
import { stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { UserError } from '../diagnostics/index.js';
import { checkLabelRange, fileError, filesByStem, readLabel } from '../data/index.js';
import { Confusion } from './confusion.js';
import { computeMetrics, type Metrics } from './metrics.js';

/** One scored image: ground truth (255 void) and prediction, same length, row-major. */
export interface LabelPair {
  /** Image id or file, for error messages. */
  name: string;
  gt: ArrayLike<number>;
  pred: ArrayLike<number>;
}

/** What scoring produces. */
export interface EvalResult {
  images: number;
  confusion: Confusion;
  metrics: Metrics;
}

/** Scores (gt, pred) label pairs with `classes` classes, as the reference scoring does. */
export function scoreLabelPairs(pairs: Iterable<LabelPair>, classes: number): EvalResult {
  const confusion = new Confusion(classes);
  let images = 0;
  for (const { name, gt, pred } of pairs) {
    confusion.add(gt, pred, name);
    images++;
  }
  return { images, confusion, metrics: computeMetrics(confusion) };
}

/** A prediction file and the ground-truth file it is scored against. */
export interface FilePair {
  pred: string;
  gt: string;
}

async function isDirectory(path: string, role: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    throw fileError(e, path, `${role} file or directory`);
  }
}

/**
 * Pairs prediction and ground-truth paths: two files; a file and a directory (the ground
 * truth with the same stem); or two directories matched by stem. Every prediction needs a
 * ground truth; ground truth without a prediction is left out (a split's predictions can
 * be scored against a whole SegmentationClass folder).
 */
export async function matchLabelFiles(pred: string, gt: string): Promise<FilePair[]> {
  const [predDir, gtDir] = [await isDirectory(pred, 'prediction'), await isDirectory(gt, 'ground-truth')];
  if (!predDir && !gtDir) return [{ pred, gt }];
  if (predDir && !gtDir)
    throw new UserError(`--pred ${pred} is a directory, so --gt must be one too, but ${gt} is a file`, 2);
  const gtFiles = await filesByStem(gt, ['.png']);
  const stemOf = (f: string) => basename(f, extname(f));
  const preds = predDir ? [...(await filesByStem(pred, ['.png'])).values()].map((f) => join(pred, f)) : [pred];
  if (!preds.length) throw new UserError(`${pred}: no .png predictions in this directory`);
  return preds.map((p) => {
    const g = gtFiles.get(stemOf(p));
    if (g === undefined)
      throw new UserError(`${p}: no ground truth ${join(gt, `${stemOf(p)}.png`)} for this prediction`);
    return { pred: p, gt: join(gt, g) };
  });
}

/** Reads and checks one pair: same size, ground truth in [0, classes) or 255, prediction in [0, classes). */
export async function readLabelPair(files: FilePair, classes: number): Promise<LabelPair> {
  const [p, g] = await Promise.all([readLabel(files.pred), readLabel(files.gt)]);
  if (p.width !== g.width || p.height !== g.height) {
    throw new UserError(
      `${files.pred}: prediction is ${p.width}x${p.height} (WxH) but its ground truth ${files.gt} is ${g.width}x${g.height}`,
    );
  }
  checkLabelRange(g, classes, files.gt);
  checkLabelRange(p, classes, files.pred, false);
  return { name: files.pred, gt: g.data, pred: p.data };
}

/** Scores prediction files against ground-truth files (see {@link matchLabelFiles} for how paths pair up). */
export async function scoreFiles(pred: string, gt: string, classes: number): Promise<EvalResult> {
  return scoreFilePairs(await matchLabelFiles(pred, gt), classes);
}

/** Scores matched (prediction, ground truth) files; `onImage` hears how many are done. */
export async function scoreFilePairs(
  pairs: readonly FilePair[],
  classes: number,
  onImage?: (done: number) => void,
): Promise<EvalResult> {
  const confusion = new Confusion(classes);
  for (let i = 0; i < pairs.length; i++) {
    // One pair at a time, so memory stays flat however many images are scored.
    const pair = await readLabelPair(pairs[i]!, classes);
    confusion.add(pair.gt, pair.pred, pair.name);
    onImage?.(i + 1);
  }
  return { images: pairs.length, confusion, metrics: computeMetrics(confusion) };
}
