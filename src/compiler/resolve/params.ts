/**
 * Bodies as parameter lists: evaluation of `{ key: value … }` and checking it against the
 * catalogue in ../layers/schema.ts (unknown and repeated keys, value kinds, ranges, enums,
 * initialisers, required parameters), with "did you mean" for misspelt keys and words.
 */
import type { Span } from '../../diagnostics/span.js';
import { closest, didYouMean } from '../../diagnostics/suggest.js';
import type { BodyNode } from '../../parser/ast.js';
import { INIT_NAMES, type CheckedParams, type ParamDef, type ValueKind } from '../layers/schema.js';
import type { Init, Pair } from '../layers/types.js';
import { evaluate, type Env } from './evaluate.js';
import type { Reporter } from './report.js';
import { describeValue, formatNumber, isUnknown, wordOf, type Value } from './values.js';

/** One key of a body, evaluated. `value` is missing when the section form was used or evaluation failed. */
export interface ParamEntry {
  key: string;
  keySpan: Span;
  span: Span;
  value?: Value;
  section?: ParamEntry[];
  /** The value could not be evaluated (already reported): take the key as given, check nothing. */
  failed?: boolean;
}

/** A body entry with its full key path (`conv1_1.pad`), as an instance body needs them. */
export interface PathEntry {
  path: { name: string; span: Span }[];
  span: Span;
  value?: Value;
  section?: ParamEntry[];
  failed?: boolean;
}

/** Evaluates every entry of a body, keeping dotted keys as paths. */
export function evaluateBody(body: BodyNode | undefined, env: Env, r: Reporter): PathEntry[] {
  return (body?.entries ?? []).map((e): PathEntry => {
    if (e.kind === 'Section') {
      return {
        path: [{ name: e.key.name, span: e.key.span }],
        span: e.span,
        section: toParamEntries(evaluateBody(e.body, env, r)),
      };
    }
    const value = evaluate(e.value, env, r);
    return {
      path: e.key.map((k) => ({ name: k.name, span: k.span })),
      span: e.span,
      ...(value ? { value } : { failed: true }),
    };
  });
}

/** Dotted keys as nested sections: `weight.lr: 0` is `weight { lr: 0 }`. */
export function toParamEntries(entries: readonly PathEntry[]): ParamEntry[] {
  return entries.map((e) => nestFrom(e, 0));
}

/** The key path of an entry from segment `i` on, as a (possibly nested) parameter entry. */
export function nestFrom(e: PathEntry, i: number): ParamEntry {
  const k = e.path[i]!;
  if (i < e.path.length - 1) return { key: k.name, keySpan: k.span, span: e.span, section: [nestFrom(e, i + 1)] };
  return { key: k.name, keySpan: k.span, span: e.span, value: e.value, section: e.section, failed: e.failed };
}

export interface CheckContext {
  r: Reporter;
  /** Whose keys these are, for messages: "for conv layer 'c'", "in 'weight'", "for the solver". */
  owner: string;
  /** Where a missing parameter is reported. */
  span: Span;
  /** Fill defaults in (sections hold only what was given, so the layer-level shorthands can apply). */
  fillDefaults: boolean;
}

/** Evaluates a body and checks it against parameter definitions. */
export function checkBody(
  body: BodyNode | undefined,
  env: Env,
  defs: readonly ParamDef[],
  ctx: CheckContext,
): CheckedParams {
  return checkParams(toParamEntries(evaluateBody(body, env, ctx.r)), defs, ctx);
}

/** Checks entries against parameter definitions; returns the valid values (plus defaults). */
export function checkParams(
  entries: readonly ParamEntry[],
  defs: readonly ParamDef[],
  ctx: CheckContext,
): CheckedParams {
  const out: CheckedParams = new Map();
  const given = new Map<string, ParamEntry>();
  /** Parameters suggested for misspelt keys: not also reported as missing. */
  const suggested = new Set<string>();
  for (const e of entries) {
    const def = defs.find((d) => d.name === e.key);
    if (!def) {
      const suggestion = closest(
        e.key,
        defs.map((d) => d.name),
      );
      if (suggestion) suggested.add(suggestion);
      ctx.r.error(
        'unknown-parameter',
        `unknown parameter '${e.key}' ${ctx.owner}`,
        e.keySpan,
        suggestion ? { help: `did you mean '${suggestion}'?` } : {},
      );
      continue;
    }
    const first = given.get(e.key);
    if (first) {
      ctx.r.error('duplicate-parameter', `'${e.key}' is given twice`, e.keySpan, {
        notes: [{ message: 'first given here', span: first.keySpan }],
      });
      continue;
    }
    given.set(e.key, e);
    if (e.failed) continue;
    const v = checkValue(e, def, ctx);
    if (v !== undefined) out.set(def.name, v);
  }
  for (const def of defs) {
    if (given.has(def.name)) continue;
    if (def.required && !suggested.has(def.name))
      ctx.r.error('missing-parameter', `missing parameter '${def.name}' ${ctx.owner}`, ctx.span);
    else if (ctx.fillDefaults && def.default !== undefined) out.set(def.name, def.default);
  }
  return out;
}

function checkValue(e: ParamEntry, def: ParamDef, ctx: CheckContext): unknown {
  const k = def.kind;
  const r = ctx.r;
  if (k.kind === 'section' || (k.kind === 'boolOrSection' && e.section)) {
    if (!e.section) {
      r.error('type-mismatch', `'${e.key}' is a section: write ${e.key} { … }`, e.value?.span ?? e.span);
      return undefined;
    }
    return checkParams(e.section, k.params, { r, owner: `in '${e.key}'`, span: e.keySpan, fillDefaults: false });
  }
  if (e.section || !e.value) {
    r.error('type-mismatch', `'${e.key}' takes a value, not a section: write ${e.key}: …`, e.keySpan);
    return undefined;
  }
  return checkKind(e.value, k, e.key, r);
}

