export * from './curve.js';
export * from './html.js';
export * from './overlay.js';
