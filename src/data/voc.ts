/**
 * A dataset in the PASCAL VOC segmentation layout:
 *   JPEGImages/ID.jpg (or .png)   the images
 *   SegmentationClass/ID.png      the labels (palette, grayscale or VOC-colour PNG; 255 void)
 *   ImageSets/Segmentation/SPLIT.txt   one ID per line (train.txt, val.txt, …)
 * It lists a split's ids and loads (image, label) pairs, preprocessed for a net, either one
 * whole image at a time (batch 1, as the paper trains) or as batches of same-size crops.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pair } from '../compiler/layers/types.js';
import { UserError } from '../diagnostics/index.js';
import { VOID_LABEL } from './colormap.js';
import { fileError, filesByStem } from './files.js';
import { readImage, type RgbImage } from './image.js';
import { checkLabelRange, readLabel, type LabelMap } from './labels.js';
import { cropOrPad, flipHorizontal, toNetInput, type Preprocessing } from './preprocess.js';
import { Rng } from './random.js';

/** Image extensions accepted in JPEGImages/, in order of preference when two share a stem. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'] as const;
const SPLITS_DIR = join('ImageSets', 'Segmentation');
// Keys that separate the PRNG streams of shuffling and augmentation drawn from one seed.
const ORDER_STREAM = 1;
const AUGMENT_STREAM = 2;

/** One preprocessed example: `image` HWC in the net's channel order, mean subtracted; `label` HW, 255 void. */
export interface Sample {
  id: string;
  height: number;
  width: number;
  channels: number;
  image: Float32Array;
  label: Uint8Array;
}

/** A batch: `images` NHWC, `labels` NHW, all of one size. */
export interface Batch {
  ids: string[];
  size: number;
  height: number;
  width: number;
  channels: number;
  images: Float32Array;
  labels: Uint8Array;
}

/** An example as stored: RGB image and label map, of one size. */
export interface RawExample {
  image: RgbImage;
  label: LabelMap;
}

/** What is wrong with one file of a dataset; `message` begins with the file's path. */
export interface FileProblem {
  file: string;
  message: string;
}

/** Training augmentations. */
export interface Augmentation {
  /** Mirror left-right with probability 1/2. */
  flip?: boolean;
  /** Random [h, w] crop; images smaller than it are padded (image 0 after mean subtraction, label void). */
  crop?: Pair;
}

/** How {@link VocDataset.batch} draws batches. */
export interface BatchOptions extends Augmentation {
  batch: number;
  preprocess: Preprocessing;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seeds the shuffles and augmentations (default 0). */
  seed?: number;
}

/** Options for {@link VocDataset.open}. */
export interface VocOptions {
  /** Split name: ImageSets/Segmentation/SPLIT.txt. */
  split: string;
  /** Number of classes; labels outside [0, classes) other than 255 are an error naming the file. */
  classes?: number;
  /** Keep decoded images and labels in memory (worth it for small datasets such as `fcn synth`'s). */
  cache?: boolean;
}

/** Lists the split names a VOC root offers (the .txt files of ImageSets/Segmentation). */
export async function listSplits(root: string): Promise<string[]> {
  try {
    return (await readdir(join(root, SPLITS_DIR)))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.slice(0, -4))
      .sort();
  } catch {
    return [];
  }
}

/** A split of a VOC-layout dataset; open it with {@link VocDataset.open}. */
export class VocDataset {
  private orderCache: { epoch: number; order: number[] } | undefined;

  private constructor(
    readonly root: string,
    readonly split: string,
    readonly ids: readonly string[],
    readonly classes: number | undefined,
    private readonly imageFiles: ReadonlyMap<string, string>,
    private readonly useCache: boolean,
    private readonly cache = new Map<string, RawExample>(),
  ) {}

