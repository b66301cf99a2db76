/**
 * A counting progress bar for long CLI steps. It draws on stderr only when stderr is a
 * terminal, so pipes, CI logs and `--json` output stay clean; cli-progress is loaded only then.
 */

/** A started bar: report the count done, then stop (which clears it). */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { update() {}, stop() {} };

/** Starts a bar counting to `total`, labelled with `label` (e.g. "images"); a no-op off a terminal. */
export async function startProgress(total: number, label: string): Promise<Progress> {
  if (!process.stderr.isTTY || total <= 1) return NO_PROGRESS;
  const bar = await newBar(label);
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/** A bar for library calls that report `(done, total)`: drawn from the first report; a no-op off a terminal. */
export async function startReportedProgress(
  label: string,
): Promise<{ report: (done: number, total: number) => void; stop(): void }> {
  if (!process.stderr.isTTY) return { report() {}, stop() {} };
  const bar = await newBar(label);
  let started = false;
  return {
    report(done, total) {
      if (started) return bar.update(done);
      if (total <= 1) return;
      bar.start(total, done);
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}

async function newBar(label: string): Promise<import('cli-progress').SingleBar> {
  const { SingleBar, Presets } = await import('cli-progress');
  return new SingleBar(
    {
      format: `{bar} {value}/{total} ${label} | {duration_formatted} elapsed | ETA {eta_formatted}`,
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
}
