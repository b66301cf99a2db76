export * from './diagnostic.js';
export * from './render.js';
export * from './source.js';
export * from './span.js';
export * from './suggest.js';
