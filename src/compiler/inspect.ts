/**
 * The analyses of a compiled net as plain data: what `fcn inspect --json` prints (the
 * report of analysis/report.ts, the input-size advisor of analysis/input-advice.ts, and the
 * compilation's diagnostics in their JSON form).
 */
import { diagnosticToJson, type DiagnosticJson } from '../diagnostics/index.js';
import { adviseInputSizes, buildReport, type InputAdvice, type InspectReport } from './analysis/index.js';
import type { CompiledNet } from './compile.js';

/** The report with the input sizes the net takes and the diagnostics that came with it. */
export interface InspectJson extends InspectReport {
  /** Accepted and exact sides per axis, and the verdict on the analysed input size. */
  inputSizes: InputAdvice;
  diagnostics: DiagnosticJson[];
}

/** The data `fcn inspect --json` prints for a compiled net: blobs, crops, ladder, totals, input sizes and diagnostics. */
export function inspectReport(compiled: Pick<CompiledNet, 'analysis' | 'diagnostics'>): InspectJson {
  const { analysis } = compiled;
  const input = analysis.shapes.input ?? undefined;
  return {
    ...buildReport(analysis),
    inputSizes: adviseInputSizes(analysis.ir, analysis.crops.offsets, input),
    diagnostics: compiled.diagnostics.map(diagnosticToJson),
  };
}
