/**
 * Go to definition: a blob name goes to the layer (or input) that declares it, in whichever
 * file; a block or net name to its definition, through imports; an import to its file; an
 * instance's name (`vgg` in `vgg.pool4`) to the instance line and to the net it instantiates.
 */
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import type { Span } from '../diagnostics/span.js';
import { isNamedInstance, meaning } from './blobs.js';
import { spanLocation } from './convert.js';
import type { Hit } from './locate.js';
import type { Workspace } from './workspace.js';

/** The span of the name at the start of a declaration (`score_pool4` of `score_pool4: conv { … }`, `data` of `input data`). */
function nameAt(span: Span): Span {
  const text = span.source.body.slice(span.start, span.start + 512);
  const m = /^(?:input\s+)?([A-Za-z0-9_{}]+)/.exec(text) ?? /^crop/.exec(text);
  if (!m) return span;
  const at = span.start + (m[1] ? m[0].length - m[1].length : 0);
  return { source: span.source, start: at, end: at + (m[1] ?? m[0]).length };
}

function unique(locations: Location[]): Location[] {
  const seen = new Map(locations.map((l) => [`${l.uri}:${l.range.start.line}:${l.range.start.character}`, l]));
  return [...seen.values()];
}

/** Where the name under the cursor is defined (possibly several places), or nothing. */
export function definition(ws: Workspace, path: string, hit: Hit): Location[] {
  switch (hit.kind) {
    case 'import': {
      const target = resolve(dirname(path), hit.node.path.value);
      return ws.text(target) === undefined ? [] : [{ uri: pathToFileURL(target).href, range: zero }];
    }
    case 'type': {
      const def = ws.loaded(path)?.visible.get(hit.id.name);
      if (!def) return [];
      const defs = 'ambiguous' in def ? def.ambiguous : [def];
      return defs.map((d) => spanLocation(d.node.name.span));
    }
    case 'definition':
      return [spanLocation(hit.node.name.span)];
    case 'declaration':
    case 'reference':
    case 'key': {
      const m = meaning(hit, ws.netsUsing(path));
      if (!m) return [];
      if (m.kind === 'blobs') {
        return unique(
          m.found.flatMap(({ net, ids }) => ids.map((id) => spanLocation(nameAt(net.ir.nodes[id]!.origin.span)))),
        );
      }
      // An instance: its line (found among its layers' `via`) and the block or net it instantiates.
      const segments = m.prefix.split('.');
      const out: Location[] = [];
      for (const { net, ids } of m.found) {
        const node = net.ir.nodes[ids[0]!]!;
        // Each named instance adds one scope segment, so the k-th named `via` from outside is scope[k].
        const named = node.origin.via.filter(isNamedInstance).reverse();
        let k = node.scope.length;
        while (k >= segments.length && node.scope.slice(k - segments.length, k).join('.') !== m.prefix) k--;
        const line = named[k - 1];
        if (!line) continue;
        out.push(spanLocation(nameAt(line)));
        const type = /^[A-Za-z0-9_{}]+\s*:\s*([A-Za-z0-9_]+)/.exec(
          line.source.body.slice(line.start, line.start + 256),
        )?.[1];
        const def = type === undefined ? undefined : ws.loaded(line.source.name)?.visible.get(type);
        if (def && !('ambiguous' in def)) out.push(spanLocation(def.node.name.span));
      }
      return unique(out);
    }
  }
}

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
