/**
 * What `fcn check` does for a list of files: resolve each with its imports, analyse each net
 * that resolved cleanly, and report every diagnostic once (an import shared by two files is
 * reported once). Never loads TensorFlow.js. The CLI, the language server and the playground all
 * call this, so an editor shows exactly what `fcn check` prints.
 */
import { diagnosticToJson, type Diagnostic, type DiagnosticJson } from '../diagnostics/index.js';
import { compileFile } from './compile.js';
import { checkFile, type ReadText } from './resolve/index.js';

export interface CheckOptions {
  /** Check only this net of each file (default: all of them). */
  net?: string;
  /** In-memory files by path, read first. */
  files?: Record<string, string>;
  /** Reads the other files by absolute path (default: the disk under Node). */
  read?: ReadText;
}

export interface CheckResult {
  /** Each diagnostic with the file whose check found it (the place for those without a span). */
  diagnostics: { file: string; diagnostic: Diagnostic }[];
  /** Diagnostics left out because of the cap. */
  dropped: number;
  /** The nets each file defines. */
  nets: Map<string, string[]>;
  /** Whether any diagnostic is an error. */
  failed: boolean;
}

/** Checks the files; returns every diagnostic once. */
export function checkFiles(files: readonly string[], options: CheckOptions = {}): CheckResult {
  const diagnostics: { file: string; diagnostic: Diagnostic }[] = [];
  const seen = new Set<string>();
  const nets = new Map<string, string[]>();
  const sources = {
    ...(options.files ? { files: options.files } : {}),
    ...(options.read ? { read: options.read } : {}),
  };
  let dropped = 0;
  for (const file of files) {
    const result = checkFile(file, { ...sources, ...(options.net === undefined ? {} : { net: options.net }) });
    nets.set(file, result.nets);
    dropped += result.dropped;
    const found = [...result.diagnostics];
    // Only a net that resolved cleanly is analysed: its analysis errors would otherwise echo the resolver's.
    if (!found.some((d) => d.severity === 'error')) {
      for (const net of options.net === undefined ? result.nets : [options.net]) {
        found.push(...(compileFile(file, { ...sources, net }).analysis?.diagnostics ?? []));
      }
    }
    for (const d of found) {
      const key = `${d.code}\0${d.message}\0${d.span?.source.name}\0${d.span?.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push({ file, diagnostic: d });
    }
  }
  return { diagnostics, dropped, nets, failed: diagnostics.some((d) => d.diagnostic.severity === 'error') };
}

/** The `fcn check --json` form of one diagnostic: `diagnosticToJson`, with the checked file named when it has no place. */
export function checkedToJson({ file, diagnostic }: CheckResult['diagnostics'][number]): DiagnosticJson {
  const json = diagnosticToJson(diagnostic);
  return json.file === null ? { ...json, file } : json;
}
