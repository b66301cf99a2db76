/**
 * `fcn check FILE... [--json] [--net NAME]`: parses and resolves each file (with its
 * imports), then analyses each of its nets (crop offsets, channels, strides), and reports
 * every diagnostic, rustc-style on stderr or as JSON on stdout. Exit code 1 when there is
 * an error. It loads only the compiler, never TensorFlow.js, so it answers fast.
 */
import type { Command } from 'commander';
import { compileFile } from '../../compiler/compile.js';
import { checkFile } from '../../compiler/resolve/resolve.js';
import { diagnosticToJson, renderDiagnostics, type Diagnostic } from '../../diagnostics/index.js';

interface CheckOptions {
  json?: boolean;
  net?: string;
}

export interface CheckResult {
  /** Each diagnostic with the file whose check found it (the place for those without a span). */
  diagnostics: { file: string; diagnostic: Diagnostic }[];
  dropped: number;
  /** The nets each file defines. */
  nets: Map<string, string[]>;
}

/** The `--json` form: `diagnosticToJson`, with the checked file named when the diagnostic has no place. */
function toJson({ file, diagnostic }: CheckResult['diagnostics'][number]) {
  const json = diagnosticToJson(diagnostic);
  return json.file === null ? { ...json, file } : json;
}

/** Checks the files; returns every diagnostic once (an import shared by two files is reported once). */
export function checkFiles(files: readonly string[], options: { net?: string } = {}): CheckResult {
  const diagnostics: { file: string; diagnostic: Diagnostic }[] = [];
  const seen = new Set<string>();
  const nets = new Map<string, string[]>();
  let dropped = 0;
  for (const file of files) {
    const result = checkFile(file, { net: options.net });
    nets.set(file, result.nets);
    dropped += result.dropped;
    const found = [...result.diagnostics];
    // Only a net that resolved cleanly is analysed: its analysis errors would otherwise echo the resolver's.
    if (!found.some((d) => d.severity === 'error')) {
      for (const net of options.net === undefined ? result.nets : [options.net]) {
        found.push(...(compileFile(file, { net }).analysis?.diagnostics ?? []));
      }
    }
    for (const d of found) {
      const key = `${d.code}\0${d.message}\0${d.span?.source.name}\0${d.span?.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push({ file, diagnostic: d });
    }
  }
  return { diagnostics, dropped, nets };
}

export function register(program: Command): void {
  program
    .command('check')
    .description('parse, resolve and analyse .fcn files and report every mistake (exit 1 on errors)')
    .argument('<files...>', '.fcn files to check')
    .option('--json', 'print the diagnostics as a JSON array')
    .option('--net <name>', 'check only this net of each file (default: all of them)')
    .action((files: string[], options: CheckOptions) => {
      const { diagnostics, dropped, nets } = checkFiles(files, options);
      const errors = diagnostics.some((d) => d.diagnostic.severity === 'error');
      if (options.json) {
        process.stdout.write(`${JSON.stringify(diagnostics.map(toJson), null, 2)}\n`);
      } else {
        const list = diagnostics.map((d) => d.diagnostic);
        if (list.length) process.stderr.write(`${renderDiagnostics(list, { color: process.stderr.isTTY }, dropped)}\n`);
        if (!errors) {
          for (const [file, names] of nets) {
            process.stdout.write(
              `${file}: ok${names.length ? ` (${names.length === 1 ? 'net' : 'nets'} ${names.join(', ')})` : ''}\n`,
            );
          }
        }
      }
      process.exitCode = errors ? 1 : 0;
    });
}
