/**
 * The training loop: Caffe's SGD steps (runtime Trainer) over the batches of a VOC split,
 * with a JSON-lines log, periodic evaluation on the val split, the best model kept,
 * checkpoints at every evaluation, and a clean stop on request (Ctrl-C) that checkpoints
 * first. The batch of step i depends only on the seed and i, and a checkpoint holds the
 * weights and the momentum history bit for bit, so a run resumed at step k computes exactly
 * what the uninterrupted run computes from step k on.
 */
import * as tf from '@tensorflow/tfjs';
import { imageChannels, preprocessingOf } from '../data/preprocess.js';
import type { Batch as DataBatch, VocDataset } from '../data/index.js';
import { UserError } from '../diagnostics/index.js';
import { evalResultToJson, type EvalResult } from '../eval/index.js';
import { saveModel, type Batch, type ModelInfo, type TrainerState } from '../runtime/index.js';
import { writeFileAtomic } from '../util/index.js';
import { saveCheckpoint, type RunState } from './checkpoint.js';
import { evaluateModel } from './evaluate.js';
import type { TrainLog } from './log.js';
import { runPaths } from './run-dir.js';
import type { RunLock } from './run-lock.js';
import { learningRate } from './schedule.js';
import { settingsToJson } from './settings.js';
import { createTrainer } from './workers.js';

/** Reported after every step. */
export interface StepEvent {
  iteration: number;
  iters: number;
  loss: number;
  imagesPerSec: number;
  /** Seconds of training so far, over all sessions. */
  elapsed: number;
}

/** Reported after every evaluation. */
export interface EvalEvent {
  iteration: number;
  split: string;
  result: EvalResult;
  best: boolean;
}

export interface LoopEvents {
  onStep?(e: StepEvent): void;
  onEvalStart?(iteration: number, images: number): void;
  onEval?(e: EvalEvent): void;
}

export interface LoopOptions {
  run: string;
  model: tf.LayersModel;
  info: ModelInfo;
  train: VocDataset;
  /** The split scored every `evalEvery` steps and at the end (none: no evaluation). */
  val?: VocDataset;
  /** Where the run stands: iteration 0 for a new run, the checkpoint's state when resuming. */
  state: RunState;
  /** The momentum history to continue from (resuming). */
  optimizer?: TrainerState;
  log: TrainLog;
  /** Aborting stops the run after the current step, with a checkpoint. */
  signal?: AbortSignal;
  events?: LoopEvents;
  /** The backend's name, for the summary. */
  backend?: string;
  /** Class names, for the summary. */
  classNames?: readonly string[];
  /** The run's lock (prepareNewRun/prepareResume take it); released when the loop returns or throws. */
  lock?: RunLock;
}

export interface LoopResult {
  state: RunState;
  /** True when the run stopped on request before its last step. */
  interrupted: boolean;
  /** The last evaluation of this session, if any. */
  lastEval?: EvalResult;
}

/** Turns a data batch into the model's feeds: the image input, and the same labels for every label input. */
function toFeeds(b: DataBatch, info: ModelInfo): Batch {
  const image = tf.tensor4d(b.images, [b.size, b.height, b.width, b.channels]);
  const labels: Batch['labels'] = {};
  for (const name of new Set(info.losses.map((l) => l.label)))
    labels[name] = tf.tensor3d(b.labels, [b.size, b.height, b.width], 'int32');
  return { inputs: { [info.inputs[0]!.name]: image }, labels };
}

/** The mean of the last `n` losses, the loss a summary reports (one batch is noisy). */
function recentMean(losses: number[]): number {
  return losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : NaN;
}
const RECENT = 20;

/** Trains until the settings' last step or an abort; see the module comment. Releases the run's lock when done. */
export async function runTraining(o: LoopOptions): Promise<LoopResult> {
  try {
    return await train(o);
  } finally {
    o.lock?.release();
  }
}

