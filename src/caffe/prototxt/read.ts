/**
 * Reads a prototxt tree against a message type of the schema (src/caffe/proto/schema.ts),
 * as protobuf's own text parser would: every field must exist in the message, hold a value
 * of its kind, and appear once unless repeated. Mistakes become located diagnostics with
 * "did you mean"; the result answers typed questions with the schema's defaults.
 */
import protobuf from 'protobufjs';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { TextMessage, TextValue } from './ast.js';

export type Scalar = number | string | boolean;

export interface FieldValue {
  value: Scalar | Fields;
  span: Span;
  nameSpan: Span;
}

const INTEGER = new Set([
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
]);
const FLOAT = new Set(['float', 'double']);
const BOOLEAN: Record<string, boolean> = { true: true, True: true, t: true, false: false, False: false, f: false };

/** A message read from text: its fields by name, in source order, with spans. */
export class Fields {
  constructor(
    readonly type: protobuf.Type,
    readonly span: Span,
    private readonly entries: ReadonlyMap<string, FieldValue[]>,
  ) {}

  /** Whether the text sets the field. */
  has(name: string): boolean {
    return (this.entries.get(name)?.length ?? 0) > 0;
  }

  /** The field's first value, or the schema's default (enum values by name). */
  get<T extends Scalar>(name: string): T {
    const first = this.entries.get(name)?.[0];
    if (first) return first.value as T;
    const field = this.type.fields[name];
    if (!field) throw new Error(`${this.type.name} has no field ${name}`);
    if (field.resolvedType instanceof protobuf.Enum)
      return field.resolvedType.valuesById[field.defaultValue as number] as T;
    return field.defaultValue as T;
  }

  /** Every value of a repeated field. */
  all<T extends Scalar>(name: string): T[] {
    return (this.entries.get(name) ?? []).map((v) => v.value as T);
  }

  /** A sub-message, if the text gives it. */
  message(name: string): Fields | undefined {
    return this.entries.get(name)?.[0]?.value as Fields | undefined;
  }

  /** Every value of a repeated message field. */
  messages(name: string): Fields[] {
    return this.all(name as never) as unknown as Fields[];
  }

  /** Where the field (its first occurrence) is written. */
  at(name: string): FieldValue | undefined {
    return this.entries.get(name)?.[0];
  }

  /** Every occurrence of a repeated field, with spans. */
  each(name: string): readonly FieldValue[] {
    return this.entries.get(name) ?? [];
  }
}

/** Reads `message` as a `type`; `where` names it in messages (`convolution_param`). */
export function readMessage(
  message: TextMessage,
  type: protobuf.Type,
  where: string,
  diagnostics: Diagnostic[],
): Fields {
  const entries = new Map<string, FieldValue[]>();
  if (type.name === 'Opaque') return new Fields(type, message.span, entries);
  for (const f of message.fields) {
    const field = type.fields[f.name];
    if (!field) {
      const help = didYouMean(f.name, Object.keys(type.fields));
      diagnostics.push(error('unknown-field', `${where} has no field '${f.name}'`, f.nameSpan, help ? { help } : {}));
      continue;
    }
    const list = entries.get(f.name) ?? [];
    if (list.length && !field.repeated) {
      diagnostics.push(
        error('duplicate-field', `'${f.name}' is given twice in ${where}, and it is not a repeated field`, f.nameSpan, {
          notes: [{ message: 'first given here', span: list[0]!.nameSpan }],
        }),
      );
      continue;
    }
    const value = readValue(f.value, field, f.name, diagnostics);
    if (value === undefined) continue;
    list.push({ value, span: f.value.span, nameSpan: f.nameSpan });
    entries.set(f.name, list);
  }
  return new Fields(type, message.span, entries);
}

function readValue(
  v: TextValue,
  field: protobuf.Field,
  name: string,
  diagnostics: Diagnostic[],
): Scalar | Fields | undefined {
  const fail = (what: string): undefined => {
    const found = v.kind === 'message' ? 'a message' : v.kind === 'string' ? `"${v.value}"` : String(v.value);
    diagnostics.push(error('invalid-value', `'${name}' takes ${what}, found ${found}`, v.span));
    return undefined;
  };
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    if (v.kind !== 'message') return fail(`a message in braces ({ … })`);
    return readMessage(v.message, resolved, name, diagnostics);
  }
  if (resolved instanceof protobuf.Enum) {
    const names = Object.keys(resolved.values);
    if (v.kind === 'identifier' && names.includes(v.value)) return v.value;
    if (v.kind === 'number' && Number.isInteger(v.value) && resolved.valuesById[v.value] !== undefined)
      return resolved.valuesById[v.value]!;
    const help = v.kind === 'identifier' || v.kind === 'string' ? didYouMean(String(v.value), names) : undefined;
    const d = fail(`one of ${names.join(', ')}`);
    if (help) diagnostics.at(-1)!.help = help;
    return d;
  }
  if (field.type === 'string' || field.type === 'bytes')
    return v.kind === 'string' ? v.value : fail('a string in quotes');
  if (field.type === 'bool') {
    if (v.kind === 'identifier' && v.value in BOOLEAN) return BOOLEAN[v.value];
    if (v.kind === 'number' && (v.value === 0 || v.value === 1)) return v.value === 1;
    return fail('true or false');
  }
  if (INTEGER.has(field.type)) {
    if (v.kind !== 'number' || !Number.isInteger(v.value)) return fail('an integer');
    if (field.type.startsWith('u') && v.value < 0) return fail('a non-negative integer');
    return v.value;
  }
  if (FLOAT.has(field.type)) return v.kind === 'number' ? v.value : fail('a number');
  throw new Error(`readValue: unhandled field type ${field.type}`);
}
