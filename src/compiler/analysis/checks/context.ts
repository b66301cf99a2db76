/**
 * What every check rule sees: the graph and the analyses it may need. A rule is a function
 * of this context returning its diagnostics; rules never throw for a user's mistake.
 */
import type { Diagnostic } from '../../../diagnostics/index.js';
import type { IRGraph } from '../../ir/types.js';
import type { ReceptiveAnalysis } from '../receptive.js';

export interface CheckContext {
  ir: IRGraph;
  /** Channels by node id (null where unknown or scalar). */
  channels: (number | null)[];
  /** Fields (stride, RF, padding) by node id, relative to each input. */
  fields: ReceptiveAnalysis;
}

/** One semantic check. */
export type CheckRule = (context: CheckContext) => Diagnostic[];
