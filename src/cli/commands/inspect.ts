/**
 * `fcn inspect FILE [--net NAME] [--input HxW] [--json]`: what the analysing compiler works
 * out about a net. Human output: one table row per blob (shape, stride, RF, effective
 * padding, crop offset, params, FLOPs), the totals, the input-size advisor (accepted and
 * exact sides per axis, and the verdict on the analysed size), the crops and the stride ladder
 * of the skip architecture (src/compiler/report-text.ts). `--json`: `inspectReport`'s data,
 * the analysis report plus `inputSizes` and the diagnostics. Never loads TensorFlow.js.
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
    .description(
      "show each blob's shape, stride, receptive field, effective padding and cost, every crop offset, " +
        'and which input sizes the net accepts and which of them are exact (no layer rounds)',
    )
    .argument('<file>', 'a .fcn file')
    .option('--net <name>', 'which net of the file (default: its last net)')
    .option('--input <HxW>', 'input size, e.g. 500x500 (default: the size the file declares, if any)')
    .option('--json', 'print the analysis as JSON (the input-size advisor under "inputSizes")')
    .addHelpText(
      'after',
      `
Input sizes: for each axis, the smallest accepted side and the pattern of accepted sides
("every side from 173", or "51–66, 83–98, … (sides 32k+19 to 32k+34 from 51)"), and the exact
sides, where no conv or pool rounds its output size and every interp-to-a-blob lines up
(U-Net: "188, 204, 220, … (every 16 from 188)"). With --input, whether that size is accepted
and exact, the nearest accepted size when it is not, and the nearest exact size.`,
    )
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
