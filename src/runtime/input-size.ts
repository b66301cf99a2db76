/**
 * The one place that checks, before a net runs, that it takes an input size: training,
 * prediction and evaluation all ask here. The answer is the analysing compiler's (its shape
 * diagnostics at that size, with the layer that fails and the next size that works), plus the
 * runs of sides that work near the size and the nearest one, read off the same survival test.
 * Also the compiler's figures a run needs: tile geometry, and activation memory per size.
 */
import type { Analysis } from '../compiler/analysis/index.js';
import {
  computeCost,
  INPUT_SEARCH_LIMIT,
  likeMaps,
  propagateAxis,
  sideVerdict,
  fieldOf,
  formatSize,
  inferShapes,
  largestInputAtMost,
  nearestSize,
  nearSizes,
} from '../compiler/analysis/index.js';
import type { Pair } from '../compiler/layers/types.js';
import { UserError } from '../diagnostics/index.js';
import type { ModelInfo } from './info.js';
import type { OverlapGeometry } from './overlap-tile.js';
import { compileModelNet } from './model-net.js';

/** How to word a failed check: `net N cannot <verb> <subject> (HxW): …`, then `hint`. */
export interface CheckWording {
  /** Default 'take'. */
  verb?: string;
  /** Appended after the nearest size, e.g. `resize it, or use --tile`. */
  hint?: string;
}

/** What tiling needs to know of a net: which sides work, how tiles must line up, how much context a score needs. */
export interface TileGeometry {
  /** The largest side ≤ n the net takes along `axis`; null if none. */
  largestAtMost(axis: 0 | 1, n: number): number | null;
  /** Tile origins that are multiples of this keep every blob's grid where the whole image has it (the LCM of the effective strides). */
  align: number;
  /** Input pixels on each side of an output pixel that its score depends on (half the score's receptive field, rounded up). */
  margin: number;
}

const cache = new WeakMap<ModelInfo, NetSizes | null>();

/** The input sizes a net takes, answered by the analysing compiler. */
export class NetSizes {
  private readonly verdicts = new Map<string, UserError | null>();
  /** The coordinate maps `exact` checks `interp { like }` against, computed once. */
  private likes?: ReturnType<typeof likeMaps>;

  private constructor(
    /** The net's name, for messages. */
    readonly net: string,
    /** The compiler's analysis, without an input size. */
    readonly analysis: Analysis,
    /** The only size a model built for a fixed input takes. */
    readonly fixed?: Pair,
  ) {}

  /** For a model; undefined when its net cannot be compiled again (an old model whose .fcn file is gone). */
  static fromModel(info: ModelInfo): NetSizes | undefined {
    let sizes = cache.get(info);
    if (sizes === undefined) {
      const analysis = compileModelNet(info);
      sizes = analysis ? new NetSizes(info.net, analysis, info.inputs[0]?.size) : null;
      cache.set(info, sizes);
    }
    return sizes ?? undefined;
  }

  private get offsets() {
    return this.analysis.crops.offsets;
  }

  /** The compiler's size errors at `size` (none when the net takes it). */
  private diagnostics(size: Pair) {
    return inferShapes(this.analysis.ir, this.offsets, size).diagnostics;
  }

  /** Whether the net takes `size`. */
  works(size: Pair): boolean {
    return this.fits(size) && this.diagnostics(size).length === 0;
  }

  private fits(size: Pair): boolean {
    return !this.fixed || (size[0] === this.fixed[0] && size[1] === this.fixed[1]);
  }

  /** The working size nearest to `size`, axis by axis; null if an axis has none. */
  nearest(size: Pair): Pair | null {
    if (this.fixed) return this.fixed;
    return nearestSize(this.analysis.ir, this.offsets, size);
  }

  /** The largest side ≤ `n` that works along `axis`; null if none. */
  largestAtMost(axis: 0 | 1, n: number): number | null {
    if (this.fixed) return n >= this.fixed[axis] ? this.fixed[axis] : null;
    return largestInputAtMost(this.analysis.ir, axis, this.offsets, n);
  }

  /** Whether the net takes side `n` along `axis` with no layer rounding (input-advice.ts: every blob's grid centred on the input). */
  exact(axis: 0 | 1, n: number): boolean {
    if (this.fixed) return n === this.fixed[axis];
    this.likes ??= likeMaps(this.analysis.ir, this.offsets);
    return sideVerdict(this.analysis.ir, axis, n, this.offsets, this.likes).kind === 'exact';
  }

  /** The largest side ≤ `n` that `exact` along `axis`; null if none. */
  largestExactAtMost(axis: 0 | 1, n: number): number | null {
    for (let h = n; h >= 1; h--) if (this.exact(axis, h)) return h;
    return null;
  }

