/**
 * Node colours by effective stride: one hue per power of two, from blue (stride 1, full
 * resolution) through green, yellow, orange and red to purple (stride 32, the coarsest map of
 * the paper's nets). Fractional or anisotropic strides share one grey "other" colour.
 */
import type { VizLegendEntry, VizPair } from './model.js';

const PALETTE: Array<{ fill: string; stroke: string }> = [
  { fill: '#dbeafe', stroke: '#2563eb' }, // 1
  { fill: '#dcfce7', stroke: '#16a34a' }, // 2
  { fill: '#fef3c7', stroke: '#ca8a04' }, // 4
  { fill: '#ffedd5', stroke: '#ea580c' }, // 8
  { fill: '#fee2e2', stroke: '#dc2626' }, // 16
  { fill: '#f3e8ff', stroke: '#9333ea' }, // 32
  { fill: '#ccfbf1', stroke: '#0d9488' }, // 64
  { fill: '#fce7f3', stroke: '#db2777' }, // 128
];
const OTHER = { fill: '#f1f5f9', stroke: '#64748b' };

/** The palette slot of an isotropic power-of-two stride, or null for any other stride. */
function slot(stride: VizPair): number | null {
  const [h, w] = stride;
  if (h !== w || !Number.isInteger(h) || h < 1) return null;
  const k = Math.log2(h);
  return Number.isInteger(k) && k < PALETTE.length ? k : null;
}

/**
 * Builds the legend for the strides that occur (ascending, "other" last) and returns each
 * stride's legend index; null strides (off the spatial chain) get no colour.
 */
export function strideLegend(strides: Array<VizPair | null>): {
  legend: VizLegendEntry[];
  levels: Array<number | null>;
} {
  const slots = new Set<number>();
  let other = false;
  for (const s of strides) {
    if (!s) continue;
    const k = slot(s);
    if (k === null) other = true;
    else slots.add(k);
  }
  const legend: VizLegendEntry[] = [...slots]
    .sort((a, b) => a - b)
    .map((k) => ({ stride: 2 ** k, label: String(2 ** k), ...PALETTE[k]! }));
  if (other) legend.push({ stride: null, label: 'other', ...OTHER });
  const levels = strides.map((s) => {
    if (!s) return null;
    const k = slot(s);
    return k === null ? legend.length - 1 : legend.findIndex((e) => e.stride === 2 ** k);
  });
  return { legend, levels };
}
