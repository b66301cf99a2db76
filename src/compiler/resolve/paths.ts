/**
 * The path arithmetic of imports: Node's `node:path` under Node (so Windows paths work), and
 * in a browser the same POSIX rules over in-memory files, with `/` as the working directory.
 */
import { nodeBuiltin } from '../../util/node-builtin.js';

/** The four operations the loader needs, as `node:path` names them. */
export interface PathOps {
  dirname(path: string): string;
  join(...parts: string[]): string;
  normalize(path: string): string;
  resolve(...parts: string[]): string;
}

/** POSIX `normalize`: `.` and `..` folded, slashes collapsed; `.` for an empty relative path. */
function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out.at(-1) !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** Node's `path.posix` behaviour, for a browser. */
export const posixPaths: PathOps = {
  dirname(path) {
    const cut = path.replace(/\/+$/, '').lastIndexOf('/');
    return cut < 0 ? '.' : cut === 0 ? '/' : path.slice(0, cut);
  },
  join: (...parts) => normalize(parts.filter((p) => p !== '').join('/') || '.'),
  normalize,
  resolve(...parts) {
    let path = '/';
    for (const part of parts) path = part.startsWith('/') ? part : `${path}/${part}`;
    return normalize(path);
  },
};

/** The path operations of this platform. */
export const paths: PathOps = nodeBuiltin('node:path') ?? posixPaths;
