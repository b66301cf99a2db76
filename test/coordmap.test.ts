/**
 * The coordinate-map algebra: every check of Caffe's own test_coord_map.py listed in FCN.md,
 * one test each, with exact values, plus the reference VGG16 FCN crop offsets.
 */
import test from 'ava';
import { formatMap, inferCrops, relate, type CoordMap, type Related } from '../src/compiler/analysis/index.js';
import type { IRGraph } from '../src/compiler/ir/types.js';
import { IRBuilder } from './helpers/ir.js';
import { attachListing, pin } from './helpers/listing.js';
import { vocFcn } from './helpers/vgg.js';

type P = number | [number, number];

/** Caffe's coord_net_spec: data → conv → max pool (pool/pool) → deconv (kernel 2·dstride, stride dstride). */
function coordNet({ ks = 3 as P, stride = 1 as P, pad = 0 as P, pool = 2, dstride = 2 as P, dpad = 0 as P } = {}) {
  const b = new IRBuilder('coord');
  b.input('data', 1);
  b.input('aux', 1);
  b.layer('conv', 'conv', ['data'], { out: 10, kernel: ks, stride, pad });
  b.layer('pool', 'pool', ['conv'], { kernel: pool, stride: pool });
  const dk: P = typeof dstride === 'number' ? 2 * dstride : [2 * dstride[0], 2 * dstride[1]];
  b.layer('deconv', 'deconv', ['pool'], { out: 10, kernel: dk, stride: dstride, pad: dpad });
  return b;
}

const none = () => undefined;

/** Caffe's coord_map_from_to: `to = a·from + b` per axis, as plain numbers. */
function mapOf(ir: IRGraph, from: string, to: string): Array<{ a: number; b: number }> {
  const r = relate(ir, ir.byName.get(from)!, ir.byName.get(to)!, (id) => inferCrops(ir).offsets.get(id));
  if (r.kind !== 'related') throw new Error(`no map from ${from} to ${to}`);
  return r.map.map(({ a, b }) => ({ a: a.toNumber(), b: b.toNumber() }));
}

const same = (a: number, b: number) => [
  { a, b },
  { a, b },
];

test('conv → pool 2/2 → deconv k4 s2 maps back to the input with scale 1 and offset 0', (t) => {
  t.deepEqual(mapOf(coordNet().build(), 'deconv', 'data'), same(1, 0));
});

test('conv → pool 4/4 → deconv k8 s4 maps back with scale 1 and crop offset 1', (t) => {
  const ir = coordNet({ pool: 4, dstride: 4 }).build();
  t.deepEqual(mapOf(ir, 'deconv', 'data'), same(1, -1));
  const b = coordNet({ pool: 4, dstride: 4 });
  b.layer('crop', 'crop', ['deconv', 'data']);
  const crops = inferCrops(b.build());
  t.deepEqual(crops.crops[0]!.offset, [1, 1]);
  t.deepEqual(crops.diagnostics, []);
});

test('a ReLU or a 1x1 stride-1 conv after the chain changes nothing', (t) => {
  const b = coordNet();
  b.layer('relu', 'relu', ['deconv']);
  b.layer('conv1x1', 'conv', ['relu'], { out: 10, kernel: 1 });
  const ir = b.build();
  const base = mapOf(ir, 'deconv', 'data');
  t.deepEqual(mapOf(ir, 'relu', 'data'), base);
  t.deepEqual(mapOf(ir, 'conv1x1', 'data'), base);
});

test('padding p on the conv adds p to the crop offset', (t) => {
  for (const pad of [1, 3, 7, 10]) t.deepEqual(mapOf(coordNet({ pad }).build(), 'deconv', 'data'), same(1, -pad));
});

test('padding p on the deconv subtracts p from the crop offset', (t) => {
  for (const dpad of [1, 3, 7, 10]) t.deepEqual(mapOf(coordNet({ dpad }).build(), 'deconv', 'data'), same(1, dpad));
});

test('padding the conv and the deconv alike cancels out', (t) => {
  for (const pad of [1, 3, 7, 10])
    t.deepEqual(mapOf(coordNet({ pad, dpad: pad }).build(), 'deconv', 'data'), same(1, 0));
});

test('several inputs through identically configured layers map identically', (t) => {
  const b = coordNet();
  b.layer('conv_data', 'conv', ['data'], { out: 10, kernel: 5, stride: 2 });
  b.layer('conv_aux', 'conv', ['aux'], { out: 10, kernel: 5, stride: 2 });
  b.layer('both', 'sum', ['conv_data', 'conv_aux']);
  const ir = b.build();
  t.deepEqual(mapOf(ir, 'conv_data', 'data'), mapOf(ir, 'conv_aux', 'aux'));
  t.deepEqual(mapOf(ir, 'both', 'data'), mapOf(ir, 'conv_data', 'data'));
});

