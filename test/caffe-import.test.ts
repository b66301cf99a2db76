import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { importPrototxt } from '../src/caffe/import/import.js';
import { compileSource } from '../src/compiler/compile.js';
import { Rng } from '../src/data/random.js';
import { renderDiagnostic } from '../src/diagnostics/index.js';
import {
  convRelu,
  crop,
  maxPool,
  prototxt,
  pythonData,
  nyudColorHha,
  siftflowFcn16s,
  vgg16,
  vocFcn,
  vocFcnAlexnet,
  type LayerSpec,
  type Variant,
} from './helpers/caffe-nets.js';

const run = promisify(execFile);

async function imported(text: string, file = 'net.prototxt', phase: 'train' | 'test' = 'train') {
  return importPrototxt(text, file, { phase });
}

/** [crop name, inferred offset, explicit offset] of every crop of an imported net. */
async function cropsOf(text: string) {
  const r = await imported(text);
  const c = r.compilation!;
  return {
    diagnostics: r.diagnostics.map((d) => d.code),
    crops: c.analysis!.crops.crops.map((x) => [c.ir!.nodes[x.node]!.name, x.inferred, x.explicit]),
  };
}

const EXPECTED: Record<'32s' | '16s' | '8s', Array<[string, number]>> = {
  '32s': [['score', 19]],
  '16s': [
    ['score_pool4c', 5],
    ['score', 27],
  ],
  '8s': [
    ['score_pool4c', 5],
    ['score_pool3c', 9],
    ['score', 31],
  ],
};

for (const kind of ['32s', '16s', '8s'] as const) {
  for (const variant of ['train', 'val', 'deploy'] as Variant[]) {
    test(`the reference VGG16 FCN-${kind} ${variant} prototxt imports, and fcn infers the crop offsets Caffe wrote`, async (t) => {
      const { diagnostics, crops } = await cropsOf(prototxt(vocFcn(kind, variant)));
      t.deepEqual(diagnostics, []);
      t.deepEqual(
        crops,
        EXPECTED[kind].map(([name, o]) => [name, [o, o], [o, o]]),
      );
    });
  }
}

const OTHERS: Array<[string, () => LayerSpec[], Array<[string, number]>]> = [
  ['PASCAL-Context FCN-8s (59 classes)', () => vocFcn('8s', 'train', 59), EXPECTED['8s']],
  ['FCN-AlexNet (LRN, groups)', vocFcnAlexnet, [['score', 18]]],
  [
    'SIFT Flow FCN-16s (two heads)',
    siftflowFcn16s,
    [
      ['score_pool4_semc', 5],
      ['score_sem', 27],
      ['score_pool4_geoc', 5],
      ['score_geo', 27],
    ],
  ],
  ['NYUDv2 FCN-32s colour-HHA late fusion', nyudColorHha, [['score', 19]]],
];

for (const [what, layers, expected] of OTHERS) {
  test(`the reference ${what} prototxt imports, and fcn infers the crop offsets Caffe wrote`, async (t) => {
    const { diagnostics, crops } = await cropsOf(prototxt(layers()));
    t.deepEqual(diagnostics, []);
    t.deepEqual(
      crops,
      expected.map(([name, o]) => [name, [o, o], [o, o]]),
    );
  });
}

test('a wrong explicit crop offset is reported by the compiler against the inferred one', async (t) => {
  const layers = vocFcn('32s', 'deploy').map((l) => (l.name === 'score' ? crop('score', 'upscore', 'data', 18) : l));
  const r = await imported(prototxt(layers));
  const d = r.diagnostics.find((x) => x.code === 'crop-offset-mismatch');
  t.is(d?.message, "crop 'score' has offset 18, but the inferred offset is 19");
});

