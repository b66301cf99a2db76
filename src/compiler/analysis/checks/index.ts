/**
 * The semantic checks, one rule per file (graphql-js style), run together over the analysed
 * graph. Duplicate names are the resolver's job and never reach the IR.
 */
import type { Diagnostic } from '../../../diagnostics/index.js';
import type { CheckContext, CheckRule } from './context.js';
import { FusionStrideRule } from './FusionStrideRule.js';
import { GroupChannelsRule } from './GroupChannelsRule.js';
import { LossLabelRule } from './LossLabelRule.js';
import { SumChannelsRule } from './SumChannelsRule.js';
import { UnusedLayerRule } from './UnusedLayerRule.js';

export type { CheckContext, CheckRule } from './context.js';
export { FusionStrideRule, GroupChannelsRule, LossLabelRule, SumChannelsRule, UnusedLayerRule };

/** Every rule, in the order their diagnostics are reported. */
export const checkRules: readonly CheckRule[] = [
  SumChannelsRule,
  GroupChannelsRule,
  FusionStrideRule,
  LossLabelRule,
  UnusedLayerRule,
];

/** Runs the given rules (all by default) and collects their diagnostics. */
export function runChecks(context: CheckContext, rules: readonly CheckRule[] = checkRules): Diagnostic[] {
  return rules.flatMap((rule) => rule(context));
}
