export * from './layers/index.js';
export * from './resolve/index.js';
