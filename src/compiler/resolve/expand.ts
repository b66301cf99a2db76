/**
 * Expands a net into its resolved layers: items in order, `repeat` unrolled, blocks and nets
 * instantiated (arguments, defaults, ports, overrides), names made absolute. A named
 * instance's layers are prefixed (`vgg.conv1_1`) and stay addressable from outside; an
 * anonymous one's are inlined. The instance's own name is its last blob.
 */
import type { Span } from '../../diagnostics/span.js';
import { closest, didYouMean } from '../../diagnostics/suggest.js';
import type { InputNode, ItemNode, LayerNode, RepeatNode, SolverNode, UseNode } from '../../parser/ast.js';
import { INPUT_PARAMS, LAYER_SCHEMAS, layerSchema, SOLVER_PARAMS, solverKey } from '../layers/schema.js';
import type { Pair } from '../layers/types.js';
import { builtinLayer, layerHeader, type Sink } from './builtin.js';
import { evaluate, expandName, type Env } from './evaluate.js';
import { absolute, define, finishFrame, standIn, type Frame } from './frame.js';
import { bindArguments, bindPorts } from './instance.js';
import type { Ambiguous, Definition } from './loader.js';
import { overrideSet, reportUnusedOverrides } from './overrides.js';
import { checkBody, evaluateBody } from './params.js';
import type { Reporter } from './report.js';
import type { ResolvedInput, ResolvedLayer, ResolvedNet, SolverSettings } from './types.js';
import { describeValue, formatNumber, type Value } from './values.js';

/** Limits that keep a runaway `repeat` or deep nesting from hanging the checker. */
export const LIMITS = { layers: 20000, repeat: 1000, depth: 32 };

const ITEM_KEYWORDS = ['input', 'solver', 'repeat'];

export class Expander implements Sink {
  readonly layers: ResolvedLayer[] = [];
  private readonly inputs: ResolvedInput[] = [];
  private readonly solver: SolverSettings = {};
  private solverSpan: Span | undefined;
  /** Definitions being expanded, outermost first: instantiating one of them again is recursion. */
  private readonly active: Definition[] = [];
  private stopped = false;
  /** Stand-ins for the names that did not resolve, by blob name (see `standIn`). */
  readonly standIns = new Map<string, Span>();

  /** `expanded` collects every definition expanded, so that `checkFile` can tell which blocks no net uses. */
  constructor(
    readonly r: Reporter,
    private readonly expanded = new Set<Definition>(),
  ) {}

  /** Expands `def` as the root net. */
  net(def: Definition, fileName: string): ResolvedNet {
    const env = new Map<string, Value>();
    for (const p of def.node.params) {
      if (!p.default) {
        this.r.error(
          'missing-block-arg',
          `net '${def.node.name.name}' is built as the root net, so its parameter '${p.name.name}' needs a default`,
          p.span,
        );
        continue;
      }
      const v = evaluate(p.default, env, this.r);
      if (v) env.set(p.name.name, v);
    }
    const frame = this.frame(def, [], env, [], [], true);
    this.expand(def, frame);
    return {
      name: def.node.name.name,
      file: fileName,
      inputs: this.inputs,
      layers: this.layers,
      solver: this.solver,
      span: def.node.span,
    };
  }

  /**
   * Checks a block that no net uses, on its own: parameters without a default are unknown
   * (whatever depends on them passes), and its inputs are placeholders.
   */
  open(def: Definition): void {
    const env = new Map<string, Value>();
    for (const p of def.node.params) {
      const v = p.default ? evaluate(p.default, env, this.r) : undefined;
      env.set(p.name.name, v ?? { kind: 'unknown', span: p.name.span });
    }
    const frame = this.frame(def, [], env, [], []);
    frame.ports = def.node.items.filter((i) => i.kind === 'Input').map(() => '');
    frame.prev = '';
    this.expand(def, frame);
  }

  private frame(
    def: Definition,
    prefix: string[],
    env: Env,
    via: Span[],
    overrides: Frame['overrides'],
    root = false,
  ): Frame {
    return {
      def,
      prefix,
      env,
      names: new Map(),
      prev: undefined,
      ports: [],
      nextPort: 0,
      via,
      overrides,
      root,
      misses: [],
      standIns: this.standIns,
    };
  }

  private expand(def: Definition, frame: Frame): void {
    this.expanded.add(def);
    this.active.push(def);
    this.items(def.node.items, frame);
    this.active.pop();
    finishFrame(frame, this.r);
  }