/** Checks one value against a kind; undefined after reporting. */
export function checkKind(v: Value, k: ValueKind, key: string, r: Reporter): unknown {
  if (isUnknown(v)) return undefined;
  const mismatch = (expected: string) => {
    const help = v.kind === 'string' && k.kind === 'enum' ? `write ${v.value} without quotes` : undefined;
    r.error('type-mismatch', `'${key}' expects ${expected}, found ${describeValue(v)}`, v.span, help ? { help } : {});
    return undefined;
  };
  switch (k.kind) {
    case 'int':
      if (v.kind !== 'number' || !Number.isInteger(v.value)) return mismatch('an integer');
      return inRange(v, k, key, r);
    case 'number':
      if (v.kind !== 'number') return mismatch('a number');
      return inRange(v, k, key, r);
    case 'pair': {
      const items = v.kind === 'list' ? v.items : [v, v];
      if (items.length !== 2 || items.some((i) => i.kind !== 'number' || !Number.isInteger(i.value))) {
        return mismatch('an integer or an [h, w] pair of integers');
      }
      const pair = items.map((i) => inRange(i as Value & { kind: 'number' }, { kind: 'int', min: k.min }, key, r));
      return pair.every((p) => p !== undefined) ? (pair as Pair) : undefined;
    }
    case 'bool':
      return v.kind === 'bool' ? v.value : mismatch('true or false');
    case 'enum': {
      const word = wordOf(v);
      if (word === undefined) return mismatch(oneOf(k.values));
      if (k.values.includes(word)) return word;
      const help = didYouMean(word, k.values);
      r.error(
        'invalid-enum-value',
        `'${key}' must be ${oneOf(k.values)}, found '${word}'`,
        v.span,
        help ? { help } : {},
      );
      return undefined;
    }
    case 'init':
      return checkInit(v, key, r);
    case 'numbers': {
      const items = v.kind === 'list' ? v.items : [v];
      if (items.some((i) => i.kind !== 'number')) return mismatch('a number or a list of numbers');
      return items.map((i) => (i as { value: number }).value);
    }
    case 'blob':
    case 'blobs':
      return v;
    case 'section':
    case 'boolOrSection':
      return v.kind === 'bool' ? v.value : mismatch(`true, false or a section ${key} { … }`);
  }
}

function oneOf(values: readonly string[]): string {
  return values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
}

function inRange(
  v: Value & { kind: 'number' },
  k: ValueKind & { kind: 'int' | 'number' },
  key: string,
  r: Reporter,
): number | undefined {
  const n = v.value;
  const fail = (rule: string) => {
    r.error('value-out-of-range', `'${key}' must be ${rule}, found ${formatNumber(n)}`, v.span);
    return undefined;
  };
  if (k.min !== undefined && n < k.min) return fail(k.min === 0 ? 'non-negative' : `at least ${k.min}`);
  if (k.kind === 'number') {
    if (k.max !== undefined && n > k.max) return fail(`at most ${k.max}`);
    if (k.above !== undefined && n <= k.above) return fail(k.above === 0 ? 'positive' : `greater than ${k.above}`);
    if (k.below !== undefined && n >= k.below) return fail(`less than ${k.below}`);
  }
  if (k.kind === 'int' && k.odd && n % 2 === 0) return fail('odd');
  return n;
}

const INIT_ARITY: Record<(typeof INIT_NAMES)[number], [number, number]> = {
  gaussian: [1, 2],
  xavier: [0, 0],
  msra: [0, 0],
  constant: [0, 1],
  bilinear: [0, 0],
};

function checkInit(v: Value, key: string, r: Reporter): Init | undefined {
  const name = v.kind === 'call' ? v.callee : wordOf(v);
  const args = v.kind === 'call' ? v.args : [];
  if (name === undefined) {
    r.error(
      'type-mismatch',
      `'${key}' expects an initialiser (${INIT_NAMES.join(', ')}), found ${describeValue(v)}`,
      v.span,
    );
    return undefined;
  }
  if (!(INIT_NAMES as readonly string[]).includes(name)) {
    const suggestion = closest(name, INIT_NAMES);
    r.error('invalid-enum-value', `unknown initialiser '${name}': expected one of ${INIT_NAMES.join(', ')}`, v.span, {
      ...(suggestion ? { help: `did you mean '${suggestion}'?` } : {}),
    });
    return undefined;
  }
  const init = name as (typeof INIT_NAMES)[number];
  const [min, max] = INIT_ARITY[init];
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} or ${max}`;
    r.error(
      'wrong-arg-count',
      `'${init}' takes ${expected} argument${max === 1 ? '' : 's'}, found ${args.length}`,
      v.span,
      {
        ...(init === 'gaussian' ? { help: 'write gaussian(std) or gaussian(std, mean), e.g. gaussian(0.01)' } : {}),
      },
    );
    return undefined;
  }
  const nums = args.map((a) => checkKind(a, { kind: 'number' }, key, r) as number | undefined);
  if (nums.some((n) => n === undefined)) return undefined;
  switch (init) {
    case 'gaussian':
      if (nums[0]! <= 0) {
        r.error(
          'value-out-of-range',
          `the standard deviation of 'gaussian' must be positive, found ${formatNumber(nums[0]!)}`,
          args[0]!.span,
        );
        return undefined;
      }
      return { kind: 'gaussian', std: nums[0]!, mean: nums[1] ?? 0 };
    case 'constant':
      return { kind: 'constant', value: nums[0] ?? 0 };
    default:
      return { kind: init };
  }
}
