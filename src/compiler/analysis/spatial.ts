/**
 * The spatial behaviour of each layer type, in one place, so that shapes, coordinate maps,
 * receptive fields and the checks all agree on what a layer does to the H and W axes.
 */
import type { IRGraph, IRNode } from '../ir/types.js';
import { unreachable, type Spatial as LayerSpatial, type Window } from '../layers/def.js';
import { layerDef } from '../layers/registry.js';

export type { Window };

/**
 * How a node maps space: an input is a `source`; a layer's behaviour comes from its type's
 * definition (../layers/def.ts lists the closed set of kinds).
 */
export type Spatial = LayerSpatial | { kind: 'source' };

/** The spatial behaviour of a node. */
export function spatialOf(node: IRNode): Spatial {
  return node.op === 'input' ? { kind: 'source' } : layerDef(node.op).spatial(node.params);
}

/**
 * The inputs whose coordinates flow into a node's output. A crop's second input only lends
 * its size (Caffe's coord_map.py walks only the cropped bottom); layers without a coordinate
 * map (fc, global pooling, a resize to another blob's size, the loss) have none.
 */
export function spatialInputs(node: IRNode): number[] {
  const sp = spatialOf(node);
  switch (sp.kind) {
    case 'source':
    case 'collapse':
    case 'loss':
    case 'like':
      return [];
    case 'crop':
      return node.inputs.slice(0, 1);
    case 'window':
    case 'deconv':
    case 'pointwise':
      return node.inputs;
    default:
      return unreachable(sp);
  }
}

/** A short description of a layer's spatial parameters for messages: `conv 3x3/1 pad 1` (kernel as its effective extent). */
export function describeLayer(node: IRNode): string {
  const sp = spatialOf(node);
  if (sp.kind !== 'window' && sp.kind !== 'deconv') return node.op;
  const [h, w] = sp.axes;
  const both = (f: (a: Window) => number) => (f(h) === f(w) ? `${f(h)}` : `${f(h)}x${f(w)}`);
  const pad = h.p || w.p ? ` pad ${both((a) => a.p)}` : '';
  return `${node.op} ${h.k}x${w.k}/${both((a) => a.s)}${pad}`;
}

/**
 * The input that stands for the image frame: the primary input, when it is in that frame.
 * Every input not declared `frame: own` shares its coordinates (a label lines up with its
 * image pixel for pixel), so a crop can align a label to a smaller score map.
 */
export function frameRoot(ir: IRGraph): number | undefined {
  const inFrame = (id: number) => {
    const n = ir.nodes[id]!;
    return n.op === 'input' && !n.input.ownFrame;
  };
  const primary = primaryInput(ir);
  return primary !== undefined && inFrame(primary) ? primary : ir.inputs.find(inFrame);
}

/** Whether an input shares the image frame with the others. */
export function inImageFrame(node: IRNode): boolean {
  return node.op === 'input' && !node.input.ownFrame;
}

/** The first input declared as an image (else the first input): the reference for strides and fields. */
export function primaryInput(ir: IRGraph): number | undefined {
  const image = ir.inputs.find((id) => {
    const n = ir.nodes[id]!;
    return n.op === 'input' && n.input.kind === 'image';
  });
  return image ?? ir.inputs[0];
}
