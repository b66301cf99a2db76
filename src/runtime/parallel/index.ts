/** Synchronous data-parallel SGD over worker threads (trainer.ts), with its worker entry (worker.ts). */
export * from './packing.js';
export * from './pool.js';
export * from './protocol.js';
export * from './shard.js';
export * from './trainer.js';
