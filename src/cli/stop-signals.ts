/**
 * Ctrl-C and SIGTERM for the commands that train: the first such signal aborts an
 * AbortSignal, which the training loop heeds after the current step (with a checkpoint); a
 * second one ends the process at once by the signal's default action (checkpoints are atomic,
 * so the previous one stays whole), as a shell expects of a program interrupted twice.
 */
import { constants } from 'node:os';

/** The signals that stop a training cleanly: Ctrl-C, and SIGTERM (`docker stop`, a job scheduler). */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The exit code of a run stopped by `signal`, as a shell reports a process it ended: 128 + its number (SIGINT 130, SIGTERM 143). */
export function stopExitCode(signal: NodeJS.Signals = 'SIGINT'): number {
  return 128 + constants.signals[signal];
}

/**
 * Runs `work` with an AbortSignal that the first Ctrl-C or SIGTERM aborts; `say` hears what to
 * print (the command's progress display should stop first: `quiet`). Returns what `work`
 * returned and the signal that stopped it, if one did.
 */
export async function withStopSignals<T>(
  command: string,
  work: (signal: AbortSignal) => Promise<T>,
  quiet: () => void = () => {},
): Promise<{ value: T; stoppedBy?: NodeJS.Signals }> {
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    quiet();
    if (controller.signal.aborted) {
      process.stderr.write(`\n${command}: interrupted again; exiting without a new checkpoint\n`);
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      process.kill(process.pid, signal);
      return;
    }
    stoppedBy = signal;
    controller.abort();
    process.stderr.write(
      `\n${command}: ${signal === 'SIGINT' ? '' : `${signal}: `}stopping after this step and writing a checkpoint (Ctrl-C again to quit at once)…\n`,
    );
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  try {
    const value = await work(controller.signal);
    return { value, ...(stoppedBy ? { stoppedBy } : {}) };
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