test('anisotropic kernels, strides and pads map each axis on its own', (t) => {
  const m3x3 = mapOf(coordNet({ ks: 3, stride: 1, pad: 0 }).build(), 'deconv', 'data');
  const m5x5 = mapOf(coordNet({ ks: 5, stride: 2, pad: 10 }).build(), 'deconv', 'data');
  const m3x5 = mapOf(coordNet({ ks: [3, 5], stride: [1, 2], pad: [0, 10] }).build(), 'deconv', 'data');
  t.deepEqual(m3x5[0], m3x3[0]);
  t.deepEqual(m3x5[1], m5x5[1]);
  t.deepEqual(m5x5[1], { a: 2, b: -10 });
});

test('cropping an already-cropped blob adds the offsets', (t) => {
  const b = coordNet({ pad: 5 });
  b.layer('crop', 'crop', ['deconv', 'data'], { offset: [2, 2] });
  b.layer('crop2', 'crop', ['crop', 'data']);
  const ir = b.build();
  t.deepEqual(mapOf(ir, 'deconv', 'data'), same(1, -5));
  t.deepEqual(mapOf(ir, 'crop', 'data'), same(1, -5 + 2));
  const crops = inferCrops(ir);
  t.deepEqual(
    crops.crops.map((c) => c.offset),
    [
      [2, 2],
      [3, 3],
    ],
  );
  // The first crop deliberately takes 2 of the 5 pixels, which the compiler points out.
  t.deepEqual(
    crops.diagnostics.map((d) => d.message),
    ["crop 'crop' has offset 2, but the inferred offset is 5"],
  );
});

test('an fc layer breaks the spatial chain: relating across it fails, and so does a crop', (t) => {
  const b = coordNet();
  b.layer('ip', 'fc', ['deconv'], { out: 10 });
  b.layer('relu', 'relu', ['ip']);
  b.layer('crop', 'crop', ['relu', 'data']);
  const ir = attachListing(b.build());
  t.is(relate(ir, ir.byName.get('relu')!, ir.byName.get('data')!, none).kind, 'unrelated');
  const crops = inferCrops(ir);
  t.is(crops.crops[0]!.failure, 'no-spatial-path');
  t.deepEqual(crops.diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'crop-no-spatial-path',
      message: "crop 'crop' cannot align 'relu' to 'data': no spatial path connects them",
      at: 'test.fcn:9:3',
      notes: ["'relu' reaches back to relu and ip; 'ip' (fc) has no spatial map", "'data' reaches back to data"],
    },
  ]);
});

test('pool 3/3 then deconv x2 is a scale mismatch', (t) => {
  const b = coordNet({ pool: 3, dstride: 2 });
  b.layer('crop', 'crop', ['deconv', 'data']);
  const crops = inferCrops(attachListing(b.build()));
  t.is(crops.crops[0]!.offset, undefined);
  t.deepEqual(crops.diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'crop-scale-mismatch',
      message:
        "crop 'crop' cannot align 'deconv' to 'data': scale mismatch, one pixel of 'deconv' spans 1.5 pixels of 'data' (it must span exactly 1)",
      at: 'test.fcn:7:3',
      notes: [
        "'deconv' maps to 'data' through deconv (deconv 4x4/2) → pool (pool 3x3/3) → conv (conv 3x3/1) → data: data = 1.5·deconv − 0.25",
        "'data' is the common ancestor",
      ],
    },
  ]);
});

test('a deconv pad that makes the output smaller than the reference gives a negative crop', (t) => {
  const b = coordNet({ dpad: 10 });
  b.layer('crop', 'crop', ['deconv', 'data']);
  const crops = inferCrops(attachListing(b.build()));
  t.deepEqual(crops.diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'crop-negative-offset',
      message:
        "crop 'crop' cannot align 'deconv' to 'data': the offset would be -10, and an offset must not be negative",
      at: 'test.fcn:7:3',
      notes: [
        "'deconv' maps to 'data' through deconv (deconv 4x4/2 pad 10) → pool (pool 2x2/2) → conv (conv 3x3/1) → data: data = deconv + 10",
        "'data' is the common ancestor",
      ],
    },
  ]);
});

test('a half-pixel shift is a fractional offset, computed exactly', (t) => {
  const b = new IRBuilder('frac');
  b.input('data');
  b.layer('conv', 'conv', ['data'], { out: 4, kernel: [2, 3], pad: [1, 1] });
  b.layer('crop', 'crop', ['conv', 'data']);
  const crops = inferCrops(attachListing(b.build()));
  t.deepEqual(crops.diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'crop-fractional-offset',
      message:
        "crop 'crop' cannot align 'conv' to 'data': the offset would be [0.5, 0], and an offset must be a whole number",
      at: 'test.fcn:4:3',
      notes: [
        "'conv' maps to 'data' through conv (conv 2x3/1 pad 1) → data: data = conv − 0.5 (height), data = conv (width)",
        "'data' is the common ancestor",
      ],
    },
  ]);
});