  /** Opens a split: reads its id list and checks that every id has an image and a label file. */
  static async open(root: string, options: VocOptions): Promise<VocDataset> {
    const listFile = join(root, SPLITS_DIR, `${options.split}.txt`);
    let text: string;
    try {
      text = await readFile(listFile, 'utf8');
    } catch (e) {
      const splits = await listSplits(root);
      const err = fileError(e, listFile, 'split list');
      const hint = splits.length ? ` (splits here: ${splits.join(', ')})` : ` (is ${root} a VOC-layout dataset?)`;
      throw new UserError(err.message + hint);
    }
    const ids = text
      .split(/\r?\n/)
      .map((l) => l.trim().split(/\s+/)[0]!)
      .filter((l) => l !== '');
    if (!ids.length) throw new UserError(`${listFile}: the split lists no images`);
    const images = await filesByStem(join(root, 'JPEGImages'), IMAGE_EXTENSIONS);
    const labels = await filesByStem(join(root, 'SegmentationClass'), ['.png']);
    for (const id of ids) {
      if (!images.has(id))
        throw new UserError(`${join(root, 'JPEGImages', `${id}.jpg`)}: no such image file (listed in ${listFile})`);
      if (!labels.has(id))
        throw new UserError(
          `${join(root, 'SegmentationClass', `${id}.png`)}: no such label file (listed in ${listFile})`,
        );
    }
    return new VocDataset(root, options.split, ids, options.classes, images, options.cache ?? false);
  }

  /** Number of images in the split. */
  get length(): number {
    return this.ids.length;
  }

  /** Path of an id's image file. */
  imagePath(id: string): string {
    return join(this.root, 'JPEGImages', this.imageFiles.get(id) ?? `${id}.jpg`);
  }

  /** Path of an id's label file. */
  labelPath(id: string): string {
    return join(this.root, 'SegmentationClass', `${id}.png`);
  }

  /** Loads an id's RGB image and label, checked: same size, labels in range; an error lists every bad file. */
  async loadRaw(id: string): Promise<RawExample> {
    const loaded = await this.check(id);
    if ('problems' in loaded) throw new UserError(loaded.problems.map((p) => p.message).join('\n'));
    return loaded;
  }

