/**
 * From a name in the text to the blobs of the analysed nets: a declaration is matched by its
 * span (a templated declaration in a block gives one blob per expansion), a reference by
 * resolving its dotted name from the scope of the layer it is written in, innermost scope
 * first, as the resolver does. A stale analysis (the text has errors) is matched by name.
 */
import type { IRNode } from '../compiler/ir/types.js';
import type { Span } from '../diagnostics/span.js';
import { plainName, type ItemNode, type NameNode } from '../parser/ast.js';
import type { Around, Hit } from './locate.js';
import type { AnalysedNet } from './workspace.js';

/** Blobs of one net. */
export interface NetBlobs {
  net: AnalysedNet;
  ids: number[];
}

/** What a name stands for: blobs, or a block instance (`vgg` in `vgg.pool4`) with its blobs. */
export type Meaning = { kind: 'blobs'; found: NetBlobs[] } | { kind: 'instance'; prefix: string; found: NetBlobs[] };

const sameStart = (a: Span, b: Span) => a.start === b.start && a.source.name === b.source.name;

/** Whether an instance line names its instance (`vgg: vgg16 { … }`), which prefixes its layers. */
export function isNamedInstance(span: Span): boolean {
  return /^[A-Za-z0-9_{}]+\s*:/.test(span.source.body.slice(span.start, span.start + 256));
}

/** The nodes declared by an item (a layer, an input, an inline crop). */
function declared(net: AnalysedNet, span: Span): IRNode[] {
  return net.ir.nodes.filter((n) => sameStart(n.origin.span, span));
}

/** The nodes an instance item expanded to, each with the scope outside that instance. */
function expanded(net: AnalysedNet, item: ItemNode): Array<{ node: IRNode; outer: string[] }> {
  const out: Array<{ node: IRNode; outer: string[] }> = [];
  for (const node of net.ir.nodes) {
    const k = node.origin.via.findIndex((v) => sameStart(v, item.span));
    if (k < 0) continue;
    const inner = node.origin.via.slice(0, k).filter(isNamedInstance).length + (item.kind === 'Layer' ? 1 : 0);
    out.push({ node, outer: node.scope.slice(0, node.scope.length - inner) });
  }
  return out;
}

/** Whether this analysis is of the net that `around` is in, written at the top of its own file. */
function isRootOf(net: AnalysedNet, around: Around): boolean {
  return (
    around.definition.keyword === 'net' &&
    around.definition.name.name === net.net &&
    around.definition.span.source.name === net.file
  );
}

/** The scopes a name written in `around` is looked up from (one per expansion of its item), and whether it is inside the item's instance. */
function scopes(net: AnalysedNet, around: Around, inside: boolean): string[][] {
  const item = around.item;
  if (item && (item.kind === 'Layer' || item.kind === 'Input')) {
    const own = declared(net, item.span);
    if (own.length) return unique(own.map((n) => n.scope));
  }
  if (item && (item.kind === 'Layer' || item.kind === 'Use')) {
    const named = item.kind === 'Layer' ? plainName(item.name) : undefined;
    const outer = expanded(net, item).map((e) => e.outer);
    if (outer.length) return unique(inside && named ? outer.map((s) => [...s, named]) : outer);
    if (isRootOf(net, around) && inside && named) return [[named]];
  }
  return isRootOf(net, around) ? [[]] : [];
}

function unique(scopes: string[][]): string[][] {
  const seen = new Map(scopes.map((s) => [s.join('.'), s]));
  return [...seen.values()];
}

/** The node a dotted name means from a scope: the innermost scope that defines it. */
function lookup(net: AnalysedNet, scope: string[], path: string[]): number | undefined {
  for (let i = scope.length; i >= 0; i--) {
    const id = net.ir.byName.get([...scope.slice(0, i), ...path].join('.'));
    if (id !== undefined) return id;
  }
  return undefined;
}

function names(path: readonly NameNode[]): string[] | undefined {
  const parts = path.map(plainName);
  return parts.every((p) => p !== undefined) ? (parts as string[]) : undefined;
}

/** The nodes whose name starts with `prefix.`, from each scope. */
function instanceBlobs(net: AnalysedNet, scope: string[], path: string[]): number[] {
  for (let i = scope.length; i >= 0; i--) {
    const prefix = [...scope.slice(0, i), ...path].join('.') + '.';
    const ids = net.ir.nodes.filter((n) => n.name.startsWith(prefix)).map((n) => n.id);
    if (ids.length) return ids;
  }
  return [];
}

/** What the name under the cursor stands for in each net, if it is a blob or an instance. */
export function meaning(hit: Hit, nets: readonly AnalysedNet[]): Meaning | undefined {
  const found: NetBlobs[] = [];
  if (hit.kind === 'declaration') {
    const item = hit.item;
    for (const net of nets) {
      let ids = declared(net, item.span).map((n) => n.id);
      const plain = plainName(item.name);
      if (!ids.length && net.stale && isRootOf(net, hit.around) && plain !== undefined) {
        const id = net.ir.byName.get(plain);
        if (id !== undefined) ids = [id];
      }
      if (ids.length) found.push({ net, ids });
    }
    if (found.length) return { kind: 'blobs', found };
    // No blob of its own: an instance of a block or net.
    if (item.kind === 'Layer') {
      for (const net of nets) {
        const ids = expanded(net, item).map((e) => e.node.id);
        if (ids.length) found.push({ net, ids });
      }
      const prefix = plainName(item.name) ?? '';
      return found.length ? { kind: 'instance', prefix, found } : undefined;
    }
    return undefined;
  }
  if (hit.kind === 'reference' || hit.kind === 'key') {
    const path = hit.kind === 'reference' ? names(hit.ref.path) : hit.property.key.map((k) => k.name);
    // A key names a layer only inside an instance's body (`conv1_1.pad: 100`), never in a section.
    if (!path || (hit.kind === 'key' && hit.sections.length)) return undefined;
    const upto = path.slice(0, hit.segment + 1);
    const instances: NetBlobs[] = [];
    for (const net of nets) {
      for (const scope of scopes(net, hit.around, hit.kind === 'key')) {
        const id = lookup(net, scope, upto);
        if (id !== undefined) found.push({ net, ids: [id] });
        else {
          const ids = instanceBlobs(net, scope, upto);
          if (ids.length) instances.push({ net, ids });
        }
      }
    }
    if (found.length) return { kind: 'blobs', found };
    return instances.length ? { kind: 'instance', prefix: upto.join('.'), found: instances } : undefined;
  }
  return undefined;
}
