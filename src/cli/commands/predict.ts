import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'predict' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('predict')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'predict' is not implemented yet", 2);
    });
}
