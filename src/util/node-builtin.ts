/**
 * Node's built-in modules where the code runs under Node, without an `import` statement: the
 * language tools (parser, compiler, formatter) run in a browser too, and a bundler that meets
 * `import 'node:fs'` would have to fail or stub it. `process.getBuiltinModule` is Node ≥ 20.16.
 */

interface Builtins {
  'node:fs': typeof import('node:fs');
  'node:path': typeof import('node:path');
  'node:module': typeof import('node:module');
  'node:url': typeof import('node:url');
}

/** The built-in module `id` (e.g. `node:fs`) under Node; undefined in a browser. */
export function nodeBuiltin<Id extends keyof Builtins>(id: Id): Builtins[Id] | undefined {
  return globalThis.process?.getBuiltinModule?.(id) as Builtins[Id] | undefined;
}
