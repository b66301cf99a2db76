export * from './build.js';
export * from './types.js';
export * from './label-crop.js';
