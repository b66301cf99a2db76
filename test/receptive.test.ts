/**
 * Receptive field, effective stride and effective padding (Araujo et al., Distill 2019),
 * with the published VGG16 numbers and the dilation/deconvolution extension.
 */
import test from 'ava';
import {
  analyze,
  fieldOf,
  inferCrops,
  receptiveFields,
  relate,
  type Analysis,
  type Related,
} from '../src/compiler/analysis/index.js';
import { IRBuilder } from './helpers/ir.js';
import { vgg16, vocFcn } from './helpers/vgg.js';

/** [rf, stride, padding] per axis as strings (exact rationals print as decimals or fractions). */
function rsp(a: Analysis, blob: string, input?: string) {
  const f = fieldOf(a, blob, input);
  return f?.map((x) => [String(x.rf), String(x.stride), String(x.padding)]);
}

/** [rf, stride, padding] of several blobs, by name. */
function table(a: Analysis, names: string[]) {
  return Object.fromEntries(names.map((n) => [n, rsp(a, n)]));
}

const both = (rf: string, stride: string, padding: string) => [
  [rf, stride, padding],
  [rf, stride, padding],
];

test('plain VGG16: pool5 has RF 212, stride 32, padding 90; pool4 100, 16, 42', (t) => {
  const a = analyze(vgg16());
  t.deepEqual(rsp(a, 'pool5'), both('212', '32', '90'));
  t.deepEqual(rsp(a, 'pool4'), both('100', '16', '42'));
});

test('plain VGG16: the other stages and fc7', (t) => {
  t.deepEqual(table(analyze(vgg16()), ['conv1_1', 'pool1', 'pool2', 'pool3', 'fc6', 'fc7']), {
    conv1_1: both('3', '1', '1'),
    pool1: both('6', '2', '2'),
    pool2: both('16', '4', '6'),
    pool3: both('44', '8', '18'),
    fc6: both('404', '32', '90'),
    fc7: both('404', '32', '90'),
  });
});

test('the FCN (conv1_1 pad 100): vgg.pool5 keeps RF 212 and stride 32, its padding becomes 189', (t) => {
  const a = analyze(vocFcn('8s'));
  t.deepEqual(rsp(a, 'vgg.pool5'), both('212', '32', '189'));
  t.deepEqual(rsp(a, 'vgg.pool4'), both('100', '16', '141'));
});

test('FCN-8s: deconvolutions divide the stride; the final crop brings the output to stride 1', (t) => {
  const names = ['upscore2', 'score_pool4c', 'fuse_pool4', 'upscore_pool4', 'upscore8', 'score'];
  t.deepEqual(table(analyze(vocFcn('8s')), names), {
    upscore2: both('452', '16', '237'),
    score_pool4c: both('100', '16', '61'),
    fuse_pool4: both('452', '16', '237'),
    upscore_pool4: both('476', '8', '261'),
    upscore8: both('491', '1', '276'),
    score: both('491', '1', '245'),
  });
});

test("a blob's RF centre equals its coordinate map's shift, for every blob of FCN-8s", (t) => {
  const a = analyze(vocFcn('8s'));
  const ir = a.ir;
  const data = ir.byName.get('data')!;
  const offsets = inferCrops(ir).offsets;
  let checked = 0;
  for (const node of ir.nodes) {
    const f = a.fields[node.id]!.get(data);
    if (!f) continue;
    const r = relate(ir, node.id, data, (id) => offsets.get(id)) as Related;
    f.forEach((axis, i) => {
      // Unit 0 covers −P … −P + r − 1, so its centre is (r − 1)/2 − P.
      t.true(axis.rf.sub(1).div(2).sub(axis.padding).equals(r.map[i]!.b), `${node.name} axis ${i}`);
      t.true(axis.stride.equals(r.map[i]!.a));
    });
    checked++;
  }
  t.is(checked, 49);
});

test('dilation: a 3x3 conv with dilation 2 sees 5 pixels; anisotropic axes stay apart', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('a', 'conv', ['data'], { out: 4, kernel: 3, dilation: [2, 1], pad: [2, 0] });
  b.layer('b', 'pool', ['a'], { kernel: [2, 3], stride: [2, 3] });
  b.layer('c', 'conv', ['b'], { out: 4, kernel: 3, dilation: 2 });
  const a = analyze(b.build());
  t.deepEqual(rsp(a, 'a'), [
    ['5', '1', '2'],
    ['3', '1', '0'],
  ]);
  t.deepEqual(rsp(a, 'b'), [
    ['6', '2', '2'],
    ['5', '3', '0'],
  ]);
  t.deepEqual(rsp(a, 'c'), [
    ['14', '2', '2'],
    ['17', '3', '0'],
  ]);
});

test('deconvolution: stride 1/s, a fractional stride below the input resolution', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('pool', 'pool', ['data'], { kernel: 2, stride: 2 });
  b.layer('up', 'deconv', ['pool'], { out: 3, kernel: 4, stride: 2 });
  b.layer('up2', 'deconv', ['up'], { out: 3, kernel: 4, stride: 2, pad: 1 });
  const a = analyze(b.build());
  t.deepEqual(rsp(a, 'up'), both('5', '1', '3'));
  t.deepEqual(rsp(a, 'up2'), both('6.5', '0.5', '4'));
});

test('crop by o moves the region: padding − o·stride', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('a', 'conv', ['data'], { out: 3, kernel: 3, pad: 4 });
  b.layer('c', 'crop', ['a', 'data']);
  const a = analyze(b.build());
  t.deepEqual(rsp(a, 'a'), both('3', '1', '4'));
  t.deepEqual(rsp(a, 'c'), both('3', '1', '1'));
});

test('a sum takes the union of its inputs regions; fc breaks the chain', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('wide', 'conv', ['data'], { out: 3, kernel: 5, pad: 2 });
  b.layer('shifted', 'conv', ['data'], { out: 3, kernel: 3, pad: 0 });
  b.layer('s', 'sum', ['wide', 'shifted']);
  b.layer('ip', 'fc', ['s'], { out: 10 });
  const a = analyze(b.build());
  // wide covers −2 … 2, shifted 0 … 2: the union is −2 … 2.
  t.deepEqual(rsp(a, 's'), both('5', '1', '2'));
  t.is(rsp(a, 'ip'), undefined);
});

test('fields are kept relative to each input a blob depends on', (t) => {
  const b = new IRBuilder();
  b.input('rgb');
  b.input('hha');
  b.layer('a', 'conv', ['rgb'], { out: 3, kernel: 3, stride: 2 });
  b.layer('h', 'conv', ['hha'], { out: 3, kernel: 5, stride: 2, pad: 1 });
  b.layer('s', 'sum', ['a', 'h']);
  const fields = receptiveFields(b.build(), new Map());
  const a = analyze(b.build());
  t.is(fields[4]!.size, 2);
  t.deepEqual(rsp(a, 's', 'rgb'), both('3', '2', '0'));
  t.deepEqual(rsp(a, 's', 'hha'), both('5', '2', '1'));
  t.is(rsp(a, 'a', 'hha'), undefined);
});
