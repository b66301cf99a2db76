/**
 * `fcn inspect FILE [--net NAME] [--input HxW] [--json]`: what the analysing compiler works
 * out about a net. Human output: one table row per blob (shape, stride, RF, effective
 * padding, crop offset, params, FLOPs), the totals, the crops and the stride ladder of the
 * skip architecture (src/compiler/report-text.ts). `--json`: `inspectNet`'s report, the
 * analysis report plus the diagnostics. Never loads TensorFlow.js.
 */
import type { Command } from 'commander';
import { compileOrThrow } from '../../compiler/compile.js';
import { inspectReport } from '../../compiler/inspect.js';
import { formatReport } from '../../compiler/report-text.js';
import { hasErrors, renderDiagnostics } from '../../diagnostics/index.js';
import { action } from '../action.js';
import { parseSize } from '../errors.js';

interface InspectOptions {
  net?: string;
  input?: string;
  json?: boolean;
}

/** Registers `fcn inspect`. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description("show each blob's shape, stride, receptive field, effective padding and cost, and every crop offset")
    .argument('<file>', 'a .fcn file')
    .option('--net <name>', 'which net of the file (default: its last net)')
    .option('--input <HxW>', 'input size, e.g. 500x500 (default: the size the file declares, if any)')
    .option('--json', 'print the analysis as JSON')
    .action(
      action((file: string, options: InspectOptions) => {
        const input = options.input === undefined ? undefined : parseSize(options.input);
        const compiled = compileOrThrow(file, {
          ...(options.net ? { net: options.net } : {}),
          ...(input ? { input } : {}),
          purpose: 'to inspect',
          keepErrors: true,
        });
        const report = inspectReport(compiled);
        if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else {
          if (compiled.diagnostics.length)
            process.stderr.write(renderDiagnostics(compiled.diagnostics, { color: process.stderr.isTTY }) + '\n');
          process.stdout.write(formatReport(report) + '\n');
        }
        return hasErrors(compiled.diagnostics) ? 1 : 0;
      }),
    );
}
