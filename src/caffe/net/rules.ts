/**
 * Caffe's include/exclude rules (`NetStateRule`): which layers a net has in a phase. A layer
 * with `include` rules is kept when the state meets any of them, one with `exclude` rules is
 * dropped when it meets any; a rule is met when its phase matches, the level (0) is within
 * its bounds, and its stages are all present (fcn's state has none) and its not_stages absent.
 */
import type { Fields } from '../prototxt/read.js';
import type { Phase } from './types.js';

function meets(rule: Fields, phase: Phase): boolean {
  if (rule.has('phase') && rule.get<string>('phase') !== phase.toUpperCase()) return false;
  if (rule.has('min_level') && 0 < rule.get<number>('min_level')) return false;
  if (rule.has('max_level') && 0 > rule.get<number>('max_level')) return false;
  return rule.all('stage').length === 0;
}

/** Whether a layer (its LayerParameter or V1LayerParameter fields) belongs to the net in `phase`. */
export function inPhase(layer: Fields, phase: Phase): boolean {
  const include = layer.messages('include');
  const exclude = layer.messages('exclude');
  if (include.length) return include.some((r) => meets(r, phase));
  return !exclude.some((r) => meets(r, phase));
}
