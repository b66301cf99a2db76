/**
 * What `fcn check` reports for a set of files: every resolver diagnostic, then (for files that
 * resolved cleanly) every analysis diagnostic of each net, each once. The CLI, the language
 * server and the playground all call this, so an editor shows exactly what `fcn check` prints.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { compileFile } from './compile.js';
import { checkFile } from './resolve/resolve.js';

export interface CheckResult {
  /** Each diagnostic with the file whose check found it (the place for those without a span). */
  diagnostics: { file: string; diagnostic: Diagnostic }[];
  dropped: number;
  /** The nets each file defines. */
  nets: Map<string, string[]>;
}

export interface CheckFilesOptions {
  /** Check only this net of each file. */
  net?: string;
  /** In-memory files by path, read before the disk (an editor's unsaved buffers). */
  files?: Record<string, string>;
}

/** Checks the files; returns every diagnostic once (an import shared by two files is reported once). */
export function checkFiles(files: readonly string[], options: CheckFilesOptions = {}): CheckResult {
  const diagnostics: { file: string; diagnostic: Diagnostic }[] = [];
  const seen = new Set<string>();
  const nets = new Map<string, string[]>();
  const memory = options.files ? { files: options.files } : {};
  let dropped = 0;
  for (const file of files) {
    const result = checkFile(file, { net: options.net, ...memory });
    nets.set(file, result.nets);
    dropped += result.dropped;
    const found = [...result.diagnostics];
    // Only a net that resolved cleanly is analysed: its analysis errors would otherwise echo the resolver's.
    if (!found.some((d) => d.severity === 'error')) {
      for (const net of options.net === undefined ? result.nets : [options.net]) {
        found.push(...(compileFile(file, { net, ...memory }).analysis?.diagnostics ?? []));
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
