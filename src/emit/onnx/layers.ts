/**
 * Each fcn layer type as ONNX operators (opset 13), with Caffe's semantics carried over:
 * - conv → Conv and deconv → ConvTranspose, with explicit symmetric pads, strides, dilations and
 *   groups; ConvTranspose's output is s·(H − 1) + d·(k − 1) + 1 − 2p, Caffe's size, and both
 *   take Caffe's weight layouts as they are;
 * - pool → MaxPool/AveragePool with ceil_mode for Caffe's rounding; onnxruntime, like Caffe,
 *   drops a last window that would start in the padding, and AveragePool with
 *   count_include_pad divides by the window clipped to the padded input, Caffe's divisor;
 * - crop → Slice on H and W from the compiler's offset to offset + the reference's size, the
 *   size read with Shape at run time, so one graph serves every input size;
 * - global pool → GlobalMaxPool/GlobalAveragePool;
 * - batch_norm → BatchNormalization with Caffe's sums divided by its factor (0 for factor 0);
 * - lrn → LRN, whose alpha is divided by size as in Caffe (the value passes unchanged);
 * - fc → Flatten (Caffe's C, H, W order) + Gemm, reshaped back to [N, out, 1, 1];
 * - eltwise → Mul (a chain), Max, or sum's weighted Sum; prelu → PRelu (one slope, or one a channel);
 * - interp → Resize, linear with align_corners (Caffe's Interp), to the size z·(in − 1) + 1 or
 *   the `like` blob's, computed with Shape at run time.
 * The table is exhaustive over LayerType: a new layer type does not compile until it is mapped.
 */
import type { LayerType } from '../../compiler/layers/types.js';
import { batchNormStats, blobsOf, cropOffset, type ExportNet, type NodeOf } from '../net.js';
import type { GraphBuilder } from './graph.js';

/** What a layer's translation reads: its node, the names of its inputs, the graph and the net. */
export interface OnnxLayerContext<T extends LayerType> {
  node: NodeOf<T>;
  inputs: string[];
  graph: GraphBuilder;
  net: ExportNet;
}

type Translate<T extends LayerType> = (c: OnnxLayerContext<T>) => void;

const pads = ([h, w]: [number, number]): number[] => [h, w, h, w];

function convLike<T extends 'conv' | 'deconv'>(op: 'Conv' | 'ConvTranspose'): Translate<T> {
  return (c) => {
    const { inputs, graph, net } = c;
    const node = c.node as NodeOf<'conv' | 'deconv'>;
    const p = node.params;
    const [weight, bias] = blobsOf(net, node, p.biasTerm ? 2 : 1);
    const args = [inputs[0]!, graph.floats(`${node.name}.weight`, weight!.shape, weight!.data)];
    if (p.biasTerm) args.push(graph.floats(`${node.name}.bias`, bias!.shape, bias!.data));
    graph.node(op, args, node.name, {
      kernel_shape: [...p.kernel],
      strides: [...p.stride],
      pads: pads(p.pad),
      dilations: [...p.dilation],
      group: p.group,
    });
  };
}

/** Dimensions [from, to) of `x`'s shape, read at run time (int64, 1-D). */
function dims(graph: GraphBuilder, name: string, x: string, from: number, to: number, what: string): string {
  const shape = graph.node('Shape', [x], graph.fresh(`${name}.${what}_shape`));
  return graph.node(
    'Slice',
    [shape, graph.ints(`${name}.${what}_from`, [from]), graph.ints(`${name}.${what}_to`, [to])],
    graph.fresh(`${name}.${what}`),
  );
}

/** Σ coeff_i · input_i (coefficients 1 when absent): sum, and eltwise's SUM. */
function weightedSum(graph: GraphBuilder, name: string, inputs: string[], coeff: number[] | undefined): void {
  const terms = inputs.map((x, i) => {
    const c = coeff?.[i] ?? 1;
    if (c === 1) return x;
    const k = graph.floats(`${name}.coeff${i}`, [], Float32Array.of(c));
    return graph.node('Mul', [x, k], graph.fresh(`${name}.term${i}`));
  });
  graph.node(terms.length === 1 ? 'Identity' : 'Sum', terms, name);
}

