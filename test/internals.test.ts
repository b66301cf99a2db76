/**
 * The internals of other packages that fcn relies on, each checked on its own, so that an
 * upgrade that removes or renames one fails here with its name rather than as a wrong
 * gradient, a silent slowdown or worse recovery from syntax errors. These packages are pinned
 * to exact versions in package.json (README, "Design notes: pinned internals").
 */
import test, { type ExecutionContext } from 'ava';
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chevrotain } from '../src/parser/chevrotain.js';
import type { HeapBackend } from '../src/runtime/wasm-heap.js';
import { useWasm } from './helpers/tf.js';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };

/** Fails naming the internal, the package and the version fcn was written against. */
function expectInternal(t: ExecutionContext, ok: boolean, internal: string, pkgName: string): void {
  t.true(
    ok,
    `${pkgName} ${pkg.dependencies[pkgName] ?? '(not a dependency)'}: the internal ${internal} that fcn relies on is gone or changed`,
  );
}

/** The version of an installed package (found from its entry point: some export no package.json). */
function installedVersion(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (json.name === name) return json.version;
  }
  return '(not found)';
}

const isFunction = (o: object, name: string): boolean => typeof (o as Record<string, unknown>)[name] === 'function';

test('the packages whose internals fcn uses are pinned to exact versions', (t) => {
  for (const name of [
    'chevrotain',
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-cpu',
    '@tensorflow/tfjs-backend-wasm',
    '@dagrejs/dagre',
  ]) {
    const range = pkg.dependencies[name];
    t.regex(range ?? '', /^\d+\.\d+\.\d+$/, `${name} must be pinned to an exact version, not '${range}'`);
    const installed = installedVersion(name);
    t.is(installed, range, `${name}: installed ${installed}, pinned ${range}`);
  }
});

test('chevrotain: CstParser.findReSyncTokenType, reSyncTo and flattenFollowSet (error recovery, src/parser/recovery.ts)', (t) => {
  const proto = chevrotain.CstParser.prototype as object;
  for (const name of ['findReSyncTokenType', 'reSyncTo', 'flattenFollowSet', 'canTokenTypeBeInsertedInRecovery'])
    expectInternal(t, isFunction(proto, name), `CstParser.prototype.${name}`, 'chevrotain');
});

test('chevrotain: the single-file bundle lib/chevrotain.mjs (fast start, src/parser/chevrotain.ts)', (t) => {
  const bundle = join(dirname(require.resolve('chevrotain')), '..', 'chevrotain.mjs');
  expectInternal(t, existsSync(bundle), `lib/chevrotain.mjs (looked for ${bundle})`, 'chevrotain');
  expectInternal(t, chevrotain.CstParser !== undefined, 'the bundle exports CstParser', 'chevrotain');
});

test('@tensorflow/tfjs: the engine tape (startTape, endTape, scopedRun, state.activeTape, tape nodes; src/runtime/backprop.ts)', (t) => {
  const engine = tf.engine() as unknown as {
    startTape(): void;
    endTape(): void;
    scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
    state: { activeTape: unknown[] | null; gradientDepth: number };
  };
  for (const name of ['startTape', 'endTape', 'scopedRun'])
    expectInternal(t, isFunction(engine, name), `engine().${name}`, '@tensorflow/tfjs');
  expectInternal(t, engine.state?.gradientDepth === 0, 'engine().state.gradientDepth', '@tensorflow/tfjs');
  let nodes: Array<Record<string, unknown>> = [];
  const x = tf.tensor1d([1, 2]);
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => {
      const out = tf.mul(x, x);
      nodes = [...((engine.state.activeTape as Array<Record<string, unknown>>) ?? [])];
      return out;
    },
  );
  const node = nodes.find((n) => n['kernelName'] === 'Multiply') ?? {};
  expectInternal(t, nodes.length > 0, 'engine().state.activeTape records the kernels run', '@tensorflow/tfjs');
  expectInternal(t, node['kernelName'] === 'Multiply', 'tape node .kernelName (Multiply recorded)', '@tensorflow/tfjs');
  expectInternal(t, typeof node['id'] === 'number', 'tape node .id', '@tensorflow/tfjs');
  expectInternal(t, Array.isArray(node['outputs']), 'tape node .outputs', '@tensorflow/tfjs');
  expectInternal(t, typeof node['inputs'] === 'object', 'tape node .inputs', '@tensorflow/tfjs');
  expectInternal(t, typeof node['gradient'] === 'function', 'tape node .gradient', '@tensorflow/tfjs');
  expectInternal(t, Array.isArray(node['saved']), 'tape node .saved', '@tensorflow/tfjs');
  tf.dispose([x, y]);
});

