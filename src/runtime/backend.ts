/**
 * Chooses the TensorFlow.js backend: tfjs-node-gpu, then tfjs-node, then native (fcn's oneDNN
 * addon, built at install when libdnnl-dev is present), then wasm, then cpu,
 * unless `--backend` or FCN_BACKEND names one. Each candidate is tried for real (imported and
 * initialised), and the report says why the ones before the chosen one did not run.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../diagnostics/index.js';
import { registerWasmKernels } from './kernels/index.js';
import { hookWasmAllocator } from './wasm-allocator.js';
import type { HeapBackend } from './wasm-heap.js';
import { loadAddon, registerNativeBackend } from './native/index.js';

/** The backends fcn knows, in order of preference. */
export const BACKENDS = ['node-gpu', 'node', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The npm package that provides each backend. */
export const BACKEND_PACKAGES: Record<BackendName, string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  native: 'fcn native addon (oneDNN, libdnnl-dev)',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

/** What happened when one backend was tried. */
export interface BackendAttempt {
  name: BackendName;
  /** Whether its package resolves from here. */
  installed: boolean;
  /** Whether it initialised; undefined when it was not tried (a preferred one ran first). */
  working?: boolean;
  /** Why it was not used, or a note on how it runs. */
  reason: string;
}

export interface BackendReport {
  chosen: BackendName;
  /** The tfjs backend name behind it ('tensorflow' for both node backends). */
  tfName: string;
  attempts: BackendAttempt[];
}

const require = createRequire(import.meta.url);

function isInstalled(name: BackendName): boolean {
  if (name === 'native') return loadAddon().addon !== undefined;
  const pkg = BACKEND_PACKAGES[name];
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 200);
}

/** The wasm binaries ship inside the package; pointing at them by file path means nothing is downloaded. */
export function wasmDistDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/';
}

async function tryBackend(name: BackendName): Promise<string> {
  switch (name) {
    case 'node-gpu':
    case 'node': {
      // A variable specifier keeps TypeScript from requiring the optional package's types.
      const pkg = BACKEND_PACKAGES[name];
      await import(pkg);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
      return 'tensorflow';
    }
    case 'native':
      registerNativeBackend();
      if (!(await tf.setBackend('native'))) throw new Error('the native backend did not initialise');
      return 'native';
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(wasmDistDir());
      registerWasmKernels();
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
      hookWasmAllocator(tf.backend() as unknown as HeapBackend);
      return 'wasm';
    }
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
      return 'cpu';
  }
}

/** Why a backend is not installed, with the fix for the native one. */
function notInstalled(name: BackendName): string {
  if (name === 'native') return `the addon is ${loadAddon().reason ?? 'missing'}`;
  return `${BACKEND_PACKAGES[name]} is not installed`;
}

/** Parses a backend name from a flag or FCN_BACKEND; a misuse error for an unknown one. */
export function parseBackend(text: string, flag = '--backend'): BackendName {
  const name = text
    .trim()
    .toLowerCase()
    .replace(/^tfjs-/, '');
  const alias: Record<string, BackendName> = {
    gpu: 'node-gpu',
    tensorflow: 'node',
    'node-gpu': 'node-gpu',
    node: 'node',
    native: 'native',
    onednn: 'native',
    wasm: 'wasm',
    cpu: 'cpu',
  };
  const found = alias[name];
  if (!found) throw new UserError(`${flag} expects one of ${BACKENDS.join(', ')}, got '${text}'`, 2);
  return found;
}

let current: BackendReport | undefined;

/**
 * Initialises a backend. With `preferred` (or FCN_BACKEND) only that one is tried, and its
 * failure is a user error; otherwise the first that works in BACKENDS order wins.
 */
export async function selectBackend(preferred?: string): Promise<BackendReport> {
  const wanted = preferred ?? process.env['FCN_BACKEND'];
  const only = wanted ? parseBackend(wanted, preferred ? '--backend' : 'FCN_BACKEND') : undefined;
  if (current && (!only || current.chosen === only)) return current;
  let found: BackendReport | undefined;
  const attempts: BackendAttempt[] = BACKENDS.map((name) => ({
    name,
    installed: isInstalled(name),
    reason: '',
  }));
  for (const attempt of attempts) {
    if (only && attempt.name !== only) {
      attempt.reason = `not tried: ${only} was asked for`;
      continue;
    }
    if (found) {
      attempt.reason = `not tried: ${found.chosen} came first`;
      continue;
    }
    if (!attempt.installed) {
      attempt.working = false;
      attempt.reason = notInstalled(attempt.name);
      continue;
    }
    try {
      const tfName = await tryBackend(attempt.name);
      attempt.working = true;
      attempt.reason = describe(attempt.name);
      found = { chosen: attempt.name, tfName, attempts };
    } catch (e) {
      attempt.working = false;
      attempt.reason = `failed to start: ${message(e)}`;
    }
  }
  if (!found) {
    const why = attempts.find((a) => a.name === only)?.reason ?? 'no backend started';
    throw new UserError(`backend ${only ?? '(any)'} is not usable: ${why}`, 1);
  }
  current = found;
  return found;
}

function describe(name: BackendName): string {
  switch (name) {
    case 'node-gpu':
      return 'libtensorflow with CUDA';
    case 'node':
      return 'libtensorflow on the CPU';
    case 'native': {
      const { onednn, threads, isa } = loadAddon().addon!.info();
      return `oneDNN ${onednn} (${isa}) on ${threads} threads; other kernels as on cpu`;
    }
    case 'wasm':
      return 'XNNPack with SIMD, single-threaded in Node; fcn registers the training kernels wasm lacks';
    case 'cpu':
      return 'plain JavaScript kernels (about 40x slower than wasm)';
  }
}

/** One line for verbose output: the backend in use and why the better ones were skipped. */
export function backendSummary(report: BackendReport): string {
  const skipped = report.attempts
    .slice(0, BACKENDS.indexOf(report.chosen))
    .filter((a) => !a.reason.startsWith('not tried'))
    .map((a) => `${a.name}: ${a.reason}`);
  return `backend: ${report.chosen}${skipped.length ? ` (${skipped.join('; ')})` : ''}`;
}

/** How to get the GPU path, for `fcn backends`. */
export const GPU_HINT =
  'For the GPU path, on a machine with CUDA and cuDNN run `npm install @tensorflow/tfjs-node-gpu` ' +
  '(an optional dependency: it is skipped quietly where its libtensorflow download fails).';

/** One row of `fcn backends`. */
export interface BackendProbe {
  name: BackendName;
  package: string;
  installed: boolean;
  working: boolean;
  reason: string;
}

/** Tries every backend (not only up to the first that works), then makes the usual choice. */
export async function probeBackends(): Promise<{ chosen: BackendName; backends: BackendProbe[] }> {
  const backends: BackendProbe[] = [];
  for (const name of BACKENDS) {
    const pkg = BACKEND_PACKAGES[name];
    const row: BackendProbe = { name, package: pkg, installed: isInstalled(name), working: false, reason: '' };
    if (!row.installed) row.reason = name === 'native' ? notInstalled(name) : 'not installed';
    else {
      try {
        await tryBackend(name);
        row.working = true;
        row.reason = describe(name);
      } catch (e) {
        row.reason = `failed to start: ${message(e)}`;
      }
    }
    backends.push(row);
  }
  current = undefined;
  const { chosen } = await selectBackend();
  return { chosen, backends };
}
