/**
 * `fcn synth --out DIR`: writes a synthetic segmentation dataset in the PASCAL VOC layout
 * (see src/data/synth.ts for what is in it). Same seed, same bytes.
 */
import type { Command } from 'commander';
import { parseInteger, parseNumber, parseSize } from '../errors.js';
import { startProgress } from '../progress.js';
import { SYNTH_DEFAULTS } from '../../data/synth.js';

interface SynthFlags {
  out: string;
  count: string;
  size: string;
  classes: string;
  seed: string;
  valFraction: string;
  force?: boolean;
}

/** Registers `fcn synth`. */
export function register(program: Command): void {
  const d = SYNTH_DEFAULTS;
  program
    .command('synth')
    .description('write a synthetic segmentation dataset (shapes on textured backgrounds) in the PASCAL VOC layout')
    .requiredOption('--out <dir>', 'output directory (an earlier fcn synth output there is replaced)')
    .option('--force', 'replace whatever is at --out (by default only an earlier fcn synth output is replaced)')
    .option('--count <n>', 'number of images, train + val', String(d.count))
    .option('--size <s>', 'image size, S or HxW', d.size[0] === d.size[1] ? String(d.size[0]) : d.size.join('x'))
    .option('--classes <k>', 'classes including background (class k ≥ 1 is a shape kind)', String(d.classes))
    .option('--seed <x>', 'random seed: the same seed writes byte-identical files', String(d.seed))
    .option('--val-fraction <f>', 'fraction of the images in the val split', String(d.valFraction))
    .action(async (flags: SynthFlags) => {
      const { SYNTH_DATASET, writeSynthDataset } = await import('../../data/synth.js');
      const { checkReplaceable } = await import('../../util/index.js');
      const force = flags.force ?? false;
      checkReplaceable(flags.out, SYNTH_DATASET, { force, flag: '--out', forceFlag: true });
      const options = {
        ...d,
        count: parseInteger(flags.count, '--count', 1),
        size: parseSize(flags.size, '--size'),
        classes: parseInteger(flags.classes, '--classes', 2),
        seed: parseInteger(flags.seed, '--seed'),
        valFraction: parseNumber(flags.valFraction, '--val-fraction'),
      };
      const progress = await startProgress(options.count, 'images');
      let manifest;
      try {
        manifest = await writeSynthDataset(flags.out, options, (done) => progress.update(done), { force });
      } finally {
        progress.stop();
      }
      const [h, w] = manifest.size;
      process.stdout.write(
        `wrote ${manifest.count} images (${manifest.train} train, ${manifest.val} val), ${h}x${w}, ` +
          `${manifest.classes} classes (${manifest.names.join(', ')}), seed ${manifest.seed} to ${flags.out}\n`,
      );
    });
}
