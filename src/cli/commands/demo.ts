import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'demo' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'demo' is not implemented yet", 2);
    });
}