  private items(items: readonly ItemNode[], frame: Frame): void {
    for (const item of items) {
      if (this.stopped || this.r.full) return;
      if (this.layers.length > LIMITS.layers) {
        this.r.error('net-too-large', `the net expands to more than ${LIMITS.layers} layers`, item.span);
        this.stopped = true;
        return;
      }
      switch (item.kind) {
        case 'Input':
          this.input(item, frame);
          break;
        case 'Solver':
          this.solverItem(item, frame);
          break;
        case 'Repeat':
          this.repeat(item, frame);
          break;
        case 'Layer':
          this.layer(item, frame);
          break;
        case 'Use':
          this.use(item, frame);
          break;
      }
    }
  }

  /** `input name { … }`: an input of the root net, or a port of an instantiated block or net. */
  private input(node: InputNode, frame: Frame): void {
    const name = expandName(node.name, frame.env, this.r);
    if (name === undefined) return;
    const values = checkBody(node.body, frame.env, INPUT_PARAMS, {
      r: this.r,
      owner: `for input '${name}'`,
      span: node.name.span,
      fillDefaults: true,
    });
    if (!frame.root) {
      const abs = frame.ports[frame.nextPort++];
      define(frame, name, { abs, span: node.name.span, port: true }, this.r);
      frame.prev = abs;
      return;
    }
    const kind = values.get('kind') as 'image' | 'label';
    const channels = (values.get('channels') as number | undefined) ?? (kind === 'label' ? 1 : 3);
    const mean = values.get('mean') as number[] | undefined;
    if (mean && mean.length !== channels) {
      this.r.error(
        'wrong-length',
        `'mean' has ${mean.length} value${mean.length === 1 ? '' : 's'} but input '${name}' has ${channels} channel${channels === 1 ? '' : 's'}`,
        node.name.span,
      );
    }
    const abs = absolute(frame, name);
    const size = values.get('size') as Pair | undefined;
    const order = values.get('order') as 'rgb' | 'bgr';
    this.inputs.push({
      name: abs,
      kind,
      channels,
      ...(size ? { size } : {}),
      ...(mean ? { mean } : {}),
      order,
      ...(values.get('frame') === 'own' ? { ownFrame: true as const } : {}),
      span: node.span,
    });
    define(frame, name, { abs, span: node.name.span }, this.r);
    // A label is never a layer's implicit input: the first layer after `input label` chains from the image.
    if (kind !== 'label') frame.prev = abs;
  }

  /** `solver { … }`: training defaults; only the root net's count. */
  private solverItem(node: SolverNode, frame: Frame): void {
    if (!frame.root) return;
    if (this.solverSpan) {
      this.r.error('duplicate-solver', 'a net has at most one solver section', node.span, {
        notes: [{ message: 'first given here', span: this.solverSpan }],
      });
      return;
    }
    this.solverSpan = node.span;
    const values = checkBody(node.body, frame.env, SOLVER_PARAMS, {
      r: this.r,
      owner: 'for the solver',
      span: node.span,
      fillDefaults: false,
    });
    for (const [k, v] of values) this.solver[solverKey(k)] = v as number | string;
  }

  /** `repeat j in a..b { … }`: the items once per integer from a to b inclusive. */
  private repeat(node: RepeatNode, frame: Frame): void {
    const bound = (e: RepeatNode['from']) => {
      const v = evaluate(e, frame.env, this.r);
      if (v?.kind === 'unknown') return NaN;
      if (v && (v.kind !== 'number' || !Number.isInteger(v.value))) {
        this.r.error('type-mismatch', `the bounds of 'repeat' must be integers, found ${describeValue(v)}`, v.span);
        return undefined;
      }
      return v?.value as number | undefined;
    };
    const from = bound(node.from);
    const to = bound(node.to);
    if (from === undefined || to === undefined) return;
    if (Number.isNaN(from) || Number.isNaN(to)) {
      // Bounds known only when the block is used: check the body once, its variable unknown.
      return this.iterate(node, frame, [{ kind: 'unknown', span: node.variable.span }]);
    }
    if (to - from + 1 > LIMITS.repeat) {
      this.r.error(
        'repeat-too-large',
        `'repeat' over ${formatNumber(from)}..${formatNumber(to)} is more than ${LIMITS.repeat} iterations`,
        node.span,
      );
      return;
    }
    const values: Value[] = [];
    for (let i = from; i <= to; i++) values.push({ kind: 'number', value: i, span: node.variable.span });
    this.iterate(node, frame, values);
  }

  private iterate(node: RepeatNode, frame: Frame, values: Value[]): void {
    const outer = frame.env;
    for (const v of values) {
      frame.env = new Map(outer).set(node.variable.name, v);
      this.items(node.items, frame);
    }
    frame.env = outer;
  }

