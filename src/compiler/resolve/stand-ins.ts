/**
 * The partial net of a file with errors: what did resolve, with a placeholder input for each
 * name that did not (an unknown blob, one used before its definition, the output of a layer
 * that failed). The placeholders are in a frame of their own and have no channels, so the
 * analyses run on the rest as they would, and `fcn viz` draws the net with its errors on it
 * rather than refusing it. Nothing else reads a partial net: it is never trained or emitted.
 */
import type { Span } from '../../diagnostics/span.js';
import type { ResolvedInput, ResolvedNet } from './types.js';

/** The stand-in for a blob the resolver could not even name (a layer whose name failed). */
const NAMELESS = '?';

/** `net` with a placeholder input for every bottom not defined before it is read; `spans` says where each one's error is. */
export function withStandIns(net: ResolvedNet, spans: ReadonlyMap<string, Span>): ResolvedNet {
  const defined = new Set(net.inputs.map((i) => i.name));
  const added: ResolvedInput[] = [];
  const layers = net.layers.map((layer) => {
    const bottoms = layer.bottoms.map((bottom) => {
      const name = bottom === '' ? NAMELESS : bottom;
      if (!defined.has(name)) {
        defined.add(name);
        added.push({
          name,
          kind: 'image',
          channels: 0,
          order: 'rgb',
          ownFrame: true,
          standIn: true,
          span: spans.get(name) ?? net.span,
        });
      }
      return name;
    });
    defined.add(layer.name);
    return { ...layer, bottoms };
  });
  return { ...net, inputs: [...net.inputs, ...added], layers };
}
