/**
 * ChannelArgmax: Caffe's ArgMax over channels, giving the label map [N, H, W, 1] (as float32,
 * like Caffe's top blob). Not differentiable; only at the end of a net.
 */
import * as tf from '@tensorflow/tfjs';
import { oneShape, single, type BaseLayerArgs, type Shape } from './args.js';
import { bare, type Plan } from './plan.js';

export class ChannelArgmax extends tf.layers.Layer {
  static className = 'FcnChannelArgmax';

  constructor(args: BaseLayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = oneShape(inputShape);
    return [s[0]!, s[1]!, s[2]!, 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.expandDims(tf.cast(tf.argMax(single(inputs), -1), 'float32'), -1));
  }
}
tf.serialization.registerClass(ChannelArgmax);

/** The runtime twin of `argmax`. */
export const argmaxPlan: Plan<'argmax'> = (node) => bare(new ChannelArgmax({ name: node.name }));
