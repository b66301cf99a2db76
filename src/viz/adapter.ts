/**
 * The compiler's results → the visualisation model. This is the only viz module that reads
 * the compiler's types; everything else reads `VizModel`. Numbers come from the compiler's own
 * report (what `fcn inspect --json` prints); the viz adds sources, edges and the crop paths.
 */
import { renderDiagnostic, type Diagnostic } from '../diagnostics/index.js';
import type { Span } from '../diagnostics/span.js';
import {
  buildReport,
  compose,
  IDENTITY,
  layerMap,
  spatialInputs,
  type Analysis,
  type CoordMap,
  type InspectReport,
  type Trace,
} from '../compiler/analysis/index.js';
import type { Compilation } from '../compiler/compile.js';
import type { IRGraph, IRNode } from '../compiler/ir/types.js';
import { finishModel, type DraftCrop, type DraftNode, type DraftPath, type DraftStep } from './finish.js';
import { layerDef } from '../compiler/layers/registry.js';
import { layerDetail } from './detail.js';
import type { VizImage, VizMap, VizModel, VizShape, VizSource } from './model.js';

/** The diagnostics of one severity, rendered as text. */
function rendered(diagnostics: readonly Diagnostic[], severity: Diagnostic['severity']): string[] {
  return diagnostics.filter((d) => d.severity === severity).map((d) => renderDiagnostic(d, { color: false }));
}

/** A span as a source line for people. */
function sourceOf(span: Span): VizSource {
  const { line, column } = span.source.location(span.start);
  return { file: span.source.name, line, column, text: span.source.lineText(line) };
}

function numbers(map: CoordMap): VizMap {
  return map.map(({ a, b }) => ({ a: a.toNumber(), b: b.toNumber() })) as VizMap;
}

/** A report shape as a viz shape: [C, H, W], or null for a scalar (the loss). */
function shapeOf(shape: (number | null)[]): VizShape | null {
  return shape.length === 3 ? [shape[0]!, shape[1]!, shape[2]!] : null;
}

/**
 * The path to explain: the one through each layer's first input (for FCN's skips, the deep,
 * upsampled path, where pad 100, fc6 and the deconvolutions show), when it reaches the same
 * ancestor with the same map; else the compiler's own (shortest) trace. Every path between
 * two blobs composes to the same map when the net is consistent, so both explain the offset.
 */
function explainedTrace(ir: IRGraph, analysis: Analysis, trace: Trace): Trace {
  const offsets = (id: number) => analysis.crops.offsets.get(id);
  const ancestor = trace.nodes[trace.nodes.length - 1]!;
  const nodes = [trace.nodes[0]!];
  let map: CoordMap = IDENTITY;
  for (let id = nodes[0]!; id !== ancestor;) {
    const own = layerMap(ir, id, offsets);
    const next = spatialInputs(ir.nodes[id]!)[0];
    if (!own || next === undefined) return trace;
    map = compose(own, map);
    nodes.push((id = next));
  }
  const same = map.every((m, i) => m.a.equals(trace.map[i]!.a) && m.b.equals(trace.map[i]!.b));
  return same ? { nodes, map } : trace;
}

/** A trace (blob first, ancestor last) as a path whose steps run from the ancestor outwards. */
function pathOf(ir: IRGraph, analysis: Analysis, shortest: Trace): DraftPath {
  const offsets = (id: number) => analysis.crops.offsets.get(id);
  const trace = explainedTrace(ir, analysis, shortest);
  const steps = trace.nodes
    .slice(0, -1)
    .reverse()
    .map((id): DraftStep => {
      const node = ir.nodes[id]!;
      // An input on the path joins the frame it shares with the other inputs (a label beside
      // the image): the identity. Every other node on a trace has a map: the walk only passes
      // through nodes that have one.
      const map = layerMap(ir, id, offsets) ?? (node.op === 'input' ? IDENTITY : undefined);
      if (!map) throw new Error(`toVizModel: '${node.name}' is on a coordinate path but has no map`);
      return { layer: node.name, type: node.op, detail: layerDetail(ir, node), map: numbers(map) };
    });
  return { from: ir.nodes[trace.nodes[0]!]!.name, steps };
}

/** A path with no steps: a crop's side that no spatial path relates to the other. */
function emptyPath(from: string): DraftPath {
  return { from, steps: [] };
}

/**
 * The report's crops with both paths to the common ancestor, layer by layer. A crop that reads
 * a stand-in (`unknown`) has no offset and no error of its own: its input's is drawn.
 */
