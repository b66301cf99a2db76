import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'inspect' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'inspect' is not implemented yet", 2);
    });
}
