/**
 * The editor's view of the files: open documents (unsaved text wins over the disk), what
 * `fcn check` says about each, and the analysed nets behind hovers, inlay hints and
 * completion. Results are cached until any document changes, since an import's edit changes
 * its importers. A net whose text has errors keeps its last good analysis, so hovers still
 * answer while you type.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../compiler/analysis/index.js';
import { buildReport, type InspectReport } from '../compiler/analysis/report.js';
import type { Analysis } from '../compiler/analysis/analyze.js';
import { checkFiles } from '../compiler/check.js';
import { compileFile } from '../compiler/compile.js';
import type { IRGraph } from '../compiler/ir/types.js';
import { Loader, Reporter, textReader, type LoadedFile } from '../compiler/resolve/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { parse, type DocumentNode } from '../parser/index.js';
import { spanRange, toLspDiagnostic } from './convert.js';
import { DEFAULT_SETTINGS, type LspSettings } from './settings.js';

/** One net analysed at a size: what hovers and hints read. */
export interface AnalysedNet {
  net: string;
  /** The root file's path. */
  file: string;
  ir: IRGraph;
  analysis: Analysis;
  report: InspectReport;
  /** The size analysed, and whether the net declares it (else it is the settings' size). */
  size: [number, number];
  declared: boolean;
  /** True when this is the last good analysis of a text that now has errors. */
  stale: boolean;
}

/** The file path of a `file:` URI (other schemes get a stable pseudo-path, read from memory only). */
export function uriPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : resolve('/', encodeURIComponent(uri));
}

export class Workspace {
  settings: LspSettings = DEFAULT_SETTINGS;
  private generation = 0;
  private readonly cache = new Map<string, { generation: number; value: unknown }>();
  /** The last analyses without errors, by root path and net. */
  private readonly lastGood = new Map<string, AnalysedNet[]>();

  constructor(private readonly documents: { all(): TextDocument[]; get(uri: string): TextDocument | undefined }) {}

  /** Call when any document opens, changes or closes, or the settings change. */
  changed(): void {
    this.generation++;
  }

  /** Unsaved text of every open document, by path. */
  files(): Record<string, string> {
    return Object.fromEntries(this.documents.all().map((d) => [uriPath(d.uri), d.getText()]));
  }

  /** The current text of a path: the open document's, else the disk's. */
  text(path: string): string | undefined {
    const open = this.documents.get(pathToFileURL(path).href);
    return open ? open.getText() : textReader()(path);
  }

  private cached<T>(key: string, compute: () => T): T {
    const hit = this.cache.get(key);
    if (hit?.generation === this.generation) return hit.value as T;
    const value = compute();
    this.cache.set(key, { generation: this.generation, value });
    return value;
  }

  /** The parsed text of a path (the open document's when it is open). */
  document(path: string): DocumentNode | undefined {
    return this.cached(`parse:${path}`, () => {
      const text = this.text(path);
      return text === undefined ? undefined : parse(text, path).document;
    });
  }

  /** The file loaded with its imports, for names across files (definitions, completion). */
  loaded(path: string): LoadedFile | undefined {
    return this.cached(`load:${path}`, () => new Loader(new Reporter(), textReader(this.files())).loadRoot(path));
  }

  /**
   * `fcn check`'s diagnostics for the document at `path`: its own at their ranges; those found
   * in a file it imports at that import (with the place in the message), as the editor shows
   * only the open file's squiggles.
   */
  diagnostics(path: string): LspDiagnostic[] {
    return this.cached(`check:${path}`, () => {
      const found = checkFiles([path], { files: this.files() }).diagnostics.map((d) => d.diagnostic);
      return found.map((d) => this.place(path, d));
    });
  }

  private place(path: string, d: Diagnostic): LspDiagnostic {
    if (!d.span) return toLspDiagnostic(d, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    if (d.span.source.name === path) return toLspDiagnostic(d, spanRange(d.span));
    const { line, column } = d.span.source.location(d.span.start);
    const where = `${d.span.source.name}:${line}:${column}: `;
    const imp = this.document(path)?.items.find((i) => i.kind === 'Import');
    const range = imp ? spanRange(imp.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return toLspDiagnostic(d, range, `in ${where}`);
  }

  /** Every net of the file at `path`, analysed (the last good analysis where the text now has errors). */
  nets(path: string): AnalysedNet[] {
    return this.cached(`nets:${path}`, () => {
      const files = this.files();
      const first = compileFile(path, { files });
      const names = first.nets;
      const fresh: AnalysedNet[] = [];
      let failed = !first.analysis;
      for (const net of names) {
        const c = net === names.at(-1) ? first : compileFile(path, { files, net });
        if (!c.analysis || !c.ir) {
          failed = true;
          continue;
        }
        const declared = c.analysis.shapes.input !== null;
        const analysis = declared ? c.analysis : analyze(c.ir, { input: this.settings.inputSize });
        const size = (analysis.shapes.input ?? this.settings.inputSize) as [number, number];
        fresh.push({
          net,
          file: path,
          ir: c.ir,
          analysis,
          report: buildReport(analysis),
          size,
          declared,
          stale: false,
        });
      }
      if (!failed) {
        this.lastGood.set(path, fresh);
        return fresh;
      }
      const kept = (this.lastGood.get(path) ?? []).filter((n) => !fresh.some((f) => f.net === n.net));
      return [...fresh, ...kept.map((n) => ({ ...n, stale: true }))];
    });
  }

  /**
   * The nets whose layers come from the file at `path`: its own, and those of every open
   * document that imports it (so a hover in a backbone shows what it computes in each net).
   */
  netsUsing(path: string): AnalysedNet[] {
    const own = this.nets(path);
    const others = this.documents
      .all()
      .map((d) => uriPath(d.uri))
      .filter((p) => p !== path)
      .flatMap((p) => this.nets(p))
      .filter((n) => n.ir.nodes.some((node) => node.origin.span.source.name === path));
    return [...own, ...others];
  }
}