function cropsOf(compiled: Compilation, analysis: Analysis, report: InspectReport, unknown: Set<number>): DraftCrop[] {
  const { ir } = analysis;
  return report.crops.map((c, i) => {
    const info = analysis.crops.crops[i]!;
    if (unknown.has(info.node)) {
      return {
        name: c.name,
        input: c.input,
        reference: c.reference,
        offset: null,
        written: c.written ?? null,
        ancestor: null,
        paths: [emptyPath(c.input), emptyPath(c.reference)],
      };
    }
    const span = ir.nodes[info.node]!.origin.span;
    const problem = compiled.diagnostics.find(
      (d) => d.severity === 'error' && d.code.startsWith('crop-') && d.span === span,
    );
    const base = {
      name: c.name,
      input: c.input,
      reference: c.reference,
      offset: c.inferred,
      written: c.written ?? null,
      ...(info.failure ? { error: problem?.message ?? info.failure } : {}),
    };
    const r = info.relation;
    if (r?.kind !== 'related') {
      return { ...base, ancestor: null, paths: [emptyPath(c.input), emptyPath(c.reference)] };
    }
    return { ...base, ancestor: c.ancestor ?? null, paths: [pathOf(ir, analysis, r.from), pathOf(ir, analysis, r.to)] };
  });
}

/**
 * The layer each error diagnostic is about: the node whose declaration is the diagnostic's
 * span, else the one whose span most tightly contains it (a parameter of the layer); errors
 * about no layer stay off the graph (they are in the model's `errors`).
 */
function errorsByNode(ir: IRGraph, diagnostics: readonly Diagnostic[]): Map<number, string[]> {
  const byNode = new Map<number, string[]>();
  for (const d of diagnostics) {
    if (d.severity !== 'error' || !d.span) continue;
    const { span } = d;
    let best: { id: number; length: number } | undefined;
    for (const node of ir.nodes) {
      const own = node.origin.span;
      if (own.source.name !== span.source.name || own.start > span.start || own.end < span.end) continue;
      const length = own.end - own.start;
      if (!best || length < best.length) best = { id: node.id, length };
    }
    // The help says what to do ("did you mean …"): it goes with the message.
    const line = d.help ? `${d.message}; ${d.help}` : d.message;
    if (best) byNode.set(best.id, [...(byNode.get(best.id) ?? []), line]);
  }
  return byNode;
}

/** Whether a node is a stand-in for a name that did not resolve (in the partial net of a file with errors). */
function isStandIn(node: IRNode): boolean {
  return node.op === 'input' && node.input.standIn === true;
}

/**
 * The nodes whose numbers are unknown: the stand-ins and every layer that reads one,
 * directly or not (their sizes, channels and cost depend on what the missing blob would be).
 */
function unknownNodes(ir: IRGraph): Set<number> {
  const unknown = new Set<number>();
  for (const node of ir.nodes) if (isStandIn(node) || node.inputs.some((i) => unknown.has(i))) unknown.add(node.id);
  return unknown;
}

/** Builds the visualisation model of a compiled net; `image` is the `--image`, already at the input size. */
export function toVizModel(compiled: Compilation, image?: VizImage): VizModel {
  const { analysis } = compiled;
  if (!analysis) throw new Error('toVizModel: the compilation stopped before the analyses');
  const { ir } = analysis;
  const report = buildReport(analysis);
  const errors = errorsByNode(ir, compiled.diagnostics);
  const unknown = unknownNodes(ir);
  const nodes = report.blobs.map((b, id): DraftNode => {
    const node = ir.nodes[id]!;
    const known = !unknown.has(id);
    return {
      name: b.name,
      type: isStandIn(node) ? 'missing' : b.type,
      scope: node.scope,
      inputs: b.inputs,
      detail: isStandIn(node) ? 'did not resolve' : layerDetail(ir, node),
      shape: known ? shapeOf(b.shape) : null,
      stride: known ? b.stride : null,
      rf: known ? b.rf : null,
      padding: known ? b.padding : null,
      params: known ? (b.params ?? 0) : 0,
      flops: known ? b.flops : null,
      source: sourceOf(node.origin.span),
      via: node.origin.via.map(sourceOf),
      ...(node.op !== 'input' && node.inline ? { inline: true } : {}),
      ...(node.op !== 'input' && layerDef(node.op).style === 'pill' ? { pill: true } : {}),
      ...(errors.has(id) ? { errors: errors.get(id)! } : {}),
    };
  });
  const edges = ir.nodes.flatMap((n) =>
    n.inputs.map((i, k) => ({
      from: ir.nodes[i]!.name,
      to: n.name,
      shape: nodes[i]!.shape,
      // A crop reads only the size of its second input.
      kind: n.op === 'crop' && k === 1 ? ('size' as const) : ('data' as const),
    })),
  );
  const inputs = report.inputs.filter((_, k) => !unknown.has(ir.inputs[k]!));
  return finishModel({
    net: report.net,
    file: report.file,
    inputs: inputs.map((i) => ({ name: i.name, kind: i.kind, shape: shapeOf(i.shape) ?? [null, null, null] })),
    reference: report.relativeTo,
    inputSize: report.input,
    nodes,
    edges,
    crops: cropsOf(compiled, analysis, report, unknown),
    rungs: report.ladder.map((r) => ({ ...r, stride: r.stride ? r.stride[0] : null })),
    // A partial net's totals are those of what resolved.
    totals: unknown.size
      ? { params: nodes.reduce((sum, n) => sum + n.params, 0), flops: null }
      : { params: report.params ?? 0, flops: report.flops },
    warnings: rendered(compiled.diagnostics, 'warning'),
    errors: rendered(compiled.diagnostics, 'error'),
    ...(image ? { image } : {}),
  });
}
