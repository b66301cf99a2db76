/**
 * ava's configuration for the default suite, `npm test`: everything but the slow tests, which
 * `npm run test:slow` runs (ava.slow.config.js). A test file is slow when it takes more than
 * about 30 s on the project's 2-core machine; see README "Quick start".
 */

/** The slow test files: a full training, a real browser (viz, playground), the forward passes of every paper net, the exports run in ONNX Runtime and PyTorch, and a training step of each net past the paper. */
export const SLOW_TESTS = [
  'test/train-e2e.test.ts',
  'test/viz-browser.test.ts',
  'test/playground-browser.test.ts',
  'test/emit.test.ts',
  'test/export.test.ts',
  'test/export-paper.test.ts',
  'test/nets-modern-slow.test.ts',
  'test/export-modern.test.ts',
];

export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  files: ['test/**/*.test.ts', ...SLOW_TESTS.map((f) => `!${f}`)],
  // Node 20 cannot load tsx into worker threads.
  workerThreads: false,
  // ava's timeout is a time without any test finishing: it catches a hang, not a slow machine.
  timeout: '5m',
};