/** Every layer type's translation; softmax_loss is training only and has none. */
export const ONNX_LAYERS: { [T in LayerType]: Translate<T> } = {
  conv: convLike<'conv'>('Conv'),
  deconv: convLike<'deconv'>('ConvTranspose'),
  pool: ({ node, inputs, graph }) => {
    const p = node.params;
    if (p.global) {
      graph.node(p.method === 'max' ? 'GlobalMaxPool' : 'GlobalAveragePool', inputs, node.name);
      return;
    }
    const attrs = {
      kernel_shape: [...p.kernel],
      strides: [...p.stride],
      pads: pads(p.pad),
      ceil_mode: p.round === 'ceil' ? 1 : 0,
    };
    if (p.method === 'max') graph.node('MaxPool', inputs, node.name, attrs);
    else graph.node('AveragePool', inputs, node.name, { ...attrs, count_include_pad: 1 });
  },
  relu: ({ node, inputs, graph }) => {
    if (node.params.slope === 0) graph.node('Relu', inputs, node.name);
    else graph.node('LeakyRelu', inputs, node.name, { alpha: { float: node.params.slope } });
  },
  dropout: ({ node, inputs, graph }) => {
    graph.node('Identity', inputs, node.name, {}, 'dropout: the identity at inference');
  },
  lrn: ({ node, inputs, graph }) => {
    const p = node.params;
    graph.node('LRN', inputs, node.name, {
      size: p.size,
      alpha: { float: p.alpha },
      beta: { float: p.beta },
      bias: { float: p.k },
    });
  },
  crop: ({ node, inputs, graph, net }) => {
    const offset = cropOffset(net, node);
    const hw = dims(graph, node.name, inputs[1]!, 2, 4, 'like_hw');
    const starts = graph.ints(`${node.name}.offset`, [...offset]);
    const ends = graph.node('Add', [hw, starts], graph.fresh(`${node.name}.ends`));
    graph.node(
      'Slice',
      [inputs[0]!, starts, ends, graph.ints(`${node.name}.axes`, [2, 3])],
      node.name,
      {},
      `crop at the compiler's offset [${offset.join(', ')}] to the size of ${net.ir.nodes[node.inputs[1]!]!.name}`,
    );
  },
  sum: ({ node, inputs, graph }) => weightedSum(graph, node.name, inputs, node.params.coeff),
  concat: ({ node, inputs, graph }) => {
    if (inputs.length === 1) graph.node('Identity', inputs, node.name);
    else graph.node('Concat', inputs, node.name, { axis: 1 });
  },
  scale: ({ node, inputs, graph, net }) => {
    const [factor, bias] = blobsOf(net, node, node.params.biasTerm ? 2 : 1);
    const c = factor!.data.length;
    const scale = graph.floats(`${node.name}.scale`, [c, 1, 1], factor!.data);
    if (!node.params.biasTerm) {
      graph.node('Mul', [inputs[0]!, scale], node.name);
      return;
    }
    const y = graph.node('Mul', [inputs[0]!, scale], graph.fresh(`${node.name}.scaled`));
    graph.node('Add', [y, graph.floats(`${node.name}.bias`, [c, 1, 1], bias!.data)], node.name);
  },
  softmax: ({ node, inputs, graph }) => {
    graph.node('Softmax', inputs, node.name, { axis: 1 });
  },
  softmax_loss: () => {
    // Training only: the exported graph is the inference graph.
  },
  argmax: ({ node, inputs, graph }) => {
    const index = graph.node('ArgMax', inputs, graph.fresh(`${node.name}.index`), { axis: 1, keepdims: 1 });
    // As Caffe's ArgMax and fcn's, the label map is float.
    graph.node('Cast', [index], node.name, { to: 1 });
  },
  fc: ({ node, inputs, graph, net }) => {
    const p = node.params;
    const [weight, bias] = blobsOf(net, node, p.biasTerm ? 2 : 1);
    const flat = graph.node('Flatten', inputs, graph.fresh(`${node.name}.flat`), { axis: 1 });
    const args = [flat, graph.floats(`${node.name}.weight`, weight!.shape, weight!.data)];
    if (p.biasTerm) args.push(graph.floats(`${node.name}.bias`, bias!.shape, bias!.data));
    const y = graph.node('Gemm', args, graph.fresh(`${node.name}.gemm`), { transB: 1 });
    graph.node('Reshape', [y, graph.ints(`${node.name}.shape`, [0, p.out, 1, 1])], node.name);
  },
  batch_norm: ({ node, inputs, graph, net }) => {
    const { mean, variance } = batchNormStats(net, node);
    const c = mean.length;
    graph.node(
      'BatchNormalization',
      [
        inputs[0]!,
        graph.floats(`${node.name}.gamma`, [c], new Float32Array(c).fill(1)),
        graph.floats(`${node.name}.beta`, [c], new Float32Array(c)),
        graph.floats(`${node.name}.mean`, [c], mean),
        graph.floats(`${node.name}.var`, [c], variance),
      ],
      node.name,
      { epsilon: { float: node.params.eps } },
    );
  },
  eltwise: ({ node, inputs, graph }) => {
    const p = node.params;
    if (p.operation === 'sum') weightedSum(graph, node.name, inputs, p.coeff);
    else if (inputs.length === 1) graph.node('Identity', inputs, node.name);
    else if (p.operation === 'max') graph.node('Max', inputs, node.name);
    else {
      // Mul is binary: a chain, the last product named as the layer.
      let y = inputs[0]!;
      inputs.slice(1).forEach((x, i) => {
        y = graph.node('Mul', [y, x], i === inputs.length - 2 ? node.name : graph.fresh(`${node.name}.prod${i + 1}`));
      });
    }
  },
  interp: ({ node, inputs, graph }) => {
    const z = node.params.factor;
    const nc = dims(graph, node.name, inputs[0]!, 0, 2, 'nc');
    // By a factor z: out = z·(in − 1) + 1, computed at run time so one graph serves every size.
    const hw =
      z === undefined
        ? dims(graph, node.name, inputs[1]!, 2, 4, 'like_hw')
        : graph.node(
            'Add',
            [
              graph.node(
                'Mul',
                [dims(graph, node.name, inputs[0]!, 2, 4, 'hw'), graph.ints(`${node.name}.factor`, [z])],
                graph.fresh(`${node.name}.zoomed`),
              ),
              graph.ints(`${node.name}.one_minus_factor`, [1 - z]),
            ],
            graph.fresh(`${node.name}.out_hw`),
          );
    const sizes = graph.node('Concat', [nc, hw], graph.fresh(`${node.name}.sizes`), { axis: 0 });
    graph.node(
      'Resize',
      [inputs[0]!, '', '', sizes],
      node.name,
      { mode: 'linear', coordinate_transformation_mode: 'align_corners' },
      "Caffe's Interp: bilinear with the corners aligned",
    );
  },
  prelu: ({ node, inputs, graph, net }) => {
    const [slope] = blobsOf(net, node, 1);
    const c = slope!.data.length;
    const shape = node.params.shared ? [1] : [c, 1, 1];
    graph.node('PRelu', [inputs[0]!, graph.floats(`${node.name}.slope`, shape, slope!.data)], node.name);
  },
  sigmoid: ({ node, inputs, graph }) => {
    graph.node('Sigmoid', inputs, node.name);
  },
  tanh: ({ node, inputs, graph }) => {
    graph.node('Tanh', inputs, node.name);
  },
};
