/**
 * The analyses of a compiled net as plain data: what `fcn inspect --json` prints (the
 * report of analysis/report.ts, with the compilation's diagnostics in their JSON form).
 */
import { diagnosticToJson, type DiagnosticJson } from '../diagnostics/index.js';
import { buildReport, type InspectReport } from './analysis/index.js';
import type { CompiledNet } from './compile.js';

/** The report with the diagnostics that came with it. */
export interface InspectJson extends InspectReport {
  diagnostics: DiagnosticJson[];
}

/** The data `fcn inspect --json` prints for a compiled net: blobs, crops, ladder, totals and diagnostics. */
export function inspectReport(compiled: Pick<CompiledNet, 'analysis' | 'diagnostics'>): InspectJson {
  return { ...buildReport(compiled.analysis), diagnostics: compiled.diagnostics.map(diagnosticToJson) };
}
