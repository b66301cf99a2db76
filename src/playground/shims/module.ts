/** node:module in the browser bundle: nothing there resolves packages on disk (viz's dagreBundle is never called in the page). */
export function createRequire(): never {
  throw new Error('createRequire is not available in the browser');
}