test('an explicit offset equal to the inferred one is silent; a different one is a warning showing both', (t) => {
  const b = coordNet({ pool: 4, dstride: 4 });
  b.layer('good', 'crop', ['deconv', 'data'], { offset: [1, 1] });
  b.layer('bad', 'crop', ['deconv', 'data'], { offset: [3, 1] });
  const crops = inferCrops(attachListing(b.build()));
  t.deepEqual(
    crops.crops.map((c) => [c.offset, c.inferred]),
    [
      [
        [1, 1],
        [1, 1],
      ],
      [
        [3, 1],
        [1, 1],
      ],
    ],
  );
  t.deepEqual(crops.diagnostics.map(pin), [
    {
      severity: 'warning',
      code: 'crop-offset-mismatch',
      message: "crop 'bad' has offset [3, 1], but the inferred offset is 1",
      at: 'test.fcn:8:3',
      help: "remove 'offset' to use the inferred offset",
      notes: [
        "'deconv' maps to 'data' through deconv (deconv 8x8/4) → pool (pool 4x4/4) → conv (conv 3x3/1) → data: data = deconv − 1",
        "'data' is the common ancestor",
      ],
    },
  ]);
});

test('an explicit offset across an fc layer is kept but cannot be checked', (t) => {
  const b = coordNet();
  b.layer('ip', 'fc', ['deconv'], { out: 10 });
  b.layer('crop', 'crop', ['ip', 'data'], { offset: [0, 0] });
  const crops = inferCrops(attachListing(b.build()));
  t.deepEqual(crops.crops[0]!.offset, [0, 0]);
  t.deepEqual(crops.diagnostics.map(pin), [
    {
      severity: 'warning',
      code: 'crop-offset-unchecked',
      message: "crop 'crop' has offset 0, which cannot be checked: no spatial path connects 'ip' and 'data'",
      at: 'test.fcn:8:3',
      notes: ["'ip' reaches back to ip; 'ip' (fc) has no spatial map", "'data' reaches back to data"],
    },
  ]);
});

test('a crop behind a failed crop is not reported twice', (t) => {
  const b = coordNet({ pool: 3, dstride: 2 });
  b.layer('crop', 'crop', ['deconv', 'data']);
  b.layer('crop2', 'crop', ['crop', 'data']);
  const crops = inferCrops(b.build());
  t.deepEqual(
    crops.diagnostics.map((d) => d.code),
    ['crop-scale-mismatch'],
  );
  t.is(crops.crops[1]!.failure, 'no-spatial-path');
});

const offsets = (ir: IRGraph) =>
  Object.fromEntries(inferCrops(ir).crops.map((c) => [ir.nodes[c.node]!.name, c.offset]));

test('reference VGG16 FCN-32s (pad 100) crops by 19', (t) => {
  t.deepEqual(offsets(vocFcn('32s')), { score: [19, 19] });
});

test('reference VGG16 FCN-16s crops by 5 (pool4 skip) and 27 (final)', (t) => {
  t.deepEqual(offsets(vocFcn('16s')), { score_pool4c: [5, 5], score: [27, 27] });
});

test('reference VGG16 FCN-8s crops by 5, 9 and 31', (t) => {
  const ir = vocFcn('8s');
  t.deepEqual(offsets(ir), { score_pool4c: [5, 5], score_pool3c: [9, 9], score: [31, 31] });
  t.deepEqual(inferCrops(ir).diagnostics, []);
});

test('the maps behind FCN-8s are exact: pool5 sits at 32·x − 83.5 in data, upscore2 at 16·x − 11.5', (t) => {
  const ir = vocFcn('8s');
  const show = (from: string) => {
    const r = relate(ir, ir.byName.get(from)!, ir.byName.get('data')!, none) as Related;
    return formatMap('data', from, r.map as CoordMap);
  };
  t.is(show('vgg.pool5'), 'data = 32·vgg.pool5 − 83.5');
  t.is(show('vgg.pool3'), 'data = 8·vgg.pool3 − 95.5');
  t.is(show('upscore2'), 'data = 16·upscore2 − 11.5');
  t.is(show('upscore_pool4'), 'data = 8·upscore_pool4 − 23.5');
});

test('the skip crop relates through the nearest common ancestor, vgg.pool4', (t) => {
  const ir = vocFcn('8s');
  const crop = inferCrops(ir).crops.find((c) => ir.nodes[c.node]!.name === 'score_pool4c')!;
  const r = crop.relation as Related;
  t.is(ir.nodes[r.ancestor]!.name, 'vgg.pool4');
  t.deepEqual(
    r.from.nodes.map((id) => ir.nodes[id]!.name),
    ['score_pool4', 'vgg.pool4'],
  );
  t.is(r.to.nodes.length, 16);
  t.is(ir.nodes[r.to.nodes[0]!]!.name, 'upscore2');
});
