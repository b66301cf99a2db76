/** node:url in the browser bundle: file URLs of in-memory paths. */
export const pathToFileURL = (path: string): URL => new URL(`file://${path}`);
export const fileURLToPath = (url: string | URL): string => decodeURIComponent(new URL(url).pathname);
