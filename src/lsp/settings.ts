/**
 * The server's settings: from the client's `initializationOptions` and later from
 * `workspace/didChangeConfiguration` (section `fcn`). Bad values are ignored, not fatal:
 * an editor's settings file is no place to stop a language server.
 */
import type { Pair } from '../compiler/layers/types.js';

export interface LspSettings {
  /** The input size for shapes and FLOPs when the net declares none; default 500×500. */
  inputSize: Pair;
  /** Each layer's output shape and stride at the end of its line (off by default). */
  inlayHints: boolean;
}

export const DEFAULT_SETTINGS: LspSettings = { inputSize: [500, 500], inlayHints: false };

/** `500`, `"500x500"`, `[500, 500]` → [500, 500]; anything else → undefined. */
function parseInputSize(v: unknown): Pair | undefined {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  if (typeof v === 'string') {
    const m = /^\s*(\d+)\s*(?:[x×]\s*(\d+))?\s*$/.exec(v);
    if (m) {
      const h = Number(m[1]);
      const w = Number(m[2] ?? m[1]);
      if (h >= 1 && w >= 1) return [h, w];
    }
  }
  return undefined;
}

/** Settings updated by what the client sent (`{inputSize, inlayHints}`, or the same under `fcn`). */
export function readSettings(base: LspSettings, sent: unknown): LspSettings {
  if (typeof sent !== 'object' || sent === null) return base;
  const o = ('fcn' in sent && typeof sent.fcn === 'object' && sent.fcn !== null ? sent.fcn : sent) as Record<
    string,
    unknown
  >;
  const inputSize = parseInputSize(o.inputSize);
  return {
    inputSize: inputSize ?? base.inputSize,
    inlayHints: typeof o.inlayHints === 'boolean' ? o.inlayHints : base.inlayHints,
  };
}
