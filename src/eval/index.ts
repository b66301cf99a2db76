export * from './confusion.js';
export * from './metrics.js';
export * from './report.js';
export * from './score.js';
