/**
 * The part of ONNX's `onnx.proto` that the exporter writes, as a protobufjs JSON descriptor
 * with ONNX's field numbers (onnx/onnx.proto, IR version 7). protobufjs encodes; nothing is
 * written by hand. Fields fcn never sets are left out: a reader skips nothing it needs.
 */
import protobuf from 'protobufjs';

const opt = (type: string, id: number) => ({ type, id });
const rep = (type: string, id: number) => ({ type, id, rule: 'repeated' as const });
const packed = (type: string, id: number) => ({ type, id, rule: 'repeated' as const, options: { packed: true } });

/** TensorProto.DataType values fcn writes. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** AttributeProto.AttributeType values fcn writes. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

/** ONNX's IR version that goes with opset 13. */
export const IR_VERSION = 7;

/** The default-domain operator set the exported graphs use. */
export const OPSET = 13;

const descriptor = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: opt('string', 1),
            type: opt('int32', 20),
            f: opt('float', 2),
            i: opt('int64', 3),
            s: opt('bytes', 4),
            floats: packed('float', 7),
            ints: packed('int64', 8),
          },
        },
        ValueInfoProto: { fields: { name: opt('string', 1), type: opt('TypeProto', 2), doc_string: opt('string', 3) } },
        NodeProto: {
          fields: {
            input: rep('string', 1),
            output: rep('string', 2),
            name: opt('string', 3),
            op_type: opt('string', 4),
            domain: opt('string', 7),
            attribute: rep('AttributeProto', 5),
            doc_string: opt('string', 6),
          },
        },
        ModelProto: {
          fields: {
            ir_version: opt('int64', 1),
            opset_import: rep('OperatorSetIdProto', 8),
            producer_name: opt('string', 2),
            producer_version: opt('string', 3),
            doc_string: opt('string', 6),
            graph: opt('GraphProto', 7),
            metadata_props: rep('StringStringEntryProto', 14),
          },
        },
        StringStringEntryProto: { fields: { key: opt('string', 1), value: opt('string', 2) } },
        GraphProto: {
          fields: {
            node: rep('NodeProto', 1),
            name: opt('string', 2),
            initializer: rep('TensorProto', 5),
            doc_string: opt('string', 10),
            input: rep('ValueInfoProto', 11),
            output: rep('ValueInfoProto', 12),
          },
        },
        TensorProto: {
          fields: {
            dims: rep('int64', 1),
            data_type: opt('int32', 2),
            int64_data: packed('int64', 7),
            name: opt('string', 8),
            raw_data: opt('bytes', 9),
          },
        },
        TensorShapeProto: {
          fields: { dim: rep('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: opt('int64', 1), dim_param: opt('string', 2) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: { tensor_type: opt('Tensor', 1) },
          nested: { Tensor: { fields: { elem_type: opt('int32', 1), shape: opt('TensorShapeProto', 2) } } },
        },
        OperatorSetIdProto: { fields: { domain: opt('string', 1), version: opt('int64', 2) } },
      },
    },
  },
};

/** ONNX's ModelProto, to encode and decode. */
export const ModelProto = protobuf.Root.fromJSON(descriptor).lookupType('onnx.ModelProto');
