export * from './atomic.js';
export * from './output.js';
