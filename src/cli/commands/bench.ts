import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'bench' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('bench')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'bench' is not implemented yet", 2);
    });
}
