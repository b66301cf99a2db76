/**
 * Binding an instance to its block: the instance body's keys become arguments (checked
 * against the parameters, defaults filled in), `bottom`, or overrides (dotted keys); its
 * inputs are bound to the block's `input` ports in order, or to the previous item.
 */
import type { Span } from '../../diagnostics/span.js';
import { closest } from '../../diagnostics/suggest.js';
import { nameText, type InputNode } from '../../parser/ast.js';
import { evaluate } from './evaluate.js';
import { lookup, type Frame } from './frame.js';
import type { Definition } from './loader.js';
import type { PathEntry } from './params.js';
import type { Reporter } from './report.js';
import { describeValue, type Value } from './values.js';

/** Splits an instance body into arguments (with defaults), `bottom`, and overrides (dotted keys). */
export function bindArguments(entries: PathEntry[], def: Definition, at: Span, r: Reporter) {
  const callee = def.node.name.name;
  const declared = def.node.params.map((p) => p.name.name);
  const given = new Map<string, PathEntry>();
  const overrides: PathEntry[] = [];
  let bottom: PathEntry | undefined;
  /** Parameters suggested for misspelt keys: not also reported as missing. */
  const suggested = new Set<string>();
  const declaredNote = { message: `'${callee}' is declared here`, span: def.node.name.span };
  for (const e of entries) {
    const key = e.path[0]!;
    if (e.path.length > 1) {
      overrides.push(e);
      continue;
    }
    if (key.name !== 'bottom' && !declared.includes(key.name)) {
      const suggestion = closest(key.name, [...declared, 'bottom']);
      if (suggestion) suggested.add(suggestion);
      r.error('unknown-block-param', `'${callee}' has no parameter '${key.name}'`, key.span, {
        ...(suggestion ? { help: `did you mean '${suggestion}'?` } : {}),
        notes: [declaredNote],
      });
      continue;
    }
    const first = key.name === 'bottom' ? bottom : given.get(key.name);
    if (first) {
      r.error('duplicate-parameter', `'${key.name}' is given twice`, key.span, {
        notes: [{ message: 'first given here', span: first.path[0]!.span }],
      });
      continue;
    }
    if (e.section) {
      r.error('type-mismatch', `'${key.name}' takes a value, not a section: write ${key.name}: …`, key.span);
      continue;
    }
    if (key.name === 'bottom') bottom = e;
    else given.set(key.name, e);
  }
  const env = new Map<string, Value>();
  let ok = true;
  for (const p of def.node.params) {
    const arg = given.get(p.name.name);
    if (arg) {
      if (arg.value) env.set(p.name.name, arg.value);
      else ok = false;
    } else if (p.default) {
      const v = evaluate(p.default, env, r);
      if (v) env.set(p.name.name, v);
      else ok = false;
    } else if (suggested.has(p.name.name)) {
      ok = false;
    } else {
      r.error('missing-block-arg', `missing argument '${p.name.name}' for '${callee}'`, at, {
        notes: [declaredNote],
      });
      ok = false;
    }
  }
  return { env: ok ? env : undefined, bottom, overrides };
}

/** Binds the instance's inputs to the block's ports: `bottom:` positionally, else the previous item. */
export function bindPorts(bottom: PathEntry | undefined, def: Definition, frame: Frame, at: Span, r: Reporter) {
  const callee = def.node.name.name;
  const declared = def.node.items.filter((i): i is InputNode => i.kind === 'Input');
  const implicit = declared.length === 0;
  const expected = implicit ? 1 : declared.length;
  let bound: (string | undefined)[];
  if (bottom) {
    if (!bottom.value) return undefined;
    const items = bottom.value.kind === 'list' ? bottom.value.items : [bottom.value];
    bound = [];
    for (const v of items) {
      if (v.kind === 'unknown') {
        bound.push('');
        continue;
      }
      if (v.kind !== 'word') {
        r.error('type-mismatch', `'bottom' of an instance expects blob names, found ${describeValue(v)}`, v.span);
        return undefined;
      }
      bound.push(lookup(frame, v));
    }
  } else if (expected === 1) {
    if (frame.prev === undefined) {
      r.error('missing-bottom', `'${callee}' has no input: give it a 'bottom', or put it after another layer`, at);
      return undefined;
    }
    bound = [frame.prev];
  } else {
    bound = [];
  }
  if (bound.length !== expected) {
    const names = implicit ? '' : ` (${declared.map((d) => nameText(d.name)).join(', ')})`;
    const span = bottom?.value?.span ?? at;
    r.error(
      'wrong-input-count',
      `'${callee}' takes ${expected} input${expected === 1 ? '' : 's'}${names}, found ${bound.length}`,
      span,
      {
        ...(bottom ? {} : { help: `give them in order: bottom: [${declared.map(() => '…').join(', ')}]` }),
      },
    );
    return undefined;
  }
  return { bound, implicit };
}
