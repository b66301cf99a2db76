import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'eval' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('eval')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'eval' is not implemented yet", 2);
    });
}
