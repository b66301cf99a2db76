/**
 * The ONNX inference engine: a model directory's net exported to ONNX (src/emit/onnx) and run
 * by onnxruntime-node, an optional dependency. The export is cached as model.onnx inside the
 * directory's current version (a directory fcn wrote: src/util/versioned-dir.ts), so a model
 * trained again, which is a new version, is exported again; a read-only directory is exported
 * in memory each time instead. Inputs are NHWC in memory (as the tfjs engine takes them) and
 * transposed to the NCHW the ONNX graph takes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../diagnostics/index.js';
import { currentVersion, writeFileAtomic } from '../util/index.js';
import { scoreOutput, type ModelInfo } from './info.js';
import type { LabelMap } from '../data/labels.js';
import type { NetArray, Prediction } from './predict.js';
import { argmaxLabels } from './tile.js';

type Ort = typeof import('onnxruntime-node');

/** The cached export's name inside a model directory's version. */
export const ONNX_CACHE = 'model.onnx';

/** onnxruntime-node, or undefined when it is not installed (or does not load on this machine). */
export async function loadOrt(): Promise<Ort | undefined> {
  try {
    return await import('onnxruntime-node');
  } catch {
    return undefined;
  }
}

/** The ONNX bytes of a model directory: the cached export, or a new one (cached when the directory is writable). */
async function onnxBytes(dir: string): Promise<{ bytes: Uint8Array; cached: string | undefined }> {
  const { encodeOnnx, isFcnOnnx } = await import('../emit/onnx/export.js');
  const cache = join(currentVersion(dir), ONNX_CACHE);
  if (existsSync(cache)) {
    const bytes = readFileSync(cache);
    if (isFcnOnnx(bytes)) return { bytes, cached: cache };
  }
  const { loadExportNet } = await import('../emit/net.js');
  const { fcnVersion } = await import('../emit/onnx/write.js');
  const bytes = encodeOnnx(await loadExportNet(dir), fcnVersion());
  try {
    await writeFileAtomic(cache, bytes);
    return { bytes, cached: cache };
  } catch {
    return { bytes, cached: undefined };
  }
}

/** NHWC values as NCHW. */
function toNchw(data: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(data.length);
  const plane = h * w;
  for (let b = 0; b < n; b++)
    for (let p = 0; p < plane; p++)
      for (let k = 0; k < c; k++) out[(b * c + k) * plane + p] = data[(b * plane + p) * c + k]!;
  return out;
}

/** An ONNX Runtime session on a model directory's net. */
export class OnnxEngine {
  private constructor(
    private readonly ort: Ort,
    private readonly session: import('onnxruntime-node').InferenceSession,
    private readonly info: ModelInfo,
    /** Where the export is cached, if it is. */
    readonly cached: string | undefined,
  ) {}

  /** Opens `dir` (exporting it on first use); a UserError when onnxruntime-node is missing. */
  static async open(dir: string, info: ModelInfo): Promise<OnnxEngine> {
    const ort = await loadOrt();
    if (!ort)
      throw new UserError(
        '--engine onnx needs onnxruntime-node, which is not installed (npm install onnxruntime-node; see README "Training past one machine")',
      );
    const { bytes, cached } = await onnxBytes(dir);
    const session = await ort.InferenceSession.create(bytes);
    return new OnnxEngine(ort, session, info, cached);
  }

  /** Scores [N, C, H, W] of `n` same-size NHWC images. */
  async scores(
    data: Float32Array,
    n: number,
    h: number,
    w: number,
    c: number,
  ): Promise<{ data: Float32Array; dims: number[] }> {
    const input = new this.ort.Tensor('float32', toNchw(data, n, h, w, c), [n, c, h, w]);
    const out = await this.session.run({ [this.session.inputNames[0]!]: input }, [scoreOutput(this.info)]);
    const y = out[scoreOutput(this.info)]!;
    return { data: y.data as Float32Array, dims: [...y.dims] };
  }

  /** Runs one input, as runtime/predict.ts's predict does. */
  async predict(array: NetArray): Promise<Prediction> {
    const { data, dims } = await this.scores(array.data, 1, array.height, array.width, array.channels);
    const [, c, h, w] = dims as [number, number, number, number];
    if (c > 256) throw new UserError(`the score map has ${c} classes; a label PNG holds at most 256`);
    return { scores: data, shape: [c, h, w], labels: { width: w, height: h, data: argmaxLabels(data, c, h * w) } };
  }

  /** Label maps (argmax over classes, of the scores' size) of `n` same-size NHWC images. */
  async labels(data: Float32Array, n: number, h: number, w: number, c: number): Promise<LabelMap[]> {
    const { data: scores, dims } = await this.scores(data, n, h, w, c);
    const [, k, oh, ow] = dims as [number, number, number, number];
    const size = k * oh * ow;
    return Array.from({ length: n }, (_, i) => ({
      width: ow,
      height: oh,
      data: argmaxLabels(scores.subarray(i * size, (i + 1) * size), k, oh * ow),
    }));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
