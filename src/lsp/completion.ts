/**
 * Completion from the tokens before the cursor (the text being typed rarely parses): the
 * open braces say whether the cursor is among a definition's items, in a layer's, an
 * input's, the solver's or an instance's body, or in a section; the last tokens say whether
 * a key or a value comes next. Keys and layer types come with their schema docs, values of
 * `bottom`, `like` and `crop(…)` are the blob names in scope, enums and initialisers their words.
 */
import type { IToken } from 'chevrotain';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { INIT_NAMES, LAYER_TYPES, layerSchema } from '../compiler/layers/index.js';
import { Source } from '../diagnostics/source.js';
import { plainName, type DefinitionNode, type ItemNode } from '../parser/ast.js';
import { tokenize } from '../parser/index.js';
import type { Around } from './locate.js';
import { paramsAt } from './schema-at.js';
import type { Workspace } from './workspace.js';

type Place =
  | { kind: 'top' }
  | { kind: 'items' }
  | { kind: 'type' }
  | { kind: 'key'; body: Body }
  | { kind: 'value'; body: Body; key: string; crop: boolean };

/** The body the cursor is in: what owns it, and the sections within. */
interface Body {
  item: 'layer' | 'input' | 'solver' | 'instance';
  type?: string;
  sections: string[];
}

/** One open `{`: at item level (a definition or repeat), or a body. */
type Frame = { items: true } | { items: false; body: Body };

const name = (t: IToken | undefined) => t?.tokenType.name;
const isName = (t: IToken | undefined) => name(t) === 'Identifier' || name(t) === 'TemplateName';

/** Where the cursor is, from the tokens before it. */
function place(tokens: readonly IToken[]): Place {
  const stack: Frame[] = [];
  let itemStart = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (name(t) === 'LBrace') {
      const top = stack.at(-1);
      const head = tokens.slice(itemStart, i);
      stack.push(frameOf(head, top));
      itemStart = i + 1;
    } else if (name(t) === 'RBrace') {
      stack.pop();
      itemStart = i + 1;
    } else if (
      stack.at(-1)?.items !== false &&
      name(t) !== 'Colon' &&
      i > itemStart &&
      !continues(tokens, i, itemStart)
    ) {
      itemStart = i;
    }
  }
  const top = stack.at(-1);
  if (!top) return { kind: 'top' };
  const last = tokens.at(-1);
  if (top.items) {
    if (name(last) === 'Colon' && isName(tokens.at(-2))) return { kind: 'type' };
    return { kind: 'items' };
  }
  // In a body: a value follows `key:` and sits inside `[ … ]` or `( … )` after it.
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const n = name(tokens[i]);
    if (n === 'RBracket' || n === 'RParen') depth++;
    else if (n === 'LBracket' || n === 'LParen') {
      if (depth === 0) {
        const crop = n === 'LParen' && tokens[i - 1]?.image === 'crop';
        if (crop) return { kind: 'value', body: top.body, key: 'crop', crop: true };
      } else depth--;
    } else if (n === 'LBrace') break;
    else if (n === 'Colon') {
      if (i === tokens.length - 1 || depth > 0 || openList(tokens, i))
        return { kind: 'value', body: top.body, key: keyBefore(tokens, i), crop: false };
      break;
    } else if (depth === 0 && i < tokens.length - 1 && i !== tokens.length - 1 && !['Comma', 'Dot'].includes(n!)) {
      if (!isValueContinuation(tokens, i)) break;
    }
  }
  return { kind: 'key', body: top.body };
}

/** Whether a `[` or `(` opened after the colon at `i` is still open at the end. */
function openList(tokens: readonly IToken[], i: number): boolean {
  let depth = 0;
  for (let j = i + 1; j < tokens.length; j++) {
    const n = name(tokens[j]);
    if (n === 'LBracket' || n === 'LParen') depth++;
    else if (n === 'RBracket' || n === 'RParen') depth--;
  }
  return depth > 0;
}

function isValueContinuation(tokens: readonly IToken[], i: number): boolean {
  return name(tokens[i + 1]) === 'Dot' || name(tokens[i - 1]) === 'Dot';
}

/** The key written before the colon at `i` (the last part of a dotted key). */
function keyBefore(tokens: readonly IToken[], i: number): string {
  return tokens[i - 1]?.image ?? '';
}

/** Whether token `i` continues the item that started at `start` (a name after `:`, a dotted name). */
function continues(tokens: readonly IToken[], i: number, start: number): boolean {
  const prev = name(tokens[i - 1]);
  return (
    i > start &&
    (prev === 'Colon' ||
      prev === 'Dot' ||
      name(tokens[i]) === 'Dot' ||
      prev === 'Input' ||
      prev === 'LParen' ||
      prev === 'Comma' ||
      prev === 'Net' ||
      prev === 'Block' ||
      name(tokens[i]) === 'LParen' ||
      name(tokens[i]) === 'RParen' ||
      name(tokens[i]) === 'Comma' ||
      prev === 'Repeat' ||
      prev === 'In' ||
      name(tokens[i]) === 'In' ||
      name(tokens[i]) === 'Range' ||
      prev === 'Range')
  );
}

