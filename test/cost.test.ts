/**
 * Parameters, FLOPs (a multiply-add counts 2) and activation memory.
 */
import test from 'ava';
import { analyze, type Analysis } from '../src/compiler/analysis/index.js';
import { IRBuilder } from './helpers/ir.js';
import { vgg16, vocFcn } from './helpers/vgg.js';

const costOf = (a: Analysis, name: string) => a.cost.nodes[a.ir.byName.get(name)!]!;

test('the VGG16 conv layers cost 30.7 GFLOPs at 224x224: exactly 2 × 15,346,630,656 multiply-adds', (t) => {
  const a = analyze(vgg16(), { input: [224, 224] });
  const convs = a.ir.nodes.filter((n) => n.op === 'conv' && n.name.startsWith('conv'));
  t.is(convs.length, 13);
  const flops = convs.reduce((s, n) => s + a.cost.nodes[n.id]!.flops!, 0);
  t.is(flops, 30_693_261_312);
  t.true(flops >= 30.69e9 && flops <= 30.72e9);
  // conv1_2: 224·224 outputs × 64 × (64·3·3) multiply-adds × 2.
  t.is(costOf(a, 'conv1_2').flops, 2 * 224 * 224 * 64 * 64 * 9);
});

test('VGG16 (fc6/fc7 as convolutions) has 134,260,544 parameters; pooling and ReLU cost nothing', (t) => {
  const a = analyze(vgg16(), { input: [224, 224] });
  t.is(a.cost.total.params, 134_260_544);
  t.is(costOf(a, 'fc6').params, 7 * 7 * 512 * 4096 + 4096);
  t.is(costOf(a, 'fc6').flops, 2 * 7 * 7 * 512 * 4096);
  t.deepEqual(costOf(a, 'pool5'), { params: 0, flops: 0, memory: 4 * 512 * 7 * 7 });
  t.deepEqual(costOf(a, 'relu1_1'), { params: 0, flops: 0, memory: 4 * 64 * 224 * 224 });
});

test('FCN-8s: 134,489,759 parameters and 363.06 GFLOPs at 500x500', (t) => {
  const a = analyze(vocFcn('8s'), { input: [500, 500] });
  t.is(a.cost.total.params, 134_489_759);
  t.is(a.cost.total.flops, 363_058_068_096);
  // upscore8: a bias-free 21→21 deconv with a 16x16 kernel, run once per input pixel (70x70).
  t.deepEqual(costOf(a, 'upscore8'), {
    params: 21 * 21 * 256,
    flops: 2 * 21 * 21 * 256 * 70 * 70,
    memory: 4 * 21 * 568 * 568,
  });
  t.deepEqual(costOf(a, 'loss'), { params: 0, flops: 0, memory: 4 });
});

test('without an input size, parameters are known and FLOPs and memory are not', (t) => {
  const a = analyze(vocFcn('8s'));
  t.is(a.cost.total.params, 134_489_759);
  t.is(a.cost.total.flops, null);
  t.is(a.cost.total.memory, null);
});

test('grouped convolution divides weights and FLOPs by the group count', (t) => {
  const b = new IRBuilder();
  b.input('data', 8);
  b.layer('g', 'conv', ['data'], { out: 16, kernel: 3, group: 2, pad: 1 });
  b.layer('d', 'deconv', ['g'], { out: 4, kernel: 2, stride: 2, group: 4, biasTerm: false });
  const a = analyze(b.build(), { input: [5, 6] });
  t.deepEqual(costOf(a, 'g'), { params: (8 / 2) * 16 * 9 + 16, flops: 2 * (8 / 2) * 16 * 9 * 30, memory: 4 * 16 * 30 });
  t.deepEqual(costOf(a, 'd'), { params: 16 * (4 / 4) * 4, flops: 2 * 16 * (4 / 4) * 4 * 30, memory: 4 * 4 * 10 * 12 });
});

test('fc weights scale with the input area; scale has one parameter per channel; batch norm 2C + 1', (t) => {
  const b = new IRBuilder();
  b.input('data', 3);
  b.layer('s', 'scale', ['data'], { value: 0.01 });
  b.layer('bn', 'batch_norm', ['s']);
  b.layer('ip', 'fc', ['bn'], { out: 10 });
  const a = analyze(b.build(), { input: [4, 5] });
  t.deepEqual(costOf(a, 's'), { params: 3, flops: 0, memory: 4 * 3 * 20 });
  t.deepEqual(costOf(a, 'bn'), { params: 7, flops: 0, memory: 4 * 3 * 20 });
  t.deepEqual(costOf(a, 'ip'), { params: 3 * 20 * 10 + 10, flops: 2 * 3 * 20 * 10, memory: 4 * 10 });
  t.is(analyze(b.build()).cost.nodes[3]!.params, null);
});

test('total memory is the sum of every blob, inputs included', (t) => {
  const b = new IRBuilder();
  b.input('data', 3);
  b.layer('c', 'conv', ['data'], { out: 2, kernel: 1 });
  const a = analyze(b.build(), { input: [10, 10] });
  t.is(a.cost.total.memory, 4 * 3 * 100 + 4 * 2 * 100);
});