test('the imported FCN-8s folds VGG stages into repeats, says so, and keeps layer names', async (t) => {
  const r = await imported(prototxt(vocFcn('8s', 'train')), 'voc-fcn8s/train.prototxt');
  const lines = r.text!.split('\n');
  t.true(lines.includes('  input data { mean: [104.00699, 116.66877, 122.67892]  order: bgr }'));
  t.true(lines.includes('  input label { kind: label }'));
  t.true(
    lines.includes(
      "  # 4 stages of one pattern (as VGG's): n × (conv → relu), then the same pooling, n = 2, 3, 3, 3, up to pool5",
    ),
  );
  const i = lines.indexOf('  repeat j in 1..3 {');
  t.deepEqual(lines.slice(i - 1, i + 4), [
    '  # 3 × (conv → relu) with the same parameters, conv3_1 … relu3_3: folded into a repeat',
    '  repeat j in 1..3 {',
    '    conv3_{j}: conv { out: 256  kernel: 3  pad: 1  init: constant(0) }',
    '    relu3_{j}: relu',
    '  }',
  ]);
  t.true(lines.includes('  score_pool4c: crop { like: upscore2  offset: 5 }'));
  t.true(lines.includes('  loss: softmax_loss { bottom: [score, label]  ignore: 255  normalize: false }'));
  t.is(r.text!.split('\n')[0], "# Imported by `fcn import` from train.prototxt (phase train, Caffe's `layer` form).");
  // The expanded names are Caffe's.
  const names = r.compilation!.ir!.nodes.map((n) => n.name);
  t.deepEqual(names.slice(0, 8), ['data', 'label', 'conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1', 'conv2_1']);
  t.is(r.layers.get('relu5_3'), 'relu5_3');
});

test('an in-place layer is a layer of its own that later layers read; Caffe defaults are written out', async (t) => {
  const layers: LayerSpec[] = [
    {
      name: 'input',
      type: 'Input',
      top: ['data'],
      sections: { input_param: ['shape { dim: 1 dim: 3 dim: 32 dim: 32 }'] },
    },
    {
      name: 'c1',
      type: 'Convolution',
      bottom: ['data'],
      sections: {
        convolution_param: [
          'num_output: 8',
          'kernel_h: 3',
          'kernel_w: 5',
          'weight_filler { type: "gaussian" std: 0.01 }',
        ],
      },
    },
    { name: 'r1', type: 'ReLU', bottom: ['c1'], top: ['c1'] },
    {
      name: 'n1',
      type: 'LRN',
      bottom: ['c1'],
      sections: { lrn_param: ['local_size: 5', 'alpha: 0.0001', 'beta: 0.75'] },
    },
    {
      name: 'p1',
      type: 'Pooling',
      bottom: ['c1'],
      sections: { pooling_param: ['pool: AVE', 'kernel_size: 3', 'stride: 2'] },
    },
  ];
  const r = await imported(prototxt(layers), 'small.prototxt');
  // p1 reads blob c1, which r1 rewrote in place; nothing reads n1.
  t.deepEqual(
    r.diagnostics.map((d) => d.message),
    ["layer 'n1' is never used: nothing reads its output"],
  );
  t.is(
    r.text!.split('\n').slice(4).join('\n'),
    [
      'net small {',
      '  input data { order: bgr }',
      '  c1: conv { out: 8  kernel: [3, 5]  lr: 1  decay: 1  init: gaussian(0.01) }',
      '  r1: relu',
      '  n1: lrn',
      '  p1: pool { bottom: r1  method: ave  kernel: 3  stride: 2 }',
      '}',
      '',
    ].join('\n'),
  );
});

test('include and exclude rules keep the layers of the phase asked for', async (t) => {
  const layers: LayerSpec[] = [
    { name: 'input', type: 'Input', top: ['data'] },
    {
      name: 'c1',
      type: 'Convolution',
      bottom: ['data'],
      sections: { convolution_param: ['num_output: 4', 'kernel_size: 1'] },
    },
    { name: 'train_only', type: 'ReLU', bottom: ['c1'], top: ['c1'], raw: ['include { phase: TRAIN }'] },
    { name: 'not_test', type: 'Dropout', bottom: ['c1'], top: ['c1'], raw: ['exclude { phase: TEST }'] },
    { name: 'staged', type: 'ReLU', bottom: ['c1'], top: ['c1'], raw: ['include { stage: "deploy" }'] },
  ];
  const names = async (phase: 'train' | 'test') =>
    (await imported(prototxt(layers), 'n.prototxt', phase)).compilation!.ir!.nodes.map((n) => n.name);
  t.deepEqual(await names('train'), ['data', 'c1', 'train_only', 'not_test']);
  t.deepEqual(await names('test'), ['data', 'c1']);
});

