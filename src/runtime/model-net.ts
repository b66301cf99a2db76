/**
 * A model's net, compiled again: the analysing compiler's view of the net a model directory
 * was emitted from, for checks that need it at run time (which input sizes work, tile
 * geometry, activation memory). The emitter stores the text of the net's files in fcn.json
 * (ModelInfo.sources), so a model directory carries its own definition wherever it is moved;
 * models written before that fall back to the .fcn file named by ModelInfo.source, if it is
 * still there.
 */
import { existsSync } from 'node:fs';
import type { Analysis } from '../compiler/analysis/index.js';
import { compileFile } from '../compiler/compile.js';
import type { IRGraph } from '../compiler/ir/types.js';
import type { Source } from '../diagnostics/source.js';
import { hasErrors } from '../diagnostics/index.js';
import type { ModelInfo } from './info.js';

/** The text of every file the net's layers and inputs come from, by the name the compiler gave it (the root as given, imports joined to it). */
export function netSources(ir: IRGraph): Record<string, string> {
  const found = new Map<string, Source>([[ir.span.source.name, ir.span.source]]);
  for (const node of ir.nodes) {
    const spans = [node.origin.span, ...node.origin.via, ...(node.op === 'input' ? [node.input.span] : [])];
    for (const span of spans) found.set(span.source.name, span.source);
  }
  return Object.fromEntries([...found].map(([name, source]) => [name, source.body]));
}

/** The model's net compiled without an input size: from its stored sources, else from its .fcn file; undefined when neither compiles. */
export function compileModelNet(info: ModelInfo): Analysis | undefined {
  const attempts = [...(info.sources ? [{ files: info.sources }] : []), ...(existsSync(info.source) ? [{}] : [])];
  for (const files of attempts) {
    const result = compileFile(info.source, { net: info.net, ...files });
    if (result.analysis && !hasErrors(result.diagnostics)) return result.analysis;
  }
  return undefined;
}