async function train(o: LoopOptions): Promise<LoopResult> {
  const { model, info, train, val, log, events = {} } = o;
  const s = o.state.settings;
  if (info.inputs.length !== 1)
    throw new UserError(`net ${info.net} has ${info.inputs.length} image inputs; fcn train feeds one`);
  const input = info.inputs[0]!;
  imageChannels(input.name, input.channels);
  const preprocess = preprocessingOf(input);
  const trainer = await createTrainer(model, info, s); // a ParallelTrainer with several workers
  if (o.optimizer) {
    trainer.restore(o.optimizer);
    tf.dispose(Object.values(o.optimizer.history));
  }
  const paths = runPaths(o.run);
  const state: RunState = { ...o.state, iteration: trainer.iteration };
  const sessionStart = performance.now();
  const baseElapsed = state.elapsed;
  const elapsed = (): number => baseElapsed + (performance.now() - sessionStart) / 1000;
  const recent: number[] = [];
  let lastEval: EvalResult | undefined;
  let checkpointed = -1;

  const checkpoint = async (): Promise<void> => {
    state.iteration = trainer.iteration;
    state.elapsed = elapsed();
    const optimizer = trainer.state();
    try {
      await saveCheckpoint(o.run, model, info, optimizer, state);
    } finally {
      tf.dispose(Object.values(optimizer.history));
    }
    checkpointed = trainer.iteration;
  };

  const evaluate = async (): Promise<void> => {
    if (!val) return;
    events.onEvalStart?.(trainer.iteration, val.length);
    const result = await evaluateModel(model, info, val);
    lastEval = result;
    const meanIU = result.metrics.meanIU;
    const best = !Number.isNaN(meanIU) && (state.best === undefined || meanIU > state.best.meanIU);
    // The best model is written before the checkpoint that records it, so a crash between the two never points at a missing model.
    if (best) {
      await saveModel(paths.best, model, info);
      state.best = { iteration: trainer.iteration, meanIU };
    }
    const { pixel_accuracy, mean_accuracy, mean_iu, fw_iu, per_class_iu } = evalResultToJson(result);
    log.add({
      type: 'eval',
      iter: trainer.iteration,
      split: val.split,
      pixel_accuracy,
      mean_accuracy,
      mean_iu,
      fw_iu,
      per_class_iu,
      time: elapsed(),
    });
    events.onEval?.({ iteration: trainer.iteration, split: val.split, result, best });
  };

  try {
    while (trainer.iteration < s.iters && !o.signal?.aborted) {
      const t0 = performance.now();
      const batch = await train.batch(trainer.iteration, {
        batch: s.batch,
        preprocess,
        flip: s.flip,
        seed: s.seed,
        ...(s.crop ? { crop: s.crop } : {}),
      });
      const feeds = toFeeds(batch, info);
      const lr = learningRate(s, trainer.iteration);
      let loss: number;
      try {
        loss = await trainer.step(feeds, lr);
      } finally {
        tf.dispose([...Object.values(feeds.inputs), ...Object.values(feeds.labels)]);
      }
      const it = trainer.iteration;
      const imagesPerSec = batch.size / ((performance.now() - t0) / 1000);
      log.add({ type: 'iter', iter: it, loss, lr, images_per_s: imagesPerSec, time: elapsed() });
      if (!Number.isFinite(loss)) {
        await log.flush();
        throw new UserError(
          `the loss diverged (${loss}) at iteration ${it}: lower the learning rate (--lr, now ${s.lr}, ${lr} at this step); ` +
            `the last checkpoint${checkpointed >= 0 ? ` (iteration ${checkpointed})` : ''} is left as it was`,
        );
      }
      recent.push(loss);
      if (recent.length > RECENT) recent.shift();
      events.onStep?.({ iteration: it, iters: s.iters, loss, imagesPerSec, elapsed: elapsed() });
      if (it === s.iters || (s.evalEvery > 0 && it % s.evalEvery === 0)) {
        await evaluate();
        await checkpoint();
        await log.flush();
      } else if (it % 25 === 0) {
        await log.flush();
      }
    }
    const interrupted = trainer.iteration < s.iters;
    if (checkpointed !== trainer.iteration) await checkpoint();
    state.iteration = trainer.iteration;
    state.elapsed = elapsed();
    if (!interrupted) {
      await saveModel(paths.model, model, info);
      await writeSummary(o, state, recentMean(recent), lastEval);
    }
    return { state, interrupted, ...(lastEval ? { lastEval } : {}) };
  } finally {
    await log.flush();
    trainer.dispose();
  }
}

/** Writes RUN/summary.json: what was trained, how, how fast, and how well. */
async function writeSummary(
  o: LoopOptions,
  state: RunState,
  finalLoss: number,
  lastEval: EvalResult | undefined,
): Promise<void> {
  const s = state.settings;
  const summary = {
    net: o.info.net,
    source: state.source,
    data: state.data,
    ...(o.backend ? { backend: o.backend } : {}),
    iterations: state.iteration,
    settings: settingsToJson(s),
    time_s: state.elapsed,
    images_per_s: (state.iteration * s.batch) / state.elapsed,
    final_loss: finalLoss,
    ...(lastEval && o.val ? { eval: { split: o.val.split, ...evalResultToJson(lastEval, o.classNames) } } : {}),
    best: state.best ? { iter: state.best.iteration, mean_iu: state.best.meanIU } : null,
    model: 'model',
    best_model: state.best ? 'best' : null,
  };
  await writeFileAtomic(
    runPaths(o.run).summary,
    JSON.stringify(summary, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n',
  );
}
