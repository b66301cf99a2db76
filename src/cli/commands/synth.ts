import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'synth' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('synth')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'synth' is not implemented yet", 2);
    });
}
