import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'backends' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('backends')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'backends' is not implemented yet", 2);
    });
}
