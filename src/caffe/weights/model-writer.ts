/**
 * Writes an fcn model directory (model.json, weights.bin, fcn.json; the layout model-io.ts
 * reads) without holding the weights: the topology comes from a model emitted with
 * uninitialised weights, and each weight is written straight into its place in weights.bin
 * by `fill`. `saveModel` would need every weight in tfjs memory and then a second, encoded
 * copy, which for VGG16 is twice 537 MB. Atomic, like every model directory fcn writes.
 */
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ModelInfo } from '../../runtime/info.js';
import { INFO_JSON, MODEL_DIR, MODEL_JSON, WEIGHTS_BIN } from '../../runtime/model-io.js';
import { writeDirAtomic } from '../../util/index.js';
import type { TargetWeight } from './targets.js';

/** Writes `model`'s topology and `weights` (in this order, each filled by `fill` at its byte offset) to `dir`. */
export async function writeModelDir(
  dir: string,
  model: tf.LayersModel,
  info: ModelInfo,
  weights: TargetWeight[],
  fill: (fd: number, base: number, weight: TargetWeight) => void,
): Promise<void> {
  await writeDirAtomic(
    dir,
    async (tmp) => {
      const fd = openSync(join(tmp, WEIGHTS_BIN), 'w');
      try {
        const total = weights.reduce((a, w) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
        ftruncateSync(fd, total);
        let base = 0;
        for (const w of weights) {
          fill(fd, base, w);
          base += 4 * w.shape.reduce((x, y) => x * y, 1);
        }
      } finally {
        closeSync(fd);
      }
      const json = {
        modelTopology: model.toJSON(null, false),
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [
          {
            paths: [`./${WEIGHTS_BIN}`],
            weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })),
          },
        ],
      };
      await writeFile(join(tmp, MODEL_JSON), JSON.stringify(json));
      await writeFile(join(tmp, INFO_JSON), JSON.stringify(info, null, 2) + '\n');
    },
    { kind: MODEL_DIR },
  );
}
