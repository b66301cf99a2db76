/**
 * IR → an ONNX model (opset 13): the inference graph of the net, NCHW, fed the raw input that
 * `fcn predict` takes from a .npy file (the mean and channel order are the caller's, as for
 * fcn's own models; they are recorded in the metadata). Outputs are the model's outputs in
 * fcn's order (every blob a loss reads, then every blob nothing reads), so output 0 is what
 * `fcn predict` scores. Height and width are symbolic unless the input has a fixed size.
 */
import type { LayerType } from '../../compiler/layers/types.js';
import { imageInputs, inferenceLayers, type ExportNet, type NodeOf } from '../net.js';
import { GraphBuilder, type Dim } from './graph.js';
import { ONNX_LAYERS, type OnnxLayerContext } from './layers.js';
import { IR_VERSION, ModelProto, OPSET } from './schema.js';

/** The value `producer_name` of every model fcn writes: how an existing file is known to be fcn's. */
export const ONNX_PRODUCER = 'fcn';

function translate<T extends LayerType>(node: NodeOf<T>, c: Omit<OnnxLayerContext<T>, 'node'>): void {
  (ONNX_LAYERS[node.op as T] as (c: OnnxLayerContext<T>) => void)({ ...c, node });
}

/** The ONNX graph of `net`, as ModelProto's plain object. */
export function onnxModel(net: ExportNet, version: string): Record<string, unknown> {
  const { ir, info } = net;
  const graph = new GraphBuilder();
  for (const node of imageInputs(ir)) {
    const spec = info.inputs.find((i) => i.name === node.name);
    const size = spec?.size;
    const dims: Dim[] = ['batch', node.input.channels, size?.[0] ?? 'height', size?.[1] ?? 'width'];
    graph.input(
      node.name,
      dims,
      `raw NCHW float32; fcn subtracts mean ${JSON.stringify(spec?.mean ?? [])} in ${spec?.order ?? 'rgb'} order before`,
    );
  }
  for (const layer of inferenceLayers(ir)) {
    translate(layer, { inputs: layer.inputs.map((i) => ir.nodes[i]!.name), graph, net });
  }
  for (const name of info.outputs) graph.output(name);
  const meta: Record<string, string> = {
    'fcn.net': info.net,
    'fcn.weights': net.from,
    'fcn.inputs': JSON.stringify(info.inputs),
    'fcn.outputs': JSON.stringify(info.outputs),
    'fcn.crops': JSON.stringify(info.crops),
  };
  return {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: ONNX_PRODUCER,
    producer_version: version,
    doc_string: `net ${info.net}, exported by fcn from ${net.from}`,
    graph: {
      name: info.net,
      node: graph.nodes,
      initializer: graph.initializers,
      input: graph.inputs,
      output: graph.outputs,
    },
    metadata_props: Object.entries(meta).map(([key, value]) => ({ key, value })),
  };
}

/** The ONNX file's bytes. */
export function encodeOnnx(net: ExportNet, version: string): Uint8Array {
  const model = onnxModel(net, version);
  const err = ModelProto.verify(model);
  if (err) throw new Error(`the ONNX model does not fit the schema: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** Whether `bytes` are an ONNX model that fcn wrote (so that exporting again may replace it). */
export function isFcnOnnx(bytes: Uint8Array): boolean {
  try {
    const m = ModelProto.decode(bytes) as unknown as { producer_name?: string };
    return m.producer_name === ONNX_PRODUCER;
  } catch {
    return false;
  }
}
