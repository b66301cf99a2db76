export * from './schema.js';
export * from './types.js';
export * from './sizes.js';
export * from './def.js';
export { LAYERS, layerDef } from './registry.js';
