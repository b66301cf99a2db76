/**
 * Writing the PyTorch package: DIR/model.py, DIR/weights.npz, DIR/train.py and the marker
 * DIR/fcn-export.json, as one new version of DIR (src/util/versioned-dir.ts), so that a
 * reader never sees half of it. An existing DIR is replaced only if fcn-export.json marks it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkReplaceable, writeDirAtomic, type OutputKind } from '../../util/index.js';
import type { ExportNet } from '../net.js';
import { fcnVersion, parameterCount, type Written } from '../onnx/write.js';
import { pytorchModel } from './model-py.js';
import { encodeNpz } from './npz.js';
import { TRAIN_PY } from './train-py.js';

export const PYTORCH_MARKER = 'fcn-export.json';

/** A PyTorch package directory, marked by its fcn-export.json. */
export const PYTORCH_DIR: OutputKind = {
  what: 'a PyTorch package fcn exported',
  marker: PYTORCH_MARKER,
  test: (text) => (JSON.parse(text) as { format?: unknown }).format === 'fcn-pytorch',
};

/** Refuses an output directory that fcn export did not write (unless `force`). */
export function checkPytorchOutput(path: string, force: boolean): void {
  checkReplaceable(path, PYTORCH_DIR, { force, flag: '-o', forceFlag: true });
}

/** Writes `net` as a PyTorch package in `dir`. */
export async function writePytorch(dir: string, net: ExportNet, force: boolean): Promise<Written> {
  const version = fcnVersion();
  const { source, params } = pytorchModel(net, version);
  const arrays = params.map((p) => ({ key: p.key, shape: p.shape, data: p.data }));
  const files = ['model.py', 'weights.npz', 'train.py', PYTORCH_MARKER];
  await writeDirAtomic(
    dir,
    async (tmp) => {
      await writeFile(join(tmp, 'model.py'), source);
      await writeFile(join(tmp, 'weights.npz'), encodeNpz(arrays));
      await writeFile(join(tmp, 'train.py'), TRAIN_PY);
      const marker = { format: 'fcn-pytorch', version, net: net.info.net, from: net.from };
      await writeFile(join(tmp, PYTORCH_MARKER), JSON.stringify(marker, null, 2) + '\n');
    },
    { kind: PYTORCH_DIR, force },
  );
  return {
    format: 'pytorch',
    files: files.map((f) => join(dir, f)),
    net: net.info.net,
    parameters: parameterCount(net),
    outputs: net.info.outputs,
  };
}
