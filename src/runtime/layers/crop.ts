/**
 * Crop: Caffe's Crop layer on axes 2 and 3. Cuts bottom[0] to the spatial size of bottom[1]
 * (the reference) starting at a fixed offset, so that two maps line up pixel for pixel. The
 * offset is the compiler's (FCN-8s: 5, 9 and 31); the size is read from the reference at run
 * time, so one model serves every input size.
 */
import * as tf from '@tensorflow/tfjs';
import { checkPair, type BaseLayerArgs, type Pair, type Shape } from './args.js';
import { bare, type Plan } from './plan.js';

export interface CropArgs extends BaseLayerArgs {
  /** [h, w] offset of the reference's origin inside the input. */
  offset: Pair | number;
}

export class Crop extends tf.layers.Layer {
  static className = 'FcnCrop';
  readonly offset: Pair;

  constructor(args: CropArgs) {
    super(args);
    this.offset = checkPair(this.name, 'offset', args.offset, 0);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [x, ref] = inputShape as Shape[];
    if (!x || !ref) throw new Error(`${this.name}: Crop takes two inputs, the blob and the reference`);
    return [x[0]!, ref[1]!, ref[2]!, x[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ref] = inputs as tf.Tensor[];
      const [n, h, w, c] = x!.shape as number[];
      const [, rh, rw] = ref!.shape as number[];
      const [oh, ow] = this.offset;
      if (oh + rh! > h! || ow + rw! > w!) {
        throw new Error(
          `${this.name}: cannot crop ${h}×${w} to ${rh}×${rw} at offset [${oh}, ${ow}]: the input is too small`,
        );
      }
      return tf.slice(x!, [0, oh, ow, 0], [n!, rh!, rw!, c!]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), offset: [...this.offset] };
  }
}
tf.serialization.registerClass(Crop);

/** The runtime twin of `crop`: the offset is the analysis's (or the written one). */
export const cropPlan: Plan<'crop'> = (node, ctx) => {
  if (!ctx.offset) throw new Error(`crop ${node.name}: no offset was inferred or given`);
  return bare(new Crop({ name: node.name, offset: ctx.offset }));
};
