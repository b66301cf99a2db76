/**
 * What a compiled model carries besides its tfjs graph: how to feed it (inputs with their
 * mean and channel order), which outputs are scores for which losses, each parameter's
 * learning multipliers, and the crop offsets. Saved as fcn.json beside model.json.
 */
import type { Pair } from '../compiler/layers/types.js';
import type { SolverSettings } from '../compiler/resolve/types.js';

/** An image input of the model (label inputs are not model inputs). */
export interface ModelInput {
  name: string;
  channels: number;
  /** Per-channel mean, in the net's channel order, subtracted before the net. */
  mean?: number[];
  /** Channel order the net expects; images are read as RGB. */
  order: 'rgb' | 'bgr';
  /** Fixed [h, w], when the model was built for one size. */
  size?: Pair;
}

/** One softmax_loss of the net: the loss is computed in training code from these. */
export interface ModelLoss {
  /** The loss layer's name. */
  name: string;
  /** The blob (a model output) whose scores the loss reads. */
  score: string;
  /** The label input it compares them with. */
  label: string;
  /**
   * Set when the loss reads `crop(label)`: the label is cut to the scores' size at this offset
   * (a net whose output is smaller than its input, like U-Net's valid convolutions).
   */
  labelOffset?: Pair;
  ignore?: number;
  normalize: boolean;
  weight: number;
}

/** Learning multipliers of one weight, keyed `layer/weight` as tfjs names it (`vgg.conv1_1/kernel`). */
export interface ModelParam {
  name: string;
  layer: string;
  /** Learning-rate multiplier; 0 freezes the weight. */
  lr: number;
  /** Weight-decay multiplier. */
  decay: number;
}

export interface ModelInfo {
  format: 'fcn-model';
  version: 1;
  /** The net's name and the .fcn file it came from. */
  net: string;
  source: string;
  /** The text of that file and of the files it imports, by name, so the net can be analysed again wherever the model goes. */
  sources?: Record<string, string>;
  seed: number;
  inputs: ModelInput[];
  /** Names of the label inputs. */
  labels: string[];
  /** Names of the model's outputs, in order. */
  outputs: string[];
  losses: ModelLoss[];
  /** Channels of the first loss's scores (or of the first output): the class count. */
  classes: number;
  crops: Array<{ name: string; offset: Pair }>;
  params: ModelParam[];
  solver: SolverSettings;
}

/** The output a prediction reads: the first loss's scores, else the first output. */
export function scoreOutput(info: ModelInfo): string {
  return info.losses[0]?.score ?? info.outputs[0]!;
}

/** Where the score output sits in the input frame: the offset of its loss's `crop(label)`, if it has one. */
export function scoreOffset(info: ModelInfo): Pair | undefined {
  const score = scoreOutput(info);
  return info.losses.find((l) => l.score === score && l.labelOffset)?.labelOffset;
}
