export { evaluate, expandName, type Env } from './evaluate.js';
export { LIMITS } from './expand.js';
export { Loader, textReader, type Definition, type LoadedFile, type ReadText } from './loader.js';
export { checkParams, evaluateBody, type ParamEntry } from './params.js';
export { Reporter } from './report.js';
export { checkFile, resolveFile, resolveSource, type ResolveOptions, type ResolveResult } from './resolve.js';
export * from './types.js';
export { describeValue, type Value } from './values.js';
