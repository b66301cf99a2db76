/**
 * Which input sides a net takes, read off the shape analysis's survival test: the runs of
 * working sides near a size, the largest working side up to one, the nearest one; and the
 * one check that training, prediction and evaluation run before feeding a net.
 */
import test from 'ava';
import { fileURLToPath } from 'node:url';
import {
  largestInputAtMost,
  nearestInput,
  smallestInputAtLeast,
  workingRunsNear,
  formatRun,
} from '../src/compiler/analysis/index.js';
import { compileFile } from '../src/compiler/compile.js';
import { UserError } from '../src/diagnostics/index.js';
import { emitNet, NetSizes, selectBackend } from '../src/runtime/index.js';

const net = (name: string) => fileURLToPath(new URL(`../nets/${name}`, import.meta.url));

function analysis(file: string) {
  const { analysis } = compileFile(file);
  if (!analysis) throw new Error(`${file} did not compile`);
  return { ir: analysis.ir, offsets: analysis.crops.offsets };
}

test.before(async () => {
  await selectBackend('cpu');
});

test('tiny-fcn8s-padded takes sides 32k+19 … 32k+34: runs, largest, smallest and nearest side', (t) => {
  const { ir, offsets } = analysis(net('tiny-fcn8s-padded.fcn'));
  t.deepEqual(workingRunsNear(ir, 0, offsets, 70), [
    { from: 51, to: 66 },
    { from: 83, to: 98 },
  ]);
  t.deepEqual(workingRunsNear(ir, 0, offsets, 8), [{ from: 51, to: 66 }]);
  t.deepEqual(workingRunsNear(ir, 1, offsets, 500), [{ from: 499, to: 514 }]);
  t.is(largestInputAtMost(ir, 0, offsets, 500), 500);
  t.is(largestInputAtMost(ir, 0, offsets, 498), 482);
  t.is(largestInputAtMost(ir, 0, offsets, 50), null);
  t.is(smallestInputAtLeast(ir, 0, offsets, 67), 83);
  t.is(nearestInput(ir, 0, offsets, 70), 66);
  t.is(nearestInput(ir, 0, offsets, 75), 83, 'nearer above');
  t.is(nearestInput(ir, 0, offsets, 8), 51);
  t.is(formatRun({ from: 51, to: 66 }), '51–66');
});

test('voc-fcn8s (pad 100) takes every side: one open run', (t) => {
  const { ir, offsets } = analysis(net('voc-fcn8s.fcn'));
  const runs = workingRunsNear(ir, 0, offsets, 5);
  t.deepEqual(runs, [{ from: 1, to: null }]);
  t.is(formatRun(runs[0]!), '1 and up');
});

test('a model carries its net: the check names the subject, the runs, the nearest size and gives the compiler diagnostic', (t) => {
  const { info, model } = emitNet(net('tiny-fcn8s-padded.fcn'), { init: false });
  model.dispose();
  t.deepEqual(Object.keys(info.sources!), [net('tiny-fcn8s-padded.fcn')]);
  // The copy is what is compiled: the file on disk need not exist any more.
  const moved = {
    ...info,
    source: '/nowhere/tiny-fcn8s-padded.fcn',
    sources: { '/nowhere/tiny-fcn8s-padded.fcn': info.sources![info.source]! },
  };
  const sizes = NetSizes.fromModel(moved)!;
  t.truthy(sizes);
  t.notThrows(() => sizes.check([64, 64], 'a.png'));
  const err = t.throws(() => sizes.check([75, 100], 'a.png', { hint: 'or else' }), { instanceOf: UserError });
  t.is(
    err.message,
    'net tiny_fcn8s_padded cannot take a.png (75x100): near that size it takes heights 51–66 or 83–98 and widths 83–98 or 115–130; ' +
      'the nearest size that works is 83x98 (or else)',
  );
  t.deepEqual(
    err.diagnostics.map((d) => [d.code, d.span?.source.name]),
    [['crop-out-of-bounds', '/nowhere/tiny-fcn8s-padded.fcn']],
  );
  t.is(err.diagnostics[0]!.help, 'the next larger input that works is 83x115');
  t.is(NetSizes.fromModel({ ...info, source: '/nowhere/x.fcn', sources: undefined }), undefined);
});

test('a model built for a fixed size takes only that size', (t) => {
  const { info, model } = emitNet(net('tiny-fcn8s-padded.fcn'), { init: false, input: [64, 64] });
  model.dispose();
  const sizes = NetSizes.fromModel(info)!;
  t.notThrows(() => sizes.check([64, 64], 'a.png'));
  const err = t.throws(() => sizes.check([66, 66], 'a.png'), { instanceOf: UserError });
  t.is(
    err.message,
    'net tiny_fcn8s_padded cannot take a.png (66x66): the model was built for 64x64 inputs only (recompile it without --input)',
  );
});
