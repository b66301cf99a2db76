/**
 * node:path (POSIX) in the playground's browser bundle: the few functions the compiler's
 * loader uses to follow imports, over in-memory paths rooted at `/`.
 */
export const sep = '/';

/** Collapses `.`, `..` and repeated slashes. */
export function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out.at(-1) !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  const body = out.join('/');
  return absolute ? `/${body}` : body || '.';
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== '').join('/'));
}

/** Like Node's: the rightmost absolute path wins; relative paths are taken from `/`. */
export function resolve(...parts: string[]): string {
  let path = '';
  for (let i = parts.length - 1; i >= 0 && !path.startsWith('/'); i--) path = parts[i] + (path ? `/${path}` : '');
  return normalize(path.startsWith('/') ? path : `/${path}`);
}

export function dirname(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.replace(/\/+$/, '').split('/').at(-1) ?? '';
}

export default { sep, normalize, join, resolve, dirname, basename };
