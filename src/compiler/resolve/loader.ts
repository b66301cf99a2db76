/**
 * Loads a file and its imports (paths relative to the importing file), parses each once,
 * detects import cycles, and works out which definitions each file can see: its own, and
 * those of the files it imports directly.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { DefinitionNode, DocumentNode, ImportNode } from '../../parser/ast.js';
import { isComplete, parse } from '../../parser/parse.js';
import { layerSchema } from '../layers/schema.js';
import { nodeBuiltin } from '../../util/node-builtin.js';
import { paths } from './paths.js';
import type { Reporter } from './report.js';

const { dirname, join, normalize, resolve } = paths;

/** A net or block, with the file it belongs to (whose definitions its body sees). */
export interface Definition {
  node: DefinitionNode;
  file: LoadedFile;
}

/** Two imports define the same name; using it is an error that shows both. */
export interface Ambiguous {
  ambiguous: Definition[];
}

export interface LoadedFile {
  /** Absolute path: the key for caching and cycle detection. */
  path: string;
  /** The path as shown in messages: as given for the root, joined to the importer's for imports. */
  name: string;
  document: DocumentNode;
  /** A syntax error may have changed the file's meaning: resolving it would report errors that are not there. */
  incomplete: boolean;
  /** The file's own definitions, in order. */
  definitions: Map<string, Definition>;
  /** What the file's bodies can name: its own definitions and its direct imports'. */
  visible: Map<string, Definition | Ambiguous>;
}

/** Reads a file's text; undefined when it does not exist. Other failures throw. */
export type ReadText = (absolutePath: string) => string | undefined;

/**
 * Reads from a map of in-memory files first, then from `fallback`: by default the disk under
 * Node, and nothing in a browser (where every file, imports included, is in `files`).
 */
export function textReader(files: Record<string, string> = {}, fallback: ReadText = diskReader): ReadText {
  const memory = new Map(Object.entries(files).map(([p, t]) => [resolve(p), t]));
  return (path) => (memory.has(path) ? memory.get(path) : fallback(path));
}

/** Reads a file from disk under Node; undefined when it does not exist, and always in a browser. */
function diskReader(path: string): string | undefined {
  const fs = nodeBuiltin('node:fs');
  if (!fs) return undefined;
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

export class Loader {
  private readonly cache = new Map<string, LoadedFile>();
  /** Files being loaded, outermost first, with the import each is following. */
  private readonly stack: { file: LoadedFile; importing?: ImportNode }[] = [];

  constructor(
    private readonly r: Reporter,
    private readonly read: ReadText,
  ) {}

  /** Every file loaded so far. */
  get files(): LoadedFile[] {
    return [...this.cache.values()];
  }

  /** Loads the root file; undefined (reported) when it cannot be read. */
  loadRoot(path: string): LoadedFile | undefined {
    return this.load(resolve(path), path);
  }

  private load(path: string, name: string, from?: ImportNode): LoadedFile | undefined {
    const cached = this.cache.get(path);
    if (cached) return cached;
    let text: string | undefined;
    try {
      text = this.read(path);
    } catch (e) {
      this.r.error('file-unreadable', `cannot read '${name}': ${(e as Error).message}`, from?.path.span);
      return undefined;
    }
    if (text === undefined) {
      if (from)
        this.r.error(
          'import-not-found',
          `cannot find '${from.path.value}' (looked for ${name})`,
          from.path.span,
          suggestFile(path, from),
        );
      else this.r.error('file-not-found', `cannot read '${name}': no such file`, undefined);
      return undefined;
    }
    const { document, diagnostics } = parse(text, name);
    for (const d of diagnostics) this.r.add(d);
    const file: LoadedFile = {
      path,
      name,
      document,
      incomplete: !isComplete(document),
      definitions: new Map(),
      visible: new Map(),
    };
    this.cache.set(path, file);
    this.collectDefinitions(file);
    this.stack.push({ file });
    for (const item of document.items) {
      // An import whose string is malformed is already reported; following it would only add noise.
      if (item.kind === 'Import' && /^".+"$/.test(item.path.raw)) this.follow(file, item);
    }
    this.stack.pop();
    return file;
  }

  private follow(file: LoadedFile, node: ImportNode): void {
    const target = resolve(dirname(file.path), node.path.value);
    const targetName = normalize(join(dirname(file.name), node.path.value));
    const onStack = this.stack.findIndex((s) => s.file.path === target);
    if (onStack >= 0) {
      this.reportCycle(onStack, node, targetName);
      return;
    }
    this.stack.at(-1)!.importing = node;
    const imported = this.load(target, targetName, node);
    if (!imported) return;
    for (const [name, def] of imported.definitions) {
      const seen = file.visible.get(name);
      if (!seen) file.visible.set(name, def);
      else if ('ambiguous' in seen) seen.ambiguous.push(def);
      else if (seen.file !== file && seen.file !== imported) file.visible.set(name, { ambiguous: [seen, def] });
      else if (seen.file === file) {
        this.r.warning(
          'shadowed-definition',
          `'${name}' here hides the ${def.node.keyword} of the same name imported from ${imported.name}`,
          seen.node.name.span,
          {
            notes: [{ message: 'the hidden definition', span: def.node.name.span }],
          },
        );
      }
    }
  }

  private reportCycle(start: number, node: ImportNode, targetName: string): void {
    const chain = this.stack.slice(start);
    const names = [...chain.map((s) => s.file.name), targetName];
    const notes = chain
      .slice(0, -1)
      .map((s, i) => ({ message: `${s.file.name} imports ${names[i + 1]}`, span: s.importing?.span }));
    this.r.error('import-cycle', `import cycle: ${names.join(' → ')}`, node.span, { notes });
  }

  private collectDefinitions(file: LoadedFile): void {
    for (const item of file.document.items) {
      if (item.kind !== 'Definition' || !item.name.name) continue;
      const name = item.name.name;
      if (layerSchema(name)) {
        this.r.error(
          'reserved-name',
          `'${name}' is a built-in layer type and cannot name a ${item.keyword}`,
          item.name.span,
        );
        continue;
      }
      const first = file.definitions.get(name);
      if (first) {
        this.r.error('duplicate-definition', `'${name}' is defined twice`, item.name.span, {
          notes: [{ message: 'first defined here', span: first.node.name.span }],
        });
        continue;
      }
      const def = { node: item, file };
      file.definitions.set(name, def);
      file.visible.set(name, def);
    }
  }
}

function suggestFile(path: string, from: ImportNode): { help?: string } {
  try {
    const candidates = (nodeBuiltin('node:fs')?.readdirSync(dirname(path)) ?? []).filter((f) => f.endsWith('.fcn'));
    const base = path.slice(dirname(path).length + 1);
    const help = didYouMean(base, candidates);
    return help ? { help: help.replace(/'([^']*)'/, (_, f: string) => `'${join(dirname(from.path.value), f)}'`) } : {};
  } catch {
    return {};
  }
}
