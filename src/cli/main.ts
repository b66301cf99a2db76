/**
 * The `fcn` command line. Each command lives in its own module under commands/ and loads
 * its heavy dependencies (TensorFlow.js, sharp) lazily inside its action, so that
 * `fcn check` and `fcn --help` start fast.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { exitStatus } from './action.js';
import { commands } from './commands/index.js';
import { reportFailure } from './errors.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('fcn')
    .description(
      'Fully convolutional networks: a declarative language, an analysing compiler, and a TensorFlow.js runtime',
    )
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .exitOverride();
  for (const register of commands) register(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the process exit code (0 ok, 1 user error, 2 misuse, 70 internal error). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return exitStatus(program);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0; misuse gets 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    return reportFailure(e);
  }
}