  /**
   * Throws a UserError with the compiler's diagnostics unless the net takes `size`; `subject`
   * names what has that size (an image file). Verdicts are kept per size.
   */
  check(size: Pair, subject: string, wording: CheckWording = {}): void {
    const key = size.join('x');
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = this.works(size) ? null : this.failure(size);
      this.verdicts.set(key, verdict);
    }
    if (verdict === null) return;
    const hint = wording.hint ? ` (${wording.hint})` : '';
    throw new UserError(
      `net ${this.net} cannot ${wording.verb ?? 'take'} ${subject} (${formatSize(size)}): ${verdict.message}${hint}`,
      1,
      verdict.diagnostics,
    );
  }

  /** Why `size` fails, as a message tail and the compiler's diagnostics. */
  private failure(size: Pair): UserError {
    if (!this.fits(size))
      return new UserError(
        `the model was built for ${formatSize(this.fixed!)} inputs only (recompile it without --input)`,
      );
    const near = nearSizes(this.analysis.ir, this.offsets, size);
    const tail = near.nearest ? `; the nearest size that works is ${formatSize(near.nearest)}` : '';
    return new UserError(`near that size it takes ${near.text}${tail}`, 1, this.diagnostics(size));
  }

  /**
   * Bytes a forward pass holds at its peak at `size`, from the compiler's memory per blob:
   * walking the net in order, as tfjs-layers runs it, a blob lives from its layer until its
   * last reader has run (model outputs to the end), and each layer holds a second buffer the
   * size of its output while it runs (a conv's result before its bias is added). Measured on
   * wasm with a counting malloc: tiny-fcn8s-padded 160–168 bytes per pixel at 499² and 1011² (this
   * gives 216–228: it errs high), a single 1024-channel 1×1 conv 8204 (this gives the same).
   */
  peakBytes(size: Pair): number {
    const { ir } = this.analysis;
    const shapes = inferShapes(ir, this.offsets, size);
    const memory = computeCost(ir, shapes.shapes, shapes.channels).nodes.map((c) => c.memory ?? 0);
    const inModel = (id: number) => {
      const node = ir.nodes[id]!;
      return node.op === 'input' ? node.input.kind === 'image' : node.op !== 'softmax_loss';
    };
    const readers = ir.consumers.map((c) => c.filter(inModel).length);
    let live = 0;
    let peak = 0;
    for (const node of ir.nodes) {
      if (!inModel(node.id)) continue;
      peak = Math.max(peak, live + 2 * memory[node.id]!);
      live += memory[node.id]!;
      for (const i of new Set(node.inputs)) if (inModel(i) && --readers[i]! === 0) live -= memory[i]!;
    }
    return peak;
  }

  /** Bytes of the net's weights (float32). */
  weightBytes(): number {
    return 4 * (this.analysis.cost.total.params ?? 0);
  }

  /**
   * The largest working size with `size`'s aspect ratio whose forward pass fits in `budget`
   * bytes, scaled from the peak bytes per pixel at `size`; null if none.
   */
  largestFitting(size: Pair, budget: number): Pair | null {
    const perPixel = this.peakBytes(size) / (size[0] * size[1]);
    const scale = Math.min(1, Math.sqrt(budget / perPixel / (size[0] * size[1])));
    const h = this.largestAtMost(0, Math.floor(size[0] * scale));
    const w = this.largestAtMost(1, Math.floor(size[1] * scale));
    return h === null || w === null ? null : [h, w];
  }

  /** The net's grid: the LCM of the effective strides of its blobs, from the receptive-field analysis. */
  private align(): number {
    const { analysis } = this;
    let align = 1;
    for (const node of analysis.ir.nodes) {
      const field = fieldOf(analysis, node.id);
      for (const f of field ?? []) if (f.stride.isInteger()) align = lcm(align, f.stride.toNumber());
    }
    return align;
  }

  /** Tile geometry from the compiler's receptive-field analysis. */
  tileGeometry(scoreBlob: string): TileGeometry {
    const { analysis } = this;
    const align = this.align();
    const score = fieldOf(analysis, scoreBlob);
    if (!score) throw new Error(`blob ${scoreBlob} has no receptive field relative to the net's input`);
    const margin = Math.max(
      ...score.map((f) => Math.ceil(Math.max(f.padding.toNumber(), f.rf.sub(1).sub(f.padding).toNumber()))),
    );
    return { largestAtMost: (axis, n) => this.largestAtMost(axis, n), align, margin };
  }

  /**
   * Overlap-tile geometry for a net whose `scoreBlob` sits at `offset` in its input: score sides
   * from the shape analysis. Tiles are of exact sides (no layer rounds, as U-Net's "every 2x2
   * pooling sees an even size"), when the net has any: at a side where a pooling rounds, the
   * scores are no longer centred in the tile, so the label crop's offset would misplace them.
   */
  overlapGeometry(scoreBlob: string, offset: Pair): OverlapGeometry {
    const { ir } = this.analysis;
    const id = ir.byName.get(scoreBlob);
    if (id === undefined) throw new Error(`net ${this.net} has no blob ${scoreBlob}`);
    const scoreSide = (axis: 0 | 1, n: number): number => {
      const side = propagateAxis(ir, axis, () => n, this.offsets).sizes[id];
      if (!side) throw new Error(`net ${this.net} gives no ${scoreBlob} at input side ${n}`);
      return side;
    };
    const exactOnly = ([0, 1] as const).map((a) => this.largestExactAtMost(a, INPUT_SEARCH_LIMIT) !== null);
    const largestAtMost = (axis: 0 | 1, n: number) =>
      exactOnly[axis] ? this.largestExactAtMost(axis, n) : this.largestAtMost(axis, n);
    const smallest = (): Pair | null => {
      const sides = ([0, 1] as const).map((a) => {
        for (let n = 1; n <= INPUT_SEARCH_LIMIT; n++)
          if (exactOnly[a] ? this.exact(a, n) : this.largestAtMost(a, n) === n) return n;
        return null;
      });
      return sides[0] && sides[1] ? [sides[0], sides[1]] : null;
    };
    return { largestAtMost, scoreSide, offset, align: this.align(), exact: exactOnly[0]! && exactOnly[1]!, smallest };
  }
}

function lcm(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}
