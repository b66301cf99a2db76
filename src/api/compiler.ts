/**
 * fcn's language tools as a library: parse, format, compile, check and inspect a `.fcn` net.
 * This part imports no TensorFlow.js and no Node module, so it runs in a browser as well as
 * in Node. Under Node a file's imports are read from disk by default; in a browser, pass
 * every file in `files` (or a `read` function), which is the in-memory import resolver.
 * Published as `fcn/compiler`; `fcn` re-exports all of it.
 */
import { compileSource, type Compilation, type CompileOptions } from '../compiler/compile.js';

export { compileFile, compileOrThrow, compileSource } from '../compiler/compile.js';
export type { CompiledNet, Compilation, CompileOptions, OrThrowOptions } from '../compiler/compile.js';
export { checkedToJson, checkFiles } from '../compiler/check.js';
export type { CheckOptions, CheckResult } from '../compiler/check.js';
export { inspectReport } from '../compiler/inspect.js';
export type { InspectJson } from '../compiler/inspect.js';
export { analyze, buildReport, formatPair, formatSize } from '../compiler/analysis/index.js';
export type {
  Analysis,
  BlobReport,
  BranchReport,
  CropReport,
  InspectReport,
  RungReport,
} from '../compiler/analysis/index.js';
export type { IRGraph, IRNode } from '../compiler/ir/types.js';
export type { Pair } from '../compiler/layers/types.js';
export type { ReadText } from '../compiler/resolve/loader.js';
export type { ResolvedNet } from '../compiler/resolve/types.js';
export { parse } from '../parser/parse.js';
export type { ParseResult } from '../parser/parse.js';
export type { DocumentNode } from '../parser/ast.js';
export { diagnosticToJson, hasErrors, renderDiagnostics, UserError } from '../diagnostics/index.js';
export type { Diagnostic, DiagnosticJson, Severity } from '../diagnostics/index.js';

/**
 * Compiles a net given as text: resolve (imports, blocks, names) → IR → analyses. Never
 * throws for a mistake in the net: the result carries every diagnostic, and `net`, `ir` and
 * `analysis` only as far as the net got. `fileName` (default `net.fcn`) names the text in
 * messages and is where relative imports start from.
 */
export function compile(text: string, options: CompileOptions & { fileName?: string } = {}): Compilation {
  const { fileName = 'net.fcn', ...rest } = options;
  return compileSource(text, fileName, rest);
}

/**
 * Formats `.fcn` text canonically, comments kept (prettier with fcn's plugin, as
 * `prettier --write` does with the repo's config, whose lines are at most 120 characters wide).
 * Rejects text with a syntax error.
 */
export async function format(text: string, options: { fileName?: string; printWidth?: number } = {}): Promise<string> {
  const [prettier, plugin] = await Promise.all([import('prettier'), import('../format/index.js')]);
  return prettier.format(text, {
    parser: 'fcn',
    plugins: [plugin.default],
    filepath: options.fileName ?? 'net.fcn',
    printWidth: options.printWidth ?? 120,
  });
}
