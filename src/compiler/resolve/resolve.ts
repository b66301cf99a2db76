/**
 * The resolver's entry points: load a file with its imports, then expand the chosen net
 * into a ResolvedNet. A syntax error that may have changed the file's meaning (see
 * `isComplete`) stops before expansion, whose errors would only echo it; every other mistake
 * is collected, up to a cap.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/span.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import { Expander } from './expand.js';
import { Loader, textReader, type Definition, type LoadedFile, type ReadText } from './loader.js';
import { Reporter } from './report.js';
import { withStandIns } from './stand-ins.js';
import type { ResolvedNet } from './types.js';

export interface ResolveOptions {
  /** The net to build; default: the last `net` of the root file. */
  net?: string;
  /** In-memory files by path, read first. */
  files?: Record<string, string>;
  /** Reads the other files by absolute path (default: the disk under Node, nothing in a browser). */
  read?: ReadText;
  /** Most diagnostics reported (default 50). */
  cap?: number;
}

export interface ResolveResult {
  /** The resolved net; absent when there are errors. */
  net?: ResolvedNet;
  /**
   * When there are errors but the net was expanded: what did resolve, with stand-ins for what
   * did not (see `withStandIns`), for drawing the net with its errors.
   */
  partial?: ResolvedNet;
  diagnostics: Diagnostic[];
  /** The root file's nets, in order. */
  nets: string[];
  /** Diagnostics left out because of the cap. */
  dropped: number;
}

/** Loads `path` with its imports and resolves one of its nets (`options.net`, default the last). */
export function resolveFile(path: string, options: ResolveOptions = {}): ResolveResult {
  const r = new Reporter(options.cap);
  const loader = new Loader(r, textReader(options.files, options.read));
  const root = loader.loadRoot(path);
  const nets = root ? netsOf(root) : [];
  let net: ResolvedNet | undefined;
  let standIns: ReadonlyMap<string, Span> = new Map();
  if (root && !loader.files.some((f) => f.incomplete)) {
    const def = pickNet(root, options.net, r);
    if (def) {
      const expander = new Expander(r);
      net = expander.net(def, path);
      standIns = expander.standIns;
    }
  }
  return {
    ...(net && !r.hasErrors ? { net } : {}),
    ...(net && r.hasErrors ? { partial: withStandIns(net, standIns) } : {}),
    diagnostics: r.sorted(),
    nets: nets.map((d) => d.node.name.name),
    dropped: r.bag.droppedCount,
  };
}

/** Like `resolveFile`, for a source text given directly (imports are still read relative to `fileName`). */
export function resolveSource(text: string, fileName: string, options: ResolveOptions = {}): ResolveResult {
  return resolveFile(fileName, { ...options, files: { ...options.files, [fileName]: text } });
}

/**
 * Checks a file: loads it with its imports and resolves every net it defines (or only
 * `options.net`), then every block of the file that no net used, on its own. A file with
 * only blocks is fine: it is a library.
 */
export function checkFile(path: string, options: ResolveOptions = {}): Omit<ResolveResult, 'net'> {
  const r = new Reporter(options.cap);
  const loader = new Loader(r, textReader(options.files, options.read));
  const root = loader.loadRoot(path);
  const nets = root ? netsOf(root) : [];
  if (root && !loader.files.some((f) => f.incomplete)) {
    const chosen = options.net === undefined ? nets : [pickNet(root, options.net, r)].filter((d) => d !== undefined);
    const expanded = new Set<Definition>();
    for (const def of chosen) {
      if (!r.full) new Expander(r, expanded).net(def, path);
    }
    if (!root.document.items.some((i) => i.kind === 'Definition')) {
      r.error('no-net', `'${root.name}' defines no net or block`, fileStart(root), {
        help: 'a net is written `net name { … }`',
      });
    }
    for (const def of root.definitions.values()) {
      if (options.net === undefined && def.node.keyword === 'block' && !expanded.has(def) && !r.full)
        new Expander(r, expanded).open(def);
    }
  }
  return { diagnostics: r.sorted(), nets: nets.map((d) => d.node.name.name), dropped: r.bag.droppedCount };
}

/** The place to blame for something about a whole file: its start. */
function fileStart(file: LoadedFile): Span {
  return { source: file.document.span.source, start: 0, end: 0 };
}

function netsOf(file: LoadedFile): Definition[] {
  return [...file.definitions.values()].filter((d) => d.node.keyword === 'net');
}

function pickNet(root: LoadedFile, name: string | undefined, r: Reporter): Definition | undefined {
  const nets = netsOf(root);
  if (name === undefined) {
    if (!nets.length)
      r.error('no-net', `'${root.name}' defines no net`, fileStart(root), {
        help: 'a net is written `net name { … }`',
      });
    return nets.at(-1);
  }
  const def = root.definitions.get(name);
  if (def?.node.keyword === 'net') return def;
  if (def) {
    r.error('unknown-net', `'${name}' is a block, not a net`, undefined, {
      notes: [{ message: 'defined here', span: def.node.name.span }],
    });
    return undefined;
  }
  const help = didYouMean(
    name,
    nets.map((d) => d.node.name.name),
  );
  const list = nets.length ? `; it defines ${nets.map((d) => `'${d.node.name.name}'`).join(', ')}` : '';
  r.error('unknown-net', `'${root.name}' has no net '${name}'${list}`, undefined, help ? { help } : {});
  return undefined;
}