test('@tensorflow/tfjs-backend-cpu: MathBackendCPU.firstUse and data.get (the native backend, src/runtime/native)', (t) => {
  const backend = new MathBackendCPU() as unknown as { firstUse: unknown; data: { get: unknown } };
  expectInternal(
    t,
    backend.firstUse === true,
    'MathBackendCPU#firstUse (the banner flag)',
    '@tensorflow/tfjs-backend-cpu',
  );
  expectInternal(t, typeof backend.data?.get === 'function', 'MathBackendCPU#data.get', '@tensorflow/tfjs-backend-cpu');
  expectInternal(
    t,
    isFunction(backend, 'incRef'),
    'MathBackendCPU#incRef (the Identity kernel)',
    '@tensorflow/tfjs-backend-cpu',
  );
});

test.serial(
  '@tensorflow/tfjs-backend-wasm: the heap, malloc and free, dataIdMap and the XNNPack cache hooks (src/runtime/wasm-heap.ts)',
  async (t) => {
    await useWasm();
    const backend = tf.backend() as unknown as HeapBackend & { incRef?: unknown };
    for (const name of ['makeOutput', 'typedArrayFromHeap', 'refCount', 'disposeData', 'incRef'])
      expectInternal(t, isFunction(backend, name), `BackendWasm#${name}`, '@tensorflow/tfjs-backend-wasm');
    const wasm = backend.wasm;
    expectInternal(t, wasm?.HEAP8 instanceof Int8Array, 'BackendWasm#wasm.HEAP8', '@tensorflow/tfjs-backend-wasm');
    expectInternal(
      t,
      wasm?.HEAPF32 instanceof Float32Array,
      'BackendWasm#wasm.HEAPF32',
      '@tensorflow/tfjs-backend-wasm',
    );
    for (const name of ['_malloc', '_free'])
      expectInternal(t, isFunction(wasm, name), `BackendWasm#wasm.${name}`, '@tensorflow/tfjs-backend-wasm');
    for (const name of ['registerTensor', 'disposeData'])
      expectInternal(
        t,
        isFunction(wasm?.tfjs ?? {}, name),
        `BackendWasm#wasm.tfjs.${name} (XNNPack's operator cache)`,
        '@tensorflow/tfjs-backend-wasm',
      );
    const x = tf.tensor1d([1.5, 2.5, 3.5]);
    const data = backend.dataIdMap?.get(x.dataId);
    expectInternal(
      t,
      typeof data?.id === 'number' && typeof data?.memoryOffset === 'number',
      'BackendWasm#dataIdMap entries {id, memoryOffset}',
      '@tensorflow/tfjs-backend-wasm',
    );
    if (data)
      t.deepEqual(
        [...wasm.HEAPF32.subarray(data.memoryOffset / 4, data.memoryOffset / 4 + 3)],
        [1.5, 2.5, 3.5],
        'a tensor lives at memoryOffset on the heap',
      );
    const made = backend.makeOutput([2], 'float32');
    expectInternal(
      t,
      isFunction(tf.engine(), 'makeTensorFromTensorInfo'),
      'engine().makeTensorFromTensorInfo',
      '@tensorflow/tfjs',
    );
    tf.engine()
      .makeTensorFromTensorInfo(made, backend as unknown as tf.KernelBackend)
      .dispose();
    x.dispose();
  },
);

test('@dagrejs/dagre: dist/dagre.min.js and its LEGAL.txt (inlined into the viz page, src/viz/html.ts)', (t) => {
  const dist = join(dirname(require.resolve('@dagrejs/dagre/package.json')), 'dist');
  for (const file of ['dagre.min.js', 'dagre.min.js.LEGAL.txt'])
    expectInternal(t, existsSync(join(dist, file)), `dist/${file}`, '@dagrejs/dagre');
});
