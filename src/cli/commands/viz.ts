import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'viz' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('viz')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'viz' is not implemented yet", 2);
    });
}
