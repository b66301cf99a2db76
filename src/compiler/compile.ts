/**
 * The whole front end for one file: resolve (parse, imports, blocks, names) → build the
 * IR → analyse. Like peggy's stages, it stops after a stage that reported errors, and
 * returns what it got so far with every diagnostic.
 */
import { hasErrors, UserError, type Diagnostic } from '../diagnostics/index.js';
import { analyze, type Analysis } from './analysis/index.js';
import { buildIR } from './ir/index.js';
import type { IRGraph } from './ir/types.js';
import type { Pair } from './layers/types.js';
import { resolveFile, resolveSource, type ReadText, type ResolveOptions, type ResolveResult } from './resolve/index.js';
import type { ResolvedNet } from './resolve/types.js';

export interface CompileOptions {
  /** Which net of the file (default: the resolver's choice, the file's last net). */
  net?: string;
  /** Input size [h, w] for the analysis. */
  input?: Pair;
  /** In-memory files by path, read before the disk (a model's own copy of its net; every file in a browser). */
  files?: Record<string, string>;
  /** Reads the other files, imports included, by absolute path (default: the disk under Node, nothing in a browser). */
  read?: ReadText;
  /**
   * When the file does not resolve, still build and analyse the net's partial form: what did
   * resolve, with stand-ins for what did not (`withStandIns`). For drawing a net with its
   * errors; only the resolver's diagnostics are kept, as the analyses of a partial net would
   * mostly echo them. Default false.
   */
  partial?: boolean;
}

export interface Compilation {
  /** Set when `net` is the partial net of a file that did not resolve (see `CompileOptions.partial`). */
  partial?: true;
  net?: ResolvedNet;
  ir?: IRGraph;
  analysis?: Analysis;
  /** Names of the nets the file defines. */
  nets: string[];
  diagnostics: Diagnostic[];
}

/** Resolves, builds and analyses one net of a file. */
export function compileFile(path: string, options: CompileOptions = {}): Compilation {
  return compileResolved(resolveFile(path, resolveOptions(options)), options);
}

/** Like `compileFile`, for source text given directly (imports are read relative to `fileName`). */
export function compileSource(text: string, fileName: string, options: CompileOptions = {}): Compilation {
  return compileResolved(resolveSource(text, fileName, resolveOptions(options)), options);
}

function resolveOptions(options: CompileOptions): ResolveOptions {
  return {
    ...(options.net === undefined ? {} : { net: options.net }),
    ...(options.files ? { files: options.files } : {}),
    ...(options.read ? { read: options.read } : {}),
  };
}

function compileResolved(resolved: ResolveResult, options: CompileOptions): Compilation {
  const diagnostics = [...resolved.diagnostics];
  if (!resolved.net || hasErrors(diagnostics)) {
    const partial = options.partial && resolved.partial ? analysePartial(resolved.partial, options) : {};
    return { ...partial, nets: resolved.nets, diagnostics };
  }
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

/**
 * The IR and analyses of a partial net, or nothing when they fail on it: the resolver let
 * through what it had reported (a layer with the wrong number of inputs, say), and the net is
 * then shown by its diagnostics alone, as any file that does not resolve.
 */
function analysePartial(
  net: ResolvedNet,
  options: CompileOptions,
): Pick<Compilation, 'partial' | 'net' | 'ir' | 'analysis'> {
  try {
    const ir = buildIR(net);
    return { partial: true, net, ir, analysis: analyze(ir, options.input ? { input: options.input } : {}) };
  } catch {
    return {};
  }
}

/** A compilation with a net to work on: its resolved net, IR and analysis. */
export type CompiledNet = Compilation & Required<Pick<Compilation, 'net' | 'ir' | 'analysis'>>;

/** How `compileOrThrow` words and judges a failure. */
export interface OrThrowOptions {
  /** What the net was wanted for, ending "'FILE' defines no net …" (e.g. `to draw`). */
  purpose?: string;
  /** Keep a net whose analysis reported errors (`fcn inspect` shows it with them); default false. */
  keepErrors?: boolean;
}

/**
 * Compiles `file` for a caller that needs its net, or reports the user's mistake: a
 * `UserError` carrying every diagnostic (or saying that the file is missing or defines no
 * net), which the CLI prints rustc-style and a program can read from `error.diagnostics`.
 */
export function compileOrThrow(file: string, options: CompileOptions & OrThrowOptions = {}): CompiledNet {
  const result = compileFile(file, options);
  const missing = result.diagnostics.find((d) => d.code === 'file-not-found' && !d.span);
  if (missing) throw new UserError(missing.message, 1);
  const failed = hasErrors(result.diagnostics);
  if (!result.net || !result.ir || !result.analysis || (failed && !options.keepErrors)) {
    const noNet = !failed && result.nets.length === 0;
    throw new UserError(
      noNet ? `'${file}' defines no net${options.purpose ? ` ${options.purpose}` : ''}` : '',
      1,
      result.diagnostics,
    );
  }
  return result as CompiledNet;
}
