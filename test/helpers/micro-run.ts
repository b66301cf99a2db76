/**
 * What the training-loop tests share: the micro net (test/fixtures/train/micro.fcn), a micro
 * synthetic dataset for it in a temporary directory, new runs there, runs stopped on request,
 * and a run's logged losses.
 */
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  prepareNewRun,
  readLog,
  runPaths,
  runTraining,
  type IterEntry,
  type LoopResult,
  type PreparedRun,
  type SettingOverrides,
} from '../../src/train/index.js';
import { MICRO_NET, writeMicroData } from './micro.js';
import { useWasm } from './tf.js';

export { MICRO_NET };

export interface MicroRuns {
  /** The temporary directory (set before the tests run). */
  root: string;
  /** The micro dataset in it: 8 images of 16x16, 3 classes: 6 train, 2 val. */
  data: string;
  /** Prepares a new run of the micro net in ROOT/name (no evaluation unless `flags` asks). */
  newRun(name: string, flags?: SettingOverrides): Promise<PreparedRun>;
}

/** Registers the hooks that start wasm and write the micro dataset to a fresh directory, removed after the tests. */
export function microRuns(prefix: string): MicroRuns {
  const m: MicroRuns = {
    root: '',
    data: '',
    newRun: (name, flags = {}) =>
      prepareNewRun({ source: MICRO_NET, data: m.data, out: join(m.root, name), flags: { evalEvery: 0, ...flags } }),
  };
  test.before(async () => {
    await useWasm();
    m.root = await mkdtemp(join(tmpdir(), prefix));
    m.data = join(m.root, 'data');
    await writeMicroData(m.data);
  });
  test.after.always(async () => {
    if (m.root) await rm(m.root, { recursive: true, force: true });
  });
  return m;
}

/** A run's logged [iteration, loss] pairs. */
export async function loggedLosses(run: string): Promise<Array<[number, number]>> {
  return (await readLog(runPaths(run).log))
    .filter((e): e is IterEntry => e.type === 'iter')
    .map((e) => [e.iter, e.loss]);
}

/** Trains `prepared` and asks it to stop (as Ctrl-C does) once iteration `at` is done. */
export async function trainUntil(prepared: PreparedRun, at: number): Promise<LoopResult> {
  const controller = new AbortController();
  return runTraining({
    ...prepared,
    signal: controller.signal,
    events: { onStep: (e) => e.iteration === at && controller.abort() },
  });
}
