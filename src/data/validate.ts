/**
 * Checking a dataset before training: every listed image and label is read and checked (the
 * file exists and decodes to RGB or to class indices, image and label have one size, labels
 * are classes or void), and every problem is collected, so that bad data is reported all at
 * once before a run starts instead of stopping it at the step that first meets it.
 */
import { UserError } from '../diagnostics/index.js';
import type { FileProblem, VocDataset } from './voc.js';

/** A file of a split that cannot be used; `message` begins with the file's path. */
export interface BadFile extends FileProblem {
  split: string;
  id: string;
}

/** Reports how many of `total` examples have been checked. */
export type ValidateProgress = (done: number, total: number) => void;

/** Examples read at once: enough to keep sharp's decoding threads busy while labels inflate here. */
const CONCURRENCY = 16;

/** Bad files listed in one message; the rest are counted. */
export const MAX_LISTED = 20;

/**
 * Reads and checks every example of the splits, in list order, and returns every bad file
 * (none: the data is good). Splits opened with a cache keep what this decodes, so training
 * does not decode it again.
 */
export async function validateSplits(splits: readonly VocDataset[], onProgress?: ValidateProgress): Promise<BadFile[]> {
  const work = splits.flatMap((ds) => ds.ids.map((id) => ({ ds, id })));
  const found: BadFile[][] = new Array(work.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < work.length) {
      const k = next++;
      const { ds, id } = work[k]!;
      const loaded = await ds.check(id);
      found[k] = 'problems' in loaded ? loaded.problems.map((p) => ({ split: ds.split, id, ...p })) : [];
      onProgress?.(++done, work.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
  return found.flat();
}

/** Lines `file: what is wrong`, at most {@link MAX_LISTED}, then "and N more". */
export function listBadFiles(bad: readonly BadFile[]): string[] {
  const lines = bad.slice(0, MAX_LISTED).map((b) => `  ${b.message}`);
  if (bad.length > MAX_LISTED) lines.push(`  and ${bad.length - MAX_LISTED} more`);
  return lines;
}

/** "1 bad file", "2 bad files". */
const badFiles = (n: number) => `${n} bad ${n === 1 ? 'file' : 'files'}`;

/** The error for bad files: how many, in which splits, and each of them (capped). */
export function badFilesError(bad: readonly BadFile[], splits: readonly VocDataset[]): UserError {
  const examples = new Set(bad.map((b) => `${b.split}/${b.id}`)).size;
  const total = splits.reduce((n, ds) => n + ds.length, 0);
  const names = splits.map((ds) => ds.split).join(' and ');
  return new UserError(
    [
      `${badFiles(bad.length)} in ${examples} of the ${total} images of ${names}; fix or remove them, or give --skip-bad to leave them out:`,
      ...listBadFiles(bad),
    ].join('\n'),
  );
}

/**
 * Leaves the examples with bad files out of each split; returns the splits that remain and a
 * one-line warning that names the files and says how many examples remain. A split left
 * with nothing is an error.
 */
export function skipBadFiles(
  bad: readonly BadFile[],
  splits: readonly VocDataset[],
): { splits: VocDataset[]; warning: string } {
  const remaining = splits.map((ds) => {
    const ids = new Set(bad.filter((b) => b.split === ds.split).map((b) => b.id));
    const kept = ds.without(ids);
    if (!kept.length)
      throw new UserError(
        [`every image of ${ds.split} has a bad file; none is left to use:`, ...listBadFiles(bad)].join('\n'),
      );
    return kept;
  });
  const named = bad.slice(0, MAX_LISTED).map((b) => b.file);
  if (bad.length > MAX_LISTED) named.push(`and ${bad.length - MAX_LISTED} more`);
  const left = remaining.map((ds, i) => `${ds.length} of ${splits[i]!.length} ${ds.split}`).join(', ');
  return {
    splits: remaining,
    warning: `skipping ${badFiles(bad.length)} (${named.join(', ')}); ${left} images remain`,
  };
}