test("a V1 prototxt (VGG16 classifier: layers, input_dim, inner products) gives the shapes of Caffe's rules", async (t) => {
  const layers: LayerSpec[] = [
    ...vgg16('data', 1, '', true),
    {
      name: 'fc8',
      type: 'InnerProduct',
      bottom: ['fc7'],
      params: [
        [1, 1],
        [2, 0],
      ],
      sections: { inner_product_param: ['num_output: 1000'] },
    },
    { name: 'prob', type: 'Softmax', bottom: ['fc8'] },
  ];
  const text = prototxt(layers, 'layers', [
    'name: "VGG_ILSVRC_16_layers"',
    'input: "data"',
    'input_dim: 10',
    'input_dim: 3',
    'input_dim: 224',
    'input_dim: 224',
  ]);
  const r = await imported(text, 'VGG_ILSVRC_16_layers_deploy.prototxt', 'test');
  t.deepEqual(r.diagnostics, []);
  t.true(r.text!.includes("Caffe's legacy V1 `layers` form"));
  t.true(r.text!.includes('  input data { size: 224  order: bgr }'));
  const c = r.compilation!;
  const shape = (name: string) => c.analysis!.shapes.shapes[c.ir!.byName.get(name)!];
  // 224 → pools: 112, 56, 28, 14, 7 (ceil((n − 2)/2) + 1); fc layers 1×1.
  t.deepEqual(shape('pool1'), [64, 112, 112]);
  t.deepEqual(shape('pool5'), [512, 7, 7]);
  t.deepEqual(shape('fc6'), [4096, 1, 1]);
  t.deepEqual(shape('prob'), [1000, 1, 1]);
});

test('the reference Python data layer becomes inputs: the label top (read by the loss) is kind: label', async (t) => {
  const layers: LayerSpec[] = [
    pythonData(['data', 'sem', 'geo'], 'SIFTFlowSegDataLayer', '(114.578, 115.294, 108.353)'),
    ...convRelu('c1', 'r1', 'data', 3, 1, 0),
    { name: 'loss_sem', type: 'SoftmaxWithLoss', bottom: ['c1', 'sem'] },
    { name: 'loss_geo', type: 'SoftmaxWithLoss', bottom: ['c1', 'geo'], raw: ['loss_weight: 0.5'] },
  ];
  const r = await imported(prototxt(layers), 'siftflow/trainval.prototxt');
  t.deepEqual(r.diagnostics, []);
  const lines = r.text!.split('\n');
  t.true(lines.includes('  input data { mean: [114.578, 115.294, 108.353]  order: bgr }'));
  t.true(lines.includes('  input sem { kind: label }'));
  t.true(lines.includes('  loss_geo: softmax_loss { bottom: [r1, geo]  weight: 0.5 }'));
  t.true(lines.includes('net siftflow_trainval {'));
});

test('a syntax error is located like a .fcn error: file:line:col, the line and a caret', async (t) => {
  const r = await imported('layer {\n  name: "c"\n  bottom "a"\n}\n', 'broken.prototxt');
  t.is(
    renderDiagnostic(r.diagnostics[0]!),
    [
      "error[unexpected-token]: expected ':' or '{' after 'bottom', found '\"a\"'",
      ' --> broken.prototxt:3:10',
      '  |',
      '3 |   bottom "a"',
      '  |          ^^^',
    ].join('\n'),
  );
});

test('a misspelt field gets "did you mean" at its place; an unclosed brace points at it', async (t) => {
  const r = await imported('layer {\n  name: "c"\n  type: "Convolution"\n  convolution_param { kernal_size: 3 }\n}\n');
  t.deepEqual(
    r.diagnostics.map((d) => [d.code, d.message, d.help]),
    [['unknown-field', "convolution_param has no field 'kernal_size'", "did you mean 'kernel_size'?"]],
  );
  const open = await imported('layer {\n  name: "c"\n');
  t.deepEqual(
    open.diagnostics.map((d) => [d.code, d.message, d.notes?.[0]?.message]),
    [['unexpected-end', "unexpected end of file: expected '}'", "the '{' opened here is never closed"]],
  );
});

test('layers fcn cannot express are listed in one error, with the place and reason of each', async (t) => {
  const layers: LayerSpec[] = [
    { name: 'input', type: 'Input', top: ['data'] },
    { name: 'interp', type: 'Interp', bottom: ['data'] },
    { name: 'c1', type: 'Convolutoin', bottom: ['interp'] },
    {
      name: 'gap',
      type: 'Pooling',
      bottom: ['c1'],
      sections: { pooling_param: ['pool: STOCHASTIC', 'kernel_size: 2'] },
    },
    { name: 'prod', type: 'Scale', bottom: ['gap'], sections: { scale_param: ['axis: 2'] } },
  ];
  const r = await imported(prototxt(layers), 'bad.prototxt');
  t.is(r.diagnostics.length, 1);
  const d = r.diagnostics[0]!;
  t.is(d.code, 'unsupported-layers');
  t.is(d.message, '4 layers cannot be expressed in fcn: interp, c1, gap, prod');
  t.deepEqual(
    d.notes!.map((n) => [n.message, n.span && n.span.source.location(n.span.start).line]),
    [
      ["'interp' (Interp): fcn has no layer type for Caffe's Interp", 8],
      ["'c1' (Convolutoin): 'Convolutoin' is not a Caffe layer type (did you mean 'Convolution'?)", 14],
      ["'gap' (Pooling): stochastic pooling", 19],
      ["'prod' (Scale): a Scale not per channel", 29],
    ],
  );
});

