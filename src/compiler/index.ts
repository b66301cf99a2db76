export * from './layers/index.js';
export * from './resolve/index.js';
export * from './check.js';
