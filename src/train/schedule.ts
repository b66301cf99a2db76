/**
 * Learning-rate schedules, as Caffe's SGDSolver::GetLearningRate computes them for the
 * policies fcn supports (the iteration is the number of completed steps):
 *   fixed  lr
 *   poly   lr · (1 − iter/iters)^power      (DeepLab's schedule)
 *   step   lr · gamma^⌊iter/stepsize⌋
 */
import { UserError } from '../diagnostics/index.js';

/** A schedule's name, as `lr_policy` spells it. */
export type LrPolicy = 'fixed' | 'poly' | 'step';

export const LR_POLICIES: readonly LrPolicy[] = ['fixed', 'poly', 'step'];

/** What a schedule needs: the base rate, the run's length and the policy's own settings. */
export interface Schedule {
  lr: number;
  iters: number;
  /** Absent: fixed (checkpoints written before schedules existed). */
  lrPolicy?: LrPolicy;
  power?: number;
  gamma?: number;
  stepsize?: number;
}

/** The learning rate of the step that follows `iteration` completed steps. */
export function learningRate(s: Schedule, iteration: number): number {
  switch (s.lrPolicy ?? 'fixed') {
    case 'fixed':
      return s.lr;
    case 'poly':
      return s.lr * Math.pow(Math.max(0, 1 - iteration / s.iters), s.power!);
    case 'step':
      return s.lr * Math.pow(s.gamma!, Math.floor(iteration / s.stepsize!));
  }
}

/** Rejects a schedule that lacks its settings; misuse errors name the flag. */
export function checkSchedule(s: Schedule): void {
  if (s.lrPolicy === 'poly' && !(s.power !== undefined && s.power >= 0))
    throw new UserError(`the poly schedule needs --power ≥ 0 (solver { power: … }), got ${s.power}`, 2);
  if (s.lrPolicy === 'step') {
    if (!(s.gamma !== undefined && s.gamma > 0))
      throw new UserError(`the step schedule needs --gamma > 0 (solver { gamma: … }), got ${s.gamma}`, 2);
    if (!(s.stepsize !== undefined && Number.isInteger(s.stepsize) && s.stepsize >= 1))
      throw new UserError(
        `the step schedule needs --stepsize, an integer ≥ 1 (solver { stepsize: … }), got ${s.stepsize}`,
        2,
      );
  }
}

/** The schedule in words: `lr 0.1`, `lr 0.1 (poly, power 0.9)`, `lr 0.1 (step, gamma 0.1 every 500)`. */
export function describeSchedule(s: Schedule): string {
  switch (s.lrPolicy ?? 'fixed') {
    case 'fixed':
      return `lr ${s.lr}`;
    case 'poly':
      return `lr ${s.lr} (poly, power ${s.power})`;
    case 'step':
      return `lr ${s.lr} (step, gamma ${s.gamma} every ${s.stepsize})`;
  }
}
