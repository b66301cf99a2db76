/**
 * `fcn lsp`: the language server for editors, over stdio (see src/lsp/). An editor starts it;
 * it prints nothing of its own on stdout, which belongs to the protocol.
 */
import type { Command } from 'commander';

/** Registers `fcn lsp`. */
export function register(program: Command): void {
  program
    .command('lsp')
    .description('run the language server for editors (Language Server Protocol over stdio)')
    .option('--stdio', 'talk over stdin and stdout (the default and only transport; accepted for editors that pass it)')
    .action(async () => {
      const { startServer } = await import('../../lsp/server.js');
      startServer();
      // The connection ends the process on the client's `exit`; until then the command waits.
      await new Promise<never>(() => undefined);
    });
}