test("global pooling, Eltwise PROD and MAX, Sigmoid, TanH, PReLU, BatchNorm's settings and Scale's bias import", async (t) => {
  const layers: LayerSpec[] = [
    { name: 'input', type: 'Input', top: ['data'] },
    {
      name: 'bn',
      type: 'BatchNorm',
      bottom: ['data'],
      sections: { batch_norm_param: ['use_global_stats: true', 'moving_average_fraction: 0.9'] },
    },
    { name: 'sc', type: 'Scale', bottom: ['bn'], sections: { scale_param: ['bias_term: true'] } },
    { name: 'sg', type: 'Sigmoid', bottom: ['sc'] },
    { name: 'th', type: 'TanH', bottom: ['sc'] },
    { name: 'pr', type: 'PReLU', bottom: ['sc'] },
    { name: 'prod', type: 'Eltwise', bottom: ['sg', 'th'], sections: { eltwise_param: ['operation: PROD'] } },
    { name: 'mx', type: 'Eltwise', bottom: ['prod', 'pr'], sections: { eltwise_param: ['operation: MAX'] } },
    {
      name: 'gap',
      type: 'Pooling',
      bottom: ['mx'],
      sections: { pooling_param: ['pool: AVE', 'global_pooling: true'] },
    },
  ];
  const r = await imported(prototxt(layers), 'modern.prototxt');
  t.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  const text = r.text!;
  for (const line of [
    'bn: batch_norm { momentum: 0.9  global: true }',
    'sc: scale { lr: 1  decay: 1  bias: true }',
    'sg: sigmoid',
    'th: tanh { bottom: sc }',
    'pr: prelu { bottom: sc }',
    'prod: eltwise { bottom: [sg, th]  operation: prod }',
    'mx: eltwise { bottom: [prod, pr]  operation: max }',
    'gap: pool { method: ave  global: true }',
  ])
    t.true(text.includes(line), `${line}\n${text}`);
});

/** Caffe's output size rules, written here independently of the compiler. */
function caffeSize(op: 'conv' | 'pool' | 'deconv', n: number, k: number, s: number, p: number): number {
  if (op === 'conv') return Math.floor((n + 2 * p - k) / s) + 1;
  if (op === 'deconv') return s * (n - 1) + k - 2 * p;
  let out = Math.ceil((n + 2 * p - k) / s) + 1;
  if (p > 0 && (out - 1) * s >= n + p) out--;
  return out;
}

