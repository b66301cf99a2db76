/**
 * A small builder of ONNX graphs: nodes with typed attributes, float and int64 initialisers,
 * inputs and outputs with symbolic or fixed dimensions. Blob names are the .fcn names
 * (`vgg.conv1_1`), which ONNX takes as they are; helper values get the layer's name and a
 * suffix (`upscore2.weight`, `score.ends`).
 */
import { AttributeType, DataType } from './schema.js';

export type Attribute =
  | { name: string; type: typeof AttributeType.FLOAT; f: number }
  | { name: string; type: typeof AttributeType.INT; i: number }
  | { name: string; type: typeof AttributeType.STRING; s: Uint8Array }
  | { name: string; type: typeof AttributeType.INTS; ints: number[] }
  | { name: string; type: typeof AttributeType.FLOATS; floats: number[] };

/** Attribute values as the helpers take them: an integer, a float (marked), a list of integers, or a string. */
export type AttrValue = number | number[] | { float: number } | string;

interface NodeRecord {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: Attribute[];
  doc_string?: string;
}

interface TensorRecord {
  name: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
  int64_data?: number[];
}

/** A dimension of a graph input or output: fixed, or named (dynamic). */
export type Dim = number | string;

interface ValueRecord {
  name: string;
  type: { tensor_type: { elem_type: number; shape?: { dim: Array<{ dim_value: number } | { dim_param: string }> } } };
  doc_string?: string;
}

export class GraphBuilder {
  readonly nodes: NodeRecord[] = [];
  readonly initializers: TensorRecord[] = [];
  readonly inputs: ValueRecord[] = [];
  readonly outputs: ValueRecord[] = [];
  private readonly names = new Set<string>();

  /** A value name not used yet, from `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node; returns its (first) output name. */
  node(op: string, inputs: string[], output: string, attrs: Record<string, AttrValue> = {}, doc?: string): string {
    const attribute = Object.entries(attrs).map(([name, v]): Attribute => {
      if (typeof v === 'number') return { name, type: AttributeType.INT, i: v };
      if (Array.isArray(v)) return { name, type: AttributeType.INTS, ints: v };
      if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
      return { name, type: AttributeType.FLOAT, f: v.float };
    });
    this.names.add(output);
    this.nodes.push({
      name: output,
      op_type: op,
      input: inputs,
      output: [output],
      attribute,
      ...(doc ? { doc_string: doc } : {}),
    });
    return output;
  }

  /** A float32 initialiser. */
  floats(base: string, dims: number[], data: Float32Array): string {
    const name = this.fresh(base);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims, data_type: DataType.FLOAT, raw_data: bytes });
    return name;
  }

  /** An int64 initialiser (a 1-D list of integers, as Slice and Reshape take). */
  ints(base: string, values: number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [values.length], data_type: DataType.INT64, int64_data: values });
    return name;
  }

  private value(name: string, elem: number, dims: Dim[] | undefined, doc?: string): ValueRecord {
    const shape = dims && {
      dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })),
    };
    return {
      name,
      type: { tensor_type: { elem_type: elem, ...(shape ? { shape } : {}) } },
      ...(doc ? { doc_string: doc } : {}),
    };
  }

  /** Declares a float32 graph input. */
  input(name: string, dims: Dim[], doc?: string): void {
    this.names.add(name);
    this.inputs.push(this.value(name, DataType.FLOAT, dims, doc));
  }

  /** Declares a float32 graph output (its shape left to the runtime's inference when not given). */
  output(name: string, dims?: Dim[]): void {
    this.outputs.push(this.value(name, DataType.FLOAT, dims));
  }
}
