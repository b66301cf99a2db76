/**
 * The whole front end for one file: resolve (parse, imports, blocks, names) → build the
 * IR → analyse. Like peggy's stages, it stops after a stage that reported errors, and
 * returns what it got so far with every diagnostic.
 */
import { hasErrors, type Diagnostic } from '../diagnostics/index.js';
import { analyze, type Analysis } from './analysis/index.js';
import { buildIR } from './ir/index.js';
import type { IRGraph } from './ir/types.js';
import type { Pair } from './layers/types.js';
import { resolveFile, resolveSource, type ResolveResult } from './resolve/index.js';
import type { ResolvedNet } from './resolve/types.js';

export interface CompileOptions {
  /** Which net of the file (default: the resolver's choice, the file's last net). */
  net?: string;
  /** Input size [h, w] for the analysis. */
  input?: Pair;
  /** In-memory files by path, read before the disk (a model's own copy of its net). */
  files?: Record<string, string>;
}

export interface Compilation {
  net?: ResolvedNet;
  ir?: IRGraph;
  analysis?: Analysis;
  /** Names of the nets the file defines. */
  nets: string[];
  diagnostics: Diagnostic[];
}

/** Resolves, builds and analyses one net of a file. */
export function compileFile(path: string, options: CompileOptions = {}): Compilation {
  const resolve = {
    ...(options.net === undefined ? {} : { net: options.net }),
    ...(options.files ? { files: options.files } : {}),
  };
  return compileResolved(resolveFile(path, resolve), options);
}

/** Like `compileFile`, for source text given directly (imports are read relative to `fileName`). */
export function compileSource(text: string, fileName: string, options: CompileOptions = {}): Compilation {
  return compileResolved(resolveSource(text, fileName, options.net === undefined ? {} : { net: options.net }), options);
}

function compileResolved(resolved: ResolveResult, options: CompileOptions): Compilation {
  const diagnostics = [...resolved.diagnostics];
  if (!resolved.net || hasErrors(diagnostics)) return { nets: resolved.nets, diagnostics };
  const ir = buildIR(resolved.net);
  const analysis = analyze(ir, options.input ? { input: options.input } : {});
  return {
    net: resolved.net,
    ir,
    analysis,
    nets: resolved.nets,
    diagnostics: [...diagnostics, ...analysis.diagnostics],
  };
}