function frameOf(head: readonly IToken[], parent: Frame | undefined): Frame {
  const first = name(head[0]);
  if (!parent || first === 'Net' || first === 'Block' || first === 'Repeat') return { items: true };
  if (!parent.items) {
    return { items: false, body: { ...parent.body, sections: [...parent.body.sections, head.at(-1)?.image ?? ''] } };
  }
  if (first === 'Input') return { items: false, body: { item: 'input', sections: [] } };
  if (first === 'Solver') return { items: false, body: { item: 'solver', sections: [] } };
  const colon = head.findIndex((t) => name(t) === 'Colon');
  const type = colon >= 0 ? head[colon + 1]?.image : head[0]?.image;
  return { items: false, body: { item: type && layerSchema(type) ? 'layer' : 'instance', type, sections: [] } };
}

/** The definition the offset is in, from the parsed document (which recovers from most errors). */
function definitionAt(ws: Workspace, path: string, offset: number): DefinitionNode | undefined {
  return ws
    .document(path)
    ?.items.find((d): d is DefinitionNode => d.kind === 'Definition' && d.span.start <= offset && offset <= d.span.end);
}

/**
 * Blob names usable at `offset`: those declared above it in the definition; for a net, with the
 * blobs of the instances above it (`vgg.pool4`) from its analysis (the last good one while the
 * text has errors, so names come from the current text and blobs from the analysis).
 */
function blobNames(ws: Workspace, path: string, def: DefinitionNode | undefined, offset: number): string[] {
  if (!def) return [];
  const names: string[] = [];
  const walk = (items: readonly ItemNode[]) => {
    for (const item of items) {
      if (item.span.start >= offset) return;
      if (item.kind === 'Repeat') walk(item.items);
      else if ((item.kind === 'Layer' || item.kind === 'Input') && item.span.end < offset) {
        const n = plainName(item.name);
        if (n) names.push(n);
      }
    }
  };
  walk(def.items);
  const net = def.keyword === 'net' ? ws.nets(path).find((n) => n.net === def.name.name) : undefined;
  if (!net) return names;
  const inner = net.ir.nodes
    .filter((n) => !(n.op !== 'input' && n.inline))
    .map((n) => n.name)
    .filter((n) => names.some((prefix) => n.startsWith(`${prefix}.`)));
  return [...names.filter((n) => !inner.some((i) => i.startsWith(`${n}.`)) || net.ir.byName.has(n)), ...inner];
}

/** The completions at `offset` of the document at `path`. */
export function complete(ws: Workspace, path: string, text: string, offset: number): CompletionItem[] {
  const { tokens } = tokenize(new Source(text.slice(0, offset), path));
  // The word being typed is what completion replaces, not context.
  const before =
    tokens.length && tokens.at(-1)!.endOffset! + 1 >= offset && /^[A-Za-z0-9_]/.test(tokens.at(-1)!.image)
      ? tokens.slice(0, -1)
      : tokens;
  const where = place(before);
  const def = definitionAt(ws, path, offset);
  const visible = () => [...(ws.loaded(path)?.visible.entries() ?? [])].filter(([, d]) => !('ambiguous' in d));
  const keyword = (w: string): CompletionItem => ({ label: w, kind: CompletionItemKind.Keyword });
  switch (where.kind) {
    case 'top':
      return ['import', 'net', 'block'].map(keyword);
    case 'items':
      return [
        ...['input', 'solver', 'repeat'].map(keyword),
        ...visible().map(([n]) => ({ label: n, kind: CompletionItemKind.Module, detail: 'an anonymous instance' })),
      ];
    case 'type':
      return [
        ...LAYER_TYPES.map((t) => ({
          label: t,
          kind: CompletionItemKind.Class,
          detail: 'layer type',
          documentation: layerSchema(t)!.doc,
        })),
        ...visible().map(([n, d]) => ({
          label: n,
          kind: CompletionItemKind.Module,
          detail: `${'node' in d ? d.node.keyword : ''} from ${'file' in d ? d.file.name : ''}`,
        })),
      ];
    case 'key': {
      const around = aroundFor(where.body, def);
      const { params } = paramsAt(ws, path, around, where.body.sections);
      return params.map((p) => ({
        label: p.name,
        kind: p.kind.kind === 'section' ? CompletionItemKind.Module : CompletionItemKind.Property,
        detail: p.default === undefined ? undefined : `default ${JSON.stringify(p.default)}`,
        documentation: p.doc,
      }));
    }
    case 'value': {
      if (where.crop || where.key === 'bottom' || where.key === 'like') {
        return blobNames(ws, path, def, offset).map((n) => ({
          label: n,
          kind: CompletionItemKind.Variable,
          detail: 'blob',
        }));
      }
      const { params } = paramsAt(ws, path, aroundFor(where.body, def), where.body.sections);
      const p = params.find((x) => x.name === where.key);
      if (!p) return [];
      if (p.kind.kind === 'enum') return p.kind.values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember }));
      if (p.kind.kind === 'init') return INIT_NAMES.map((v) => ({ label: v, kind: CompletionItemKind.Function }));
      if (p.kind.kind === 'bool' || p.kind.kind === 'boolOrSection') return ['true', 'false'].map(keyword);
      return [];
    }
  }
}

/** A stand-in for the item around the cursor, enough for `paramsAt`: its kind and type. */
function aroundFor(body: Body, def: DefinitionNode | undefined): Around {
  const span = def?.span ?? { source: new Source(''), start: 0, end: 0 };
  const id = { kind: 'Identifier' as const, name: body.type ?? '', span };
  const item: ItemNode =
    body.item === 'input'
      ? { kind: 'Input', name: { kind: 'Name', parts: [], span }, span }
      : body.item === 'solver'
        ? { kind: 'Solver', body: { kind: 'Body', entries: [], span }, span }
        : { kind: 'Layer', name: { kind: 'Name', parts: [], span }, type: id, span };
  return { definition: def!, item };
}
