import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'compile' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('compile')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'compile' is not implemented yet", 2);
    });
}
