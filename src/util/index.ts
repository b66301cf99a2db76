export * from './atomic.js';
export * from './output.js';
export * from './pid.js';
export * from './versioned-dir.js';
export * from './out-of-memory.js';
