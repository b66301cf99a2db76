/**
 * Completes a draft model with everything derived from the model alone: node colours and the
 * legend, the stride ladder, and along each crop path the running composition and each layer's
 * share of the shift. The adapter only translates the compiler's results into a draft.
 */
import { annotatePath } from './affine.js';
import { strideLegend } from './colors.js';
import { ladderFrame } from './ladder.js';
import type { VizCrop, VizModel, VizNode, VizRung, VizStep } from './model.js';

export type DraftStep = Omit<VizStep, 'toAncestor' | 'shift'>;
export interface DraftPath {
  from: string;
  steps: DraftStep[];
}
export type DraftCrop = Omit<VizCrop, 'paths'> & { paths: [DraftPath, DraftPath] };
export type DraftNode = Omit<VizNode, 'level' | 'crop'>;

/** A model before `finishModel`: what the adapter (or a test) writes by hand. */
export type VizDraft = Omit<VizModel, 'version' | 'nodes' | 'crops' | 'legend' | 'ladder'> & {
  nodes: DraftNode[];
  crops: DraftCrop[];
  /** The compiler's stride-ladder rungs. */
  rungs: VizRung[];
};

/** Fills colours, legend, ladder and path compositions into a draft. */
export function finishModel(draft: VizDraft): VizModel {
  const { legend, levels } = strideLegend(draft.nodes.map((n) => n.stride));
  const cropIndex = new Map(draft.crops.map((c, i) => [c.name, i]));
  const nodes: VizNode[] = draft.nodes.map((n, i) => {
    const crop = cropIndex.get(n.name);
    return { ...n, level: levels[i]!, ...(crop === undefined ? {} : { crop }) };
  });
  const crops: VizCrop[] = draft.crops.map((c) => ({
    ...c,
    paths: [annotatePath(c.paths[0]), annotatePath(c.paths[1])],
  }));
  const { rungs, ...rest } = draft;
  return { version: 1, ...rest, nodes, crops, legend, ladder: ladderFrame(nodes, draft.reference, rungs) };
}
