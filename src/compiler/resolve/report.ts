/**
 * Collects the resolver's diagnostics: capped, and each reported once, because a block
 * expanded several times would otherwise repeat the same mistake for every instance.
 */
import { DiagnosticBag, error, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';

export class Reporter {
  private readonly seen = new Set<string>();
  readonly bag: DiagnosticBag;

  constructor(cap = 50) {
    this.bag = new DiagnosticBag(cap);
  }

  /** Adds a diagnostic unless the same one (code, message, place) is already there. */
  add(d: Diagnostic): void {
    const s = d.span;
    const key = `${d.code}\0${d.message}\0${s?.source.name ?? ''}\0${s?.start ?? ''}\0${s?.end ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.bag.add(d);
  }

  error(code: string, message: string, span: Span | undefined, extra: Partial<Diagnostic> = {}): void {
    this.add(error(code, message, span, dropEmpty(extra)));
  }

  warning(code: string, message: string, span: Span | undefined, extra: Partial<Diagnostic> = {}): void {
    this.add(warning(code, message, span, dropEmpty(extra)));
  }

  /** The diagnostics in reading order: those without a place first, then by file (in order of first mention) and offset. */
  sorted(): Diagnostic[] {
    const files: string[] = [];
    for (const d of this.bag.items) if (d.span && !files.includes(d.span.source.name)) files.push(d.span.source.name);
    const rank = (d: Diagnostic) => (d.span ? files.indexOf(d.span.source.name) : -1);
    return [...this.bag.items].sort((a, b) => rank(a) - rank(b) || (a.span?.start ?? 0) - (b.span?.start ?? 0));
  }

  get hasErrors(): boolean {
    return this.bag.hasErrors;
  }

  /** True once the cap is reached: further work would only produce diagnostics nobody sees. */
  get full(): boolean {
    return this.bag.items.length >= this.bag.cap;
  }
}

/** Leaves out `help: undefined` and empty note lists, so diagnostics compare cleanly in tests. */
function dropEmpty(extra: Partial<Diagnostic>): Partial<Diagnostic> {
  const out: Partial<Diagnostic> = { ...extra };
  if (out.help === undefined) delete out.help;
  if (!out.notes?.length) delete out.notes;
  return out;
}
