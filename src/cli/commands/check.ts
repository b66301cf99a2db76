import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'check' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('check')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'check' is not implemented yet", 2);
    });
}
