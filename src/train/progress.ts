/**
 * How a training run reports itself while it runs, on stderr (stdout stays for results):
 * on a terminal a cli-progress bar (iteration, loss, images/s, last val mean IU, ETA);
 * elsewhere (pipes, CI, tests) a plain line every 5% of the run and one per evaluation.
 */
import type { EvalEvent, LoopEvents, StepEvent } from './loop.js';

/** A progress display: the loop's events, plus a stop that clears the bar. */
export interface TrainProgress extends LoopEvents {
  stop(): void;
}

/** Formats seconds as 1h02m, 3m05s or 12s. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Loss averaged over the last steps, as the display shows it (one batch is noisy). */
class Smoother {
  private values: number[] = [];
  add(v: number): number {
    this.values.push(v);
    if (this.values.length > 20) this.values.shift();
    return this.values.reduce((a, b) => a + b, 0) / this.values.length;
  }
}

/** Speed over this session, for the ETA: steps per second since the first reported step. */
class Rate {
  private first: { iteration: number; at: number } | undefined;
  eta(e: StepEvent): number {
    const now = performance.now();
    if (!this.first) {
      this.first = { iteration: e.iteration, at: now };
      return NaN; // one step is no rate yet
    }
    const perStep = (now - this.first.at) / 1000 / Math.max(1, e.iteration - this.first.iteration);
    return (e.iters - e.iteration) * perStep;
  }
}

function evalLine(e: EvalEvent): string {
  const m = e.result.metrics;
  return `iter ${e.iteration}: ${e.split} mean IU ${m.meanIU.toFixed(4)}, pixel accuracy ${m.pixelAccuracy.toFixed(4)}${e.best ? ' (best so far)' : ''}`;
}

/** Plain periodic lines, for logs that are not terminals. */
function plainProgress(write: (line: string) => void, every: (iters: number) => number): TrainProgress {
  const loss = new Smoother();
  const rate = new Rate();
  return {
    onStep(e) {
      const smooth = loss.add(e.loss);
      const eta = rate.eta(e);
      if (e.iteration % every(e.iters) !== 0 && e.iteration !== e.iters) return;
      write(
        `iter ${e.iteration}/${e.iters}  loss ${smooth.toFixed(4)}  ${e.imagesPerSec.toFixed(1)} img/s  ` +
          `elapsed ${formatDuration(e.elapsed)}  ETA ${formatDuration(eta)}`,
      );
    },
    onEval(e) {
      write(evalLine(e));
    },
    stop() {},
  };
}

/** A cli-progress bar on stderr. */
async function barProgress(total: number, start: number): Promise<TrainProgress> {
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      format: '{bar} {value}/{total} it | loss {loss} | {ips} img/s | {val} | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  const loss = new Smoother();
  let val = 'val mIU –';
  bar.start(total, start, { loss: '–', ips: '–', val });
  return {
    onStep(e) {
      bar.update(e.iteration, { loss: loss.add(e.loss).toFixed(4), ips: e.imagesPerSec.toFixed(1), val });
    },
    onEvalStart(iteration) {
      bar.update(iteration, { val: 'evaluating…' });
    },
    onEval(e) {
      val = `val mIU ${e.result.metrics.meanIU.toFixed(4)}`;
      bar.update(e.iteration, { val });
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * Starts the display for a run of `total` steps resuming at `start`: a bar on a terminal,
 * plain lines (through `write`, stderr by default) otherwise.
 */
export async function startTrainProgress(
  total: number,
  start: number,
  options: { tty?: boolean; write?: (line: string) => void } = {},
): Promise<TrainProgress> {
  const tty = options.tty ?? process.stderr.isTTY === true;
  if (tty) return barProgress(total, start);
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  return plainProgress(write, (iters) => Math.max(1, Math.round(iters / 20)));
}
