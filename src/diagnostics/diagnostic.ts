import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'note';

/** A related location that helps explain a diagnostic (rendered as `note:`). */
export interface RelatedNote {
  message: string;
  span?: Span;
}

/**
 * The one diagnostic type of the toolchain. `code` is a stable kebab-case identifier
 * (e.g. `unknown-layer-type`), used by tests and `--json` output.
 */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  span?: Span;
  /** Extra lines printed under the code frame, e.g. `help: did you mean 'conv'?`. */
  help?: string;
  notes?: RelatedNote[];
}

/** Builds an error diagnostic. */
export function error(code: string, message: string, span?: Span, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: 'error', code, message, span, ...extra };
}

/** Builds a warning diagnostic. */
export function warning(code: string, message: string, span?: Span, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: 'warning', code, message, span, ...extra };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Collects diagnostics up to a cap, so a badly broken file does not flood the terminal. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private dropped = 0;

  constructor(readonly cap = 50) {}

  add(d: Diagnostic): void {
    if (this.items.length < this.cap) this.items.push(d);
    else this.dropped++;
  }

  addAll(ds: Iterable<Diagnostic>): void {
    for (const d of ds) this.add(d);
  }

  get hasErrors(): boolean {
    return hasErrors(this.items);
  }

  /** Number of diagnostics dropped because of the cap. */
  get droppedCount(): number {
    return this.dropped;
  }
}

/**
 * Thrown for a user's mistake discovered outside a source file (a bad flag, a missing file,
 * corrupt data). The CLI prints the message and exits with `exitCode`; never a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}
