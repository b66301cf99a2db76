/**
 * Where a node came from, for diagnostics: its declaration is the primary span; the block
 * instances that expanded it become notes, the way rustc points at macro invocations.
 */
import type { RelatedNote } from '../../diagnostics/index.js';
import type { IRNode } from '../ir/types.js';

/** One note per instantiation that produced the node, innermost first. */
export function originNotes(node: IRNode): RelatedNote[] {
  return node.origin.via.map((span) => ({ message: `'${node.name}' comes from the instance here`, span }));
}
