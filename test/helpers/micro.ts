/** The training tests' micro net and dataset: small enough to train in milliseconds. */
import { fileURLToPath } from 'node:url';
import { SYNTH_DEFAULTS, writeSynthDataset } from '../../src/data/index.js';

/** test/fixtures/train/micro.fcn. */
export const MICRO_NET = fileURLToPath(new URL('../fixtures/train/micro.fcn', import.meta.url));

/** Writes the micro dataset to `dir`: 8 synthetic images of 16x16, 3 classes, 6 train and 2 val. */
export async function writeMicroData(dir: string): Promise<void> {
  await writeSynthDataset(dir, {
    ...SYNTH_DEFAULTS,
    count: 8,
    size: [16, 16],
    classes: 3,
    seed: 11,
    valFraction: 0.25,
  });
}