test('random Caffe chains of conv, pool and deconv: the inferred crop offset and every shape equal an independent computation', async (t) => {
  const rng = new Rng(11, 0);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.float() * (hi - lo + 1));
  let checked = 0;
  for (let trial = 0; checked < 25 && trial < 400; trial++) {
    const layers: LayerSpec[] = [
      {
        name: 'input',
        type: 'Input',
        top: ['data'],
        sections: { input_param: ['shape { dim: 1 dim: 3 dim: 96 dim: 96 }'] },
      },
    ];
    // data = a·x + b along the chain, as exact fractions b = num/den (a is the product of the strides).
    let a = 1;
    let num = 0;
    let den = 1;
    let size = 96;
    let prev = 'data';
    const steps = int(1, 4);
    for (let i = 0; i < steps; i++) {
      const op = rng.float() < 0.5 ? 'conv' : 'pool';
      const k = int(1, 5);
      const s = int(1, 2);
      const p = int(0, Math.min(2, k - 1));
      const name = `${op}${i}`;
      layers.push(
        op === 'conv'
          ? {
              name,
              type: 'Convolution',
              bottom: [prev],
              sections: { convolution_param: [`num_output: 4`, `kernel_size: ${k}`, `stride: ${s}`, `pad: ${p}`] },
            }
          : {
              name,
              type: 'Pooling',
              bottom: [prev],
              sections: { pooling_param: ['pool: MAX', `kernel_size: ${k}`, `stride: ${s}`, `pad: ${p}`] },
            },
      );
      // input = s·out + (k − 1)/2 − p: data = a·(s·x + c) + b.
      num = num * 2 + a * (k - 1 - 2 * p) * den;
      den *= 2;
      a *= s;
      size = caffeSize(op, size, k, s, p);
      prev = name;
    }
    const S = a;
    const K = 2 * S + int(0, 1) * S;
    const P = int(0, 1);
    layers.push({
      name: 'up',
      type: 'Deconvolution',
      bottom: [prev],
      sections: {
        convolution_param: ['num_output: 4', `kernel_size: ${K}`, `stride: ${S}`, `pad: ${P}`, 'bias_term: false'],
      },
    });
    // deconv: x_in = (x_out − ((K − 1)/2 − P)) / S, so data = x_out − ((K−1)/2 − P) + b.
    const bNum = num - ((K - 1 - 2 * P) * den) / 2;
    const offset = -bNum / den + 0; // + 0: never −0
    const upSize = caffeSize('deconv', size, K, S, P);
    if (size < 1 || !Number.isInteger(offset) || offset < 0 || offset + 96 > upSize) continue;
    layers.push(crop('score', 'up', 'data', offset));
    const r = await imported(prototxt(layers), `chain${trial}.prototxt`);
    // Shapes at a size: the imported input, like Caffe's Input, takes any.
    const c = compileSource(r.text!, `chain${trial}.fcn`, { input: [96, 96] });
    t.deepEqual(
      r.diagnostics.map((d) => d.code),
      [],
      `trial ${trial}`,
    );
    t.deepEqual(c.analysis!.crops.crops[0]!.inferred, [offset, offset], `trial ${trial}`);
    t.deepEqual(c.analysis!.shapes.shapes[c.ir!.byName.get(prev)!]!.slice(1), [size, size], `trial ${trial}`);
    t.deepEqual(c.analysis!.shapes.shapes[c.ir!.byName.get('up')!]!.slice(1), [upSize, upSize], `trial ${trial}`);
    checked++;
  }
  t.is(checked, 25);
});

const dir = mkdtempSync(join(tmpdir(), 'fcn-caffe-import-'));

test('fcn import writes the .fcn, refuses to overwrite a file it did not write, and --help works', async (t) => {
  const src = join(dir, 'fcn32s.prototxt');
  writeFileSync(src, prototxt(vocFcn('32s', 'deploy')));
  const out = join(dir, 'fcn32s.fcn');
  const { stdout } = await run('node', ['bin/fcn.js', 'import', src, '-o', out]);
  t.is(stdout, `wrote ${out}: net fcn32s, 40 layers, crops score 19x19\n`);
  // A second import replaces its own output.
  await run('node', ['bin/fcn.js', 'import', src, '-o', out]);
  const mine = join(dir, 'mine.fcn');
  writeFileSync(mine, 'net mine { input data }\n');
  const err = (await t.throwsAsync(run('node', ['bin/fcn.js', 'import', src, '-o', mine]))) as unknown as {
    code: number;
    stderr: string;
  };
  t.is(err.code, 1);
  t.is(err.stderr, `fcn: ${mine} exists and was not written by fcn import: not replacing it (choose another -o)\n`);
  const help = await run('node', ['bin/fcn.js', 'import', '--help']);
  t.regex(help.stdout, /--phase <phase>/);
});

test('fcn import of a missing file or a broken prototxt exits 1 without a stack trace', async (t) => {
  const missing = (await t.throwsAsync(
    run('node', ['bin/fcn.js', 'import', join(dir, 'nope.prototxt')]),
  )) as unknown as {
    code: number;
    stderr: string;
  };
  t.is(missing.code, 1);
  t.is(missing.stderr, `fcn: cannot read the prototxt '${join(dir, 'nope.prototxt')}': no such file\n`);
  const bad = join(dir, 'bad.prototxt');
  writeFileSync(bad, 'layer { name: "x" type: "Sigmoid" bottom: "data" top: "x" }\n');
  const err = (await t.throwsAsync(run('node', ['bin/fcn.js', 'import', bad]))) as unknown as {
    code: number;
    stderr: string;
  };
  t.is(err.code, 1);
  t.notRegex(err.stderr, /\n\s+at /);
  t.regex(err.stderr, /error\[unknown-blob\]: layer 'x' reads 'data', which no earlier layer writes/);
});
