/**
 * Where `#` comments go. Prettier prints a node's leading comments above it and its trailing
 * comments at the end of its line (or, for a comment that stood on its own line, below it);
 * `attachComment` decides which node gets each comment, from the innermost bracketed list
 * (regions.ts) around it, so a comment stays where the reader put it:
 * - on its own line: above the item, entry, element or argument that follows it, or, at the
 *   end of the list, below the last one;
 * - at the end of a line: after what precedes it on that line;
 * - right after an opening `{`, `[` or `(`: stays after that bracket;
 * - inside an empty block, body, list or call: stays inside it (a "dangling" comment);
 * - in an odd spot inside one construct (`kernel: # why` with `3` on the next line): after
 *   the construct's `{` or `(` when it sits in the header before it, else after the construct
 *   or, when it stood on its own line, above it; a line is never split.
 * Placement looks only at line breaks, never at indentation.
 */
import { doc, util, type AstPath, type Doc } from 'prettier';
import type { AstNode, CommentNode } from '../parser/ast.js';
import { headerRegion, locate, type Region } from './regions.js';
import { hasBlankLine, previousOnLine } from './source-text.js';

const { breakParent, hardline } = doc.builders;

/** A comment once prettier has attached it. */
export interface AttachedComment extends CommentNode {
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
  marker?: 'open';
}

/** A node after attachment: prettier stores the comments it was given on the node. */
export type Commented<T extends AstNode = AstNode> = T & { comments?: AttachedComment[] };

/** Nodes that can carry comments: everything except names, bodies and comments themselves. */
const ATTACHABLE = new Set<AstNode['kind']>([
  'Import',
  'Definition',
  'ParamDecl',
  'Input',
  'Layer',
  'Use',
  'Repeat',
  'Solver',
  'Property',
  'Section',
  'Number',
  'String',
  'Boolean',
  'Reference',
  'List',
  'Call',
  'Binary',
  'Unary',
  'Paren',
]);

/** Prettier hook: which nodes comments may be attached to. */
export function canAttachComment(node: AstNode): boolean {
  return ATTACHABLE.has(node.kind);
}

/** Prettier hook: a comment prints as written, minus trailing blanks. */
export function printComment(path: AstPath<AstNode>): Doc {
  return (path.node as CommentNode).text.trimEnd();
}

/** Prettier hook: `#` comments always run to the end of the line. */
export function isBlockComment(): boolean {
  return false;
}

/** The placement rules described at the top of this file; always places the comment. */
function attachComment(comment: AttachedComment, text: string, _options: unknown, document: AstNode): boolean {
  const start = comment.span.start;
  const before = previousOnLine(text, start);
  const ownLine = before < 0;
  const { region, inside } = locate(document, start, text);
  if (inside) {
    // An odd spot inside one construct: to the end of its header's line, or of its line, or above it.
    const header = headerRegion(inside, text);
    if (header && start < header.open) return attachAfterBracket(header, comment);
    return ownLine ? util.addLeadingComment(inside, comment) : util.addTrailingComment(inside, comment);
  }
  if (!ownLine && region.keepsOpenComment && before === region.open) return attachAfterBracket(region, comment);
  if (region.children.length === 0) return util.addDanglingComment(region.owner, comment, undefined);
  const next = region.children.find((c) => c.span.start > start);
  const prev = region.children.findLast((c) => c.span.end <= start);
  if (ownLine ? next : !prev) return util.addLeadingComment(next!, comment);
  return util.addTrailingComment(prev!, comment);
}

/** After a region's opening bracket; only one comment fits there, later ones go on their own lines below it. */
function attachAfterBracket(region: Region, comment: AttachedComment): boolean {
  const owner = region.owner as Commented;
  if (!owner.comments?.some((c) => c.marker === 'open')) return util.addDanglingComment(owner, comment, 'open');
  const first = region.children[0];
  return first ? util.addLeadingComment(first, comment) : util.addDanglingComment(owner, comment, undefined);
}

/** Prettier hook: every placement goes through the same rules. */
export const handleComments = {
  ownLine: attachComment,
  endOfLine: attachComment,
  remaining: attachComment,
};

/** Where a node's text begins once the comments printed above it are counted. */
export function startWithComments(node: Commented): number {
  const leading = node.comments?.filter((c) => c.leading) ?? [];
  return Math.min(node.span.start, ...leading.map((c) => c.span.start));
}

/** A node's dangling comments, printed: the one right after its opening bracket, and the others (in empty brackets). */
export interface Dangling {
  open: Doc;
  inner: Doc | undefined;
}

/** The dangling comments of a node, marked as printed. */
export function danglingComments(node: Commented, text: string): Dangling {
  const dangling = node.comments?.filter((c) => !c.leading && !c.trailing) ?? [];
  for (const c of dangling) c.printed = true;
  const open = dangling.find((c) => c.marker === 'open');
  const inner = dangling.filter((c) => c !== open);
  return {
    open: open ? [' ', open.text.trimEnd(), breakParent] : '',
    inner: inner.length > 0 ? joinComments(inner, text) : undefined,
  };
}

/** Comments one per line, keeping a single blank line where the source had one or more. */
function joinComments(comments: AttachedComment[], text: string): Doc {
  return comments.map((c, i) => {
    const prev = comments[i - 1];
    const gap = prev ? (hasBlankLine(text, prev.span.end, c.span.start) ? [hardline, hardline] : hardline) : '';
    return [gap, c.text.trimEnd()];
  });
}
