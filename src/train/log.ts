/**
 * The training log, RUN/log.jsonl: one JSON object per line, appended as the run goes.
 *   {"type":"start", "iter":0, "time":0, "settings":{…}, "backend":"wasm", …}
 *   {"type":"iter", "iter":1, "loss":1.386, "lr":0.1, "images_per_s":95.2, "time":0.08}
 *   {"type":"eval", "iter":200, "split":"val", "mean_iu":0.71, …, "time":21.4}
 *   {"type":"resume", "iter":600, "time":63.0}
 * `iter` counts completed steps; `time` is seconds of training since the run began, summed
 * over resumed sessions. On resume the log is cut back to the checkpoint's iteration, so
 * lines a crash left past it do not describe the run twice.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/index.js';

/** One step. */
export interface IterEntry {
  type: 'iter';
  iter: number;
  loss: number;
  lr: number;
  images_per_s: number;
  time: number;
}

/** One evaluation; the metric keys are those of `fcn eval --json`. */
export interface EvalEntry {
  type: 'eval';
  iter: number;
  split: string;
  pixel_accuracy: number | null;
  mean_accuracy: number | null;
  mean_iu: number | null;
  fw_iu: number | null;
  per_class_iu: Array<number | null>;
  time: number;
}

/** The start of a run or of a resumed session. */
export interface SessionEntry {
  type: 'start' | 'resume';
  iter: number;
  time: number;
  [key: string]: unknown;
}

export type LogEntry = IterEntry | EvalEntry | SessionEntry;

/** Serialises one entry; non-finite numbers (a diverged loss) become null, as JSON has no NaN. */
export function formatLogEntry(entry: LogEntry): string {
  return JSON.stringify(entry, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n';
}

/** Parses a log; a torn last line (the process died mid-write) is dropped. */
export function parseLog(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as LogEntry);
    } catch {
      // only the last line can be torn; anything unparsable is skipped
    }
  }
  return entries;
}

/** Reads RUN/log.jsonl (an empty list if there is none). */
export async function readLog(path: string): Promise<LogEntry[]> {
  try {
    return parseLog(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Appends entries to a log file, buffering steps so that a run does not write a file per step. */
export class TrainLog {
  private pending = '';

  constructor(readonly path: string) {}

  /** Starts a new log (replacing any file there). */
  static async create(path: string): Promise<TrainLog> {
    await writeFileAtomic(path, '');
    return new TrainLog(path);
  }

  /** Reopens a run's log for a resumed session, keeping only what happened up to `iteration`. */
  static async resume(path: string, iteration: number): Promise<TrainLog> {
    const kept = (await readLog(path)).filter(
      (e) => e.iter < iteration || (e.iter === iteration && e.type !== 'resume'),
    );
    await writeFileAtomic(path, kept.map(formatLogEntry).join(''));
    return new TrainLog(path);
  }

  /** Queues an entry; call flush() to write. */
  add(entry: LogEntry): void {
    this.pending += formatLogEntry(entry);
  }

  /** Writes the queued entries. */
  async flush(): Promise<void> {
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    await appendFile(this.path, text);
  }
}