  /**
   * Loads and checks an id's image and label (both decode, same size, labels in range),
   * collecting every problem instead of stopping at the first, so that a check of the whole
   * split can list them all. A good pair is cached like {@link loadRaw}'s.
   */
  async check(id: string): Promise<RawExample | { problems: FileProblem[] }> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const imageFile = this.imagePath(id);
    const labelFile = this.labelPath(id);
    const [image, label] = await Promise.allSettled([readImage(imageFile), readLabel(labelFile)]);
    const problems: FileProblem[] = [];
    const collect = (file: string, f: () => void) => {
      try {
        f();
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        problems.push({ file, message: e.message });
      }
    };
    collect(imageFile, () => {
      if (image.status === 'rejected') throw image.reason;
    });
    collect(labelFile, () => {
      if (label.status === 'rejected') throw label.reason;
      if (this.classes !== undefined) checkLabelRange(label.value, this.classes, labelFile);
    });
    if (problems.length || image.status === 'rejected' || label.status === 'rejected') return { problems };
    const [rgb, map] = [image.value, label.value];
    if (rgb.width !== map.width || rgb.height !== map.height) {
      const message = `${labelFile}: label is ${map.width}x${map.height} (WxH) but its image ${imageFile} is ${rgb.width}x${rgb.height}`;
      return { problems: [{ file: labelFile, message }] };
    }
    const pair = { image: rgb, label: { width: map.width, height: map.height, data: map.data } };
    if (this.useCache) this.cache.set(id, pair);
    return pair;
  }

  /** The same split without some ids (examples whose files are bad); decoded images stay shared. */
  without(ids: ReadonlySet<string>): VocDataset {
    return new VocDataset(
      this.root,
      this.split,
      this.ids.filter((id) => !ids.has(id)),
      this.classes,
      this.imageFiles,
      this.useCache,
      this.cache,
    );
  }

  /** Loads one example, preprocessed for the net and optionally augmented (random draws from `rng`). */
  async sample(id: string, preprocess: Preprocessing, augment: Augmentation = {}, rng?: Rng): Promise<Sample> {
    const { image, label } = await this.loadRaw(id);
    let h = image.height;
    let w = image.width;
    let x = toNetInput(image, preprocess);
    const c = x.length / (h * w);
    // A copy, so that a caller writing into the sample never corrupts the cache.
    let y = label.data.slice();
    if (augment.flip || augment.crop) rng ??= new Rng(0);
    if (augment.flip && rng!.chance(0.5)) {
      x = flipHorizontal(x, h, w, c);
      y = flipHorizontal(y, h, w, 1);
    }
    if (augment.crop) {
      const [ch, cw] = augment.crop;
      // Offsets range over every placement: inside the image when it is larger, around it when smaller.
      const y0 = Math.min(0, h - ch) + rng!.int(Math.abs(h - ch) + 1);
      const x0 = Math.min(0, w - cw) + rng!.int(Math.abs(w - cw) + 1);
      x = cropOrPad(x, h, w, c, y0, x0, ch, cw, 0);
      y = cropOrPad(y, h, w, 1, y0, x0, ch, cw, VOID_LABEL);
      h = ch;
      w = cw;
    }
    return { id, height: h, width: w, channels: c, image: x, label: y };
  }

  /** The order of the split's images in an epoch: a seeded shuffle, or the list order. */
  epochOrder(epoch: number, seed = 0, shuffle = true): number[] {
    if (this.orderCache?.epoch === epoch && shuffle) return this.orderCache.order;
    const order = this.ids.map((_, i) => i);
    if (!shuffle) return order;
    new Rng(seed, ORDER_STREAM, epoch).shuffle(order);
    this.orderCache = { epoch, order };
    return order;
  }

  /**
   * The batch of training iteration `iteration` (0-based). A pure function of the iteration,
   * the options and the seed, so a resumed run sees exactly the data the interrupted one would
   * have: epochs are consecutive seeded shuffles, and each example's flip and crop come from
   * its own position in that stream.
   */
  async batch(iteration: number, options: BatchOptions): Promise<Batch> {
    const n = options.batch;
    if (!Number.isInteger(n) || n < 1) throw new UserError(`the batch size must be a positive integer, got ${n}`, 2);
    const seed = options.seed ?? 0;
    const pending: Promise<Sample>[] = [];
    for (let k = 0; k < n; k++) {
      const position = iteration * n + k;
      const epoch = Math.floor(position / this.length);
      const id = this.ids[this.epochOrder(epoch, seed, options.shuffle ?? true)[position % this.length]!]!;
      pending.push(this.sample(id, options.preprocess, options, new Rng(seed, AUGMENT_STREAM, position)));
    }
    // Decoding runs on sharp's worker threads, so the batch's images load in parallel.
    return stack(await Promise.all(pending));
  }

  /** Iterations per epoch at a batch size (the last partial batch wraps into the next epoch). */
  iterationsPerEpoch(batch: number): number {
    return Math.ceil(this.length / batch);
  }
}

/** Stacks same-size samples into one batch; different sizes are an error that names two of them. */
export function stack(samples: Sample[]): Batch {
  const first = samples[0]!;
  const { height, width, channels } = first;
  for (const s of samples) {
    if (s.height !== height || s.width !== width) {
      throw new UserError(
        `a batch of ${samples.length} needs images of one size or a crop size: ${first.id} is ${height}x${width} (HxW) but ${s.id} is ${s.height}x${s.width}`,
      );
    }
  }
  if (samples.length === 1)
    return { ids: [first.id], size: 1, height, width, channels, images: first.image, labels: first.label };
  const images = new Float32Array(samples.length * height * width * channels);
  const labels = new Uint8Array(samples.length * height * width);
  samples.forEach((s, i) => {
    images.set(s.image, i * s.image.length);
    labels.set(s.label, i * s.label.length);
  });
  return { ids: samples.map((s) => s.id), size: samples.length, height, width, channels, images, labels };
}
