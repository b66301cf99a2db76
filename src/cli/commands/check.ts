/**
 * `fcn check FILE... [--json] [--net NAME]`: parses and resolves each file (with its
 * imports), then analyses each of its nets (crop offsets, channels, strides), and reports
 * every diagnostic, rustc-style on stderr or as JSON on stdout. Exit code 1 when there is
 * an error. It loads only the compiler, never TensorFlow.js, so it answers fast.
 */
import type { Command } from 'commander';
import { checkedToJson, checkFiles } from '../../compiler/check.js';
import { renderDiagnostics } from '../../diagnostics/index.js';
import { action } from '../action.js';

interface CheckOptions {
  json?: boolean;
  net?: string;
}

export function register(program: Command): void {
  program
    .command('check')
    .description('parse, resolve and analyse .fcn files and report every mistake (exit 1 on errors)')
    .argument('<files...>', '.fcn files to check')
    .option('--json', 'print the diagnostics as a JSON array')
    .option('--net <name>', 'check only this net of each file (default: all of them)')
    .action(
      action((files: string[], options: CheckOptions) => {
        const { diagnostics, dropped, nets, failed } = checkFiles(files, options);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(diagnostics.map(checkedToJson), null, 2)}\n`);
        } else {
          const list = diagnostics.map((d) => d.diagnostic);
          if (list.length)
            process.stderr.write(`${renderDiagnostics(list, { color: process.stderr.isTTY }, dropped)}\n`);
          if (!failed) {
            for (const [file, names] of nets) {
              process.stdout.write(
                `${file}: ok${names.length ? ` (${names.length === 1 ? 'net' : 'nets'} ${names.join(', ')})` : ''}\n`,
              );
            }
          }
        }
        return failed ? 1 : 0;
      }),
    );
}
