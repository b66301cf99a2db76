/**
 * The segmentation nets past the paper, each against its published numbers: U-Net's crops
 * (4/16/40/88, and 92 for the label) and 388×388 output at 572; DeepLab-LargeFOV's 41×41
 * scores at 321, receptive field 419 and 20.5M parameters; ResNet-50's last block with the
 * published receptive field 483, stride 32 and effective padding 239 (Araujo et al., Distill
 * 2019) and torchvision's 23,508,032 trunk parameters; the FCN-8s head on it, offsets computed.
 */
import test from 'ava';
import { compileFile } from '../src/compiler/compile.js';
import { buildReport } from '../src/compiler/analysis/report.js';

function report(file: string, input: number) {
  const c = compileFile(`nets/${file}`, { input: [input, input] });
  const errors = c.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  if (errors.length) throw new Error(errors.join('\n'));
  const r = buildReport(c.analysis!);
  const blob = (name: string) => r.blobs.find((b) => b.name === name)!;
  const crops = Object.fromEntries(r.crops.map((x) => [x.name, x.offset]));
  return { r, blob, crops };
}

/** Two 3×3 convolutions with biases. */
const double = (i: number, o: number) => 9 * i * o + o + 9 * o * o + o;

test('unet.fcn: 572 gives 388, the skips crop 4, 16, 40 and 88 and the label 92', (t) => {
  const { r, blob, crops } = report('unet.fcn', 572);
  t.deepEqual(blob('score').shape, [2, 388, 388]);
  t.deepEqual(crops, {
    'dec4.skipc': [4, 4],
    'dec3.skipc': [16, 16],
    'dec2.skipc': [40, 40],
    'dec1.skipc': [88, 88],
    labelc: [92, 92],
  });
  const encoder = double(1, 64) + double(64, 128) + double(128, 256) + double(256, 512) + double(512, 1024);
  const decoder = [1024, 512, 256, 128].reduce((a, i) => a + 4 * i * (i / 2) + i / 2 + double(i, i / 2), 0);
  t.is(r.params, encoder + decoder + 64 * 2 + 2);
  t.is(r.params, 31_030_658);
});

test('deeplab-largefov.fcn: 321 gives 41x41 scores with receptive field 419, resized back to 321', (t) => {
  const { r, blob } = report('deeplab-largefov.fcn', 321);
  const fc8 = blob('fc8');
  t.deepEqual(fc8.shape, [21, 41, 41]);
  t.deepEqual(
    [fc8.rf, fc8.stride],
    [
      [419, 419],
      [8, 8],
    ],
  );
  t.deepEqual(blob('fc8_interp').shape, [21, 321, 321]);
  t.is(Math.round(r.params! / 1e5) / 10, 20.5);
});

test('resnet50.fcn: the last block has the published receptive field 483, stride 32 and padding 239', (t) => {
  const { r, blob } = report('resnet50.fcn', 224);
  const last = blob('res5c.relu');
  t.deepEqual(last.shape, [2048, 7, 7]);
  t.deepEqual(
    [last.rf, last.stride, last.padding],
    [
      [483, 483],
      [32, 32],
      [239, 239],
    ],
  );
  // Learned parameters (convolutions and Scale's factor and shift) = torchvision's 25,557,032 less fc's 2,049,000.
  const learned = r.blobs.filter((b) => b.type !== 'batch_norm').reduce((a, b) => a + b.params!, 0);
  t.is(learned, 23_508_032);
  // Plus BatchNorm's Caffe blobs: running mean and variance per channel and one factor, for 53 layers.
  const bn = r.blobs.filter((b) => b.type === 'batch_norm');
  t.is(bn.length, 53);
  t.is(
    r.params! - learned,
    bn.reduce((a, b) => a + 2 * b.shape[0]! + 1, 0),
  );
});

test('voc-fcn8s-resnet50.fcn: the skips are aligned by computed offsets and the scores take the input size', (t) => {
  const { blob, crops } = report('voc-fcn8s-resnet50.fcn', 500);
  t.deepEqual(crops, { score_pool4c: [0, 0], score_pool3c: [0, 0] });
  t.deepEqual(blob('score').shape, [21, 500, 500]);
  t.deepEqual(blob('fuse_pool3').stride, [8, 8]);
});
