export * from './embed.js';
export * from './style.js';
