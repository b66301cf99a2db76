/**
 * The prototxt tree: protobuf text format without a schema. A message is a list of fields in
 * source order; a list value (`dim: [1, 3]`) is already spread into one field per element,
 * as protobuf reads it. Every node keeps its span, so later checks point at the text.
 */
import type { Span } from '../../diagnostics/span.js';

/** A message body: `name: value` and `name { … }` fields. */
export interface TextMessage {
  fields: TextField[];
  span: Span;
}

export interface TextField {
  name: string;
  nameSpan: Span;
  value: TextValue;
  /** The whole field, name to value. */
  span: Span;
}

export type TextValue =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: number; raw: string; span: Span }
  /** An enum value or a bare word (`MAX`, `TRAIN`, `true`, `inf`). */
  | { kind: 'identifier'; value: string; span: Span }
  | { kind: 'message'; message: TextMessage; span: Span };
