/**
 * Which keys a body accepts at a place: a layer type's parameters (and those of its sections),
 * an input's properties, the solver's keys, or an instance's block parameters. Hover shows
 * their documentation and completion offers them; both read the compiler's schema.
 */
import { INPUT_PARAMS, layerSchema, SOLVER_PARAMS, type ParamDef } from '../compiler/layers/schema.js';
import type { DefinitionNode } from '../parser/ast.js';
import type { Around } from './locate.js';
import type { Workspace } from './workspace.js';

const BOTTOM: ParamDef = {
  name: 'bottom',
  kind: { kind: 'blobs' },
  doc: "the instance's input blob(s), fed to its ports in order",
};

/** The parameters of a block or net, as the keys of its instance's body. */
function blockParams(def: DefinitionNode): ParamDef[] {
  const params = def.params.map((p): ParamDef => ({
    name: p.name.name,
    kind: { kind: 'numbers' },
    doc: `parameter of ${def.keyword} ${def.name.name}${p.default ? ' (has a default)' : ''}`,
  }));
  return [BOTTOM, ...params];
}

/** The keys valid in the body of `around.item`, inside `sections` (e.g. ['weight']), with who owns them. */
export function paramsAt(
  ws: Workspace,
  path: string,
  around: Around,
  sections: readonly string[],
): { params: readonly ParamDef[]; owner: string } {
  const item = around.item;
  if (!item) return { params: [], owner: '' };
  if (item.kind === 'Input') return { params: INPUT_PARAMS, owner: 'property of an input' };
  if (item.kind === 'Solver') return { params: SOLVER_PARAMS, owner: 'key of the solver' };
  if (item.kind === 'Repeat') return { params: [], owner: '' };
  const type = item.kind === 'Layer' ? item.type.name : item.block.name;
  const schema = layerSchema(type);
  if (schema) {
    let params: readonly ParamDef[] = schema.params;
    for (const s of sections) {
      const p = params.find((x) => x.name === s);
      params = p && (p.kind.kind === 'section' || p.kind.kind === 'boolOrSection') ? p.kind.params : [];
    }
    return { params, owner: `parameter of \`${[type, ...sections].join('.')}\`` };
  }
  const def = ws.loaded(path)?.visible.get(type);
  if (!def || 'ambiguous' in def || sections.length) return { params: [], owner: '' };
  return { params: blockParams(def.node), owner: `of the instance of ${def.node.keyword} \`${type}\`` };
}
