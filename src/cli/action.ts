/**
 * Exit status returned from commands: each command's action returns its exit code (or nothing
 * for 0), which `action` records on the program it belongs to, for `main` to return. Nothing
 * goes through the global `process.exitCode`.
 */
import type { Command } from 'commander';

const statuses = new WeakMap<Command, number>();

/** The root program of a (sub)command. */
function root(command: Command): Command {
  let c = command;
  while (c.parent) c = c.parent;
  return c;
}

/** Wraps a command's action so that the exit code it returns becomes the program's. */
export function action<Args extends unknown[]>(
  run: (...args: Args) => number | void | Promise<number | void>,
): (this: Command, ...args: Args) => Promise<void> {
  return async function (this: Command, ...args: Args) {
    const code = await run(...args);
    statuses.set(root(this), code ?? 0);
  };
}

/** The exit code the program's command returned (0 when it returned none). */
export function exitStatus(program: Command): number {
  return statuses.get(program) ?? 0;
}
