/**
 * The native backend for tests: a test that needs it is skipped (with the reason) on a machine
 * where the addon was not built; CI installs libdnnl-dev, so there it always runs.
 */
import test from 'ava';
import { selectBackend } from '../../src/runtime/backend.js';
import { loadAddon } from '../../src/runtime/native/index.js';

/** Why native tests cannot run here, or undefined when they can. */
export const nativeMissing: string | undefined = loadAddon().reason;

/** `test`, or `test.skip` when the addon is missing. */
export const nativeTest = nativeMissing ? test.skip : test;

/** Starts the native backend (registering it and the cpu backend's kernels under its name). */
export async function useNative(): Promise<void> {
  if (!nativeMissing) await selectBackend('native');
}