  /** `name: type { … }`: a built-in layer, or a named instance of a block or net. */
  private layer(node: LayerNode, frame: Frame): void {
    const type = node.type.name;
    const schema = layerSchema(type);
    if (schema) return builtinLayer(node, schema, frame, this);
    const def = this.definition(type, node.type.span, frame);
    const name = expandName(node.name, frame.env, this.r);
    if (name === undefined) return this.poison(frame, undefined, node.span);
    if (def === undefined) {
      if (!frame.def.file.visible.has(type)) {
        const help = didYouMean(type, [...Object.keys(LAYER_SCHEMAS), ...frame.def.file.visible.keys()]);
        this.r.error('unknown-layer-type', `unknown layer type '${type}'`, node.type.span, help ? { help } : {});
      }
      this.poison(frame, name, node.name.span, layerHeader(node));
      return;
    }
    this.instance(node, def, frame, name);
  }

  /** `block { … }`: an anonymous instance, its layers inlined without a prefix. */
  private use(node: UseNode, frame: Frame): void {
    const name = node.block.name;
    if (layerSchema(name)) {
      this.r.error('unnamed-layer', `a ${name} layer needs a name: write \`name: ${name} { … }\``, node.block.span);
      return this.poison(frame, undefined, node.block.span);
    }
    const def = this.definition(name, node.block.span, frame);
    if (def) this.instance(node, def, frame, undefined);
    else if (!frame.def.file.visible.has(name)) {
      const suggestion = closest(name, [...frame.def.file.visible.keys(), ...ITEM_KEYWORDS]);
      this.r.error(
        'unknown-block',
        `unknown block '${name}'`,
        node.block.span,
        suggestion ? { help: `did you mean '${suggestion}'?` } : {},
      );
      this.poison(frame, undefined, node.block.span);
    }
  }

  /** The block or net a name refers to in the frame's file; reports ambiguity. */
  private definition(name: string, span: Span, frame: Frame): Definition | undefined {
    const found = frame.def.file.visible.get(name);
    if (!found || !('ambiguous' in found)) return found;
    const notes = (found as Ambiguous).ambiguous.map((d) => ({
      message: `defined in ${d.file.name}`,
      span: d.node.name.span,
    }));
    this.r.error('ambiguous-name', `'${name}' is defined by more than one import`, span, { notes });
    return undefined;
  }

  /**
   * Marks a name whose definition failed, so that uses of it (and of names under it) stay
   * quiet; so does the next layer that reads it implicitly. Both read its stand-in (`name?`,
   * blamed at `blame`, where the failure was reported), or '' for an item without a name.
   */
  private poison(frame: Frame, name: string | undefined, span: Span, blame = span): void {
    if (name === undefined) {
      frame.prev = '';
      return;
    }
    define(frame, name, { abs: undefined, span }, this.r);
    frame.prev = standIn(frame, name, blame);
  }

  /** Instantiates a block or net: binds arguments and ports, expands it, and exports its names. */
  private instance(node: LayerNode | UseNode, def: Definition, frame: Frame, name: string | undefined): void {
    const callee = def.node.name.name;
    const at = node.kind === 'Layer' ? node.type.span : node.block.span;
    const fail = () =>
      node.kind === 'Layer'
        ? this.poison(frame, name, node.name.span, layerHeader(node))
        : this.poison(frame, name, at);
    if (this.active.includes(def)) {
      const chain = [...this.active.slice(this.active.indexOf(def)), def].map((d) => d.node.name.name).join(' → ');
      this.r.error('recursive-block', `'${callee}' instantiates itself (${chain})`, at);
      return fail();
    }
    if (this.active.length >= LIMITS.depth) {
      this.r.error('nesting-too-deep', `blocks nest more than ${LIMITS.depth} deep`, at);
      return fail();
    }
    const entries = evaluateBody(node.body, frame.env, this.r);
    const args = bindArguments(entries, def, at, this.r);
    const ports = bindPorts(args.bottom, def, frame, at, this.r);
    if (!args.env || !ports) return fail();

    const prefix = name === undefined ? frame.prefix : [...frame.prefix, name];
    const set = overrideSet(prefix.join('.'), callee, args.overrides);
    const inner = this.frame(
      def,
      prefix,
      args.env,
      [node.span, ...frame.via],
      set ? [...frame.overrides, set] : frame.overrides,
    );
    inner.ports = ports.bound;
    if (ports.implicit) inner.prev = ports.bound[0];
    this.expand(def, inner);
    if (set) reportUnusedOverrides(set, this.r);

    const last = inner.prev;
    if (name !== undefined) {
      define(frame, name, { abs: last, span: node.kind === 'Layer' ? node.name.span : at }, this.r);
      for (const [k, e] of inner.names) if (!e.port) frame.names.set(`${name}.${k}`, e);
    } else {
      for (const [k, e] of inner.names) if (!e.port) define(frame, k, e, this.r, at);
    }
    frame.prev = last;
  }
}
