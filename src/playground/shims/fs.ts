/**
 * node:fs in the playground's browser bundle: there is no disk. The compiler reads files
 * through its in-memory map first (`files`), so a read that reaches here is of a file that
 * does not exist, and says so as Node would.
 */
function missing(path: unknown): never {
  throw Object.assign(new Error(`ENOENT: no such file or directory, open '${String(path)}'`), { code: 'ENOENT' });
}

export const readFileSync = (path: unknown): never => missing(path);
export const readdirSync = (): string[] => [];
export const existsSync = (): boolean => false;
export const statSync = (path: unknown): never => missing(path);
export const lstatSync = (path: unknown): never => missing(path);
