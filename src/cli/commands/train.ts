import type { Command } from 'commander';
import { UserError } from '../../diagnostics/index.js';

/** Placeholder until the 'train' command lands; replaced by its real implementation. */
export function register(program: Command): void {
  program
    .command('train')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError("'train' is not implemented yet", 2);
    });
}
