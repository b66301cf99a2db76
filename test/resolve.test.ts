import test from 'ava';
import { join } from 'node:path';
import type { ResolvedLayer, ResolvedNet } from '../src/compiler/resolve/index.js';
import { resolveFile, resolveSource } from '../src/compiler/resolve/index.js';
import { compileSource } from '../src/compiler/compile.js';

const nets = join(import.meta.dirname, '..', 'nets');

/** Resolves a source that must be free of diagnostics. */
function net(text: string, options: { net?: string; files?: Record<string, string> } = {}): ResolvedNet {
  const r = resolveSource(text, 'test/virtual/main.fcn', options);
  if (r.diagnostics.length || !r.net)
    throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n') || 'no net');
  return r.net;
}

/** `name <- bottoms` for each layer, the shape of a net at a glance. */
const wiring = (n: ResolvedNet) => n.layers.map((l) => `${l.name} <- ${l.bottoms.join(', ')}`);
const layer = (n: ResolvedNet, name: string) => n.layers.find((l) => l.name === name) as ResolvedLayer;

test('voc-fcn8s resolves: VGG16 inside vgg, skips reach in, crops named as the reference', (t) => {
  const r = resolveFile(join(nets, 'voc-fcn8s.fcn'));
  t.deepEqual(r.diagnostics, []);
  t.deepEqual(r.nets, ['voc_fcn8s']);
  const n = r.net!;
  t.is(n.name, 'voc_fcn8s');
  t.deepEqual(
    n.inputs.map((i) => [i.name, i.kind, i.channels, i.order]),
    [
      ['data', 'image', 3, 'bgr'],
      ['label', 'label', 1, 'rgb'],
    ],
  );
  t.deepEqual(n.solver, { lr: 1e-14, momentum: 0.99, weightDecay: 5e-4 });
  t.is(n.layers.length, 49);
  t.deepEqual(wiring(n).slice(0, 3), [
    'vgg.conv1_1 <- data',
    'vgg.relu1_1 <- vgg.conv1_1',
    'vgg.conv1_2 <- vgg.relu1_1',
  ]);
  t.deepEqual(wiring(n).slice(37), [
    'score_fr <- vgg.drop7',
    'upscore2 <- score_fr',
    'score_pool4 <- vgg.pool4',
    'score_pool4c <- score_pool4, upscore2',
    'fuse_pool4 <- upscore2, score_pool4c',
    'upscore_pool4 <- fuse_pool4',
    'score_pool3 <- vgg.pool3',
    'score_pool3c <- score_pool3, upscore_pool4',
    'fuse_pool3 <- upscore_pool4, score_pool3c',
    'upscore8 <- fuse_pool3',
    'score <- upscore8, data',
    'loss <- score, label',
  ]);
  t.true(layer(n, 'score_pool4c').inline);
  t.deepEqual(layer(n, 'vgg.conv1_1').scope, ['vgg']);
  t.deepEqual(layer(n, 'score_fr').scope, []);
});

test('the override conv1_1.pad reaches the layer inside the anonymous stage inside vgg16', (t) => {
  const n = resolveFile(join(nets, 'voc-fcn8s.fcn')).net!;
  t.deepEqual((layer(n, 'vgg.conv1_1').params as { pad: number[] }).pad, [100, 100]);
  t.deepEqual((layer(n, 'vgg.conv1_2').params as { pad: number[] }).pad, [1, 1]);
});

test('conv parameters are normalised: pairs, defaults, shorthands, sections', (t) => {
  const n = net(`net a {
    input data
    c: conv { out: 8  kernel: [3, 5]  weight { init: gaussian(0.01) }  bias { lr: 3 } }
    up: deconv { out: 21  kernel: 4  stride: 2  bias: false  init: bilinear  lr: 0 }
  }`);
  t.deepEqual(layer(n, 'c').params, {
    out: 8,
    kernel: [3, 5],
    stride: [1, 1],
    pad: [0, 0],
    dilation: [1, 1],
    group: 1,
    biasTerm: true,
    weight: { lr: 1, decay: 1, init: { kind: 'gaussian', std: 0.01, mean: 0 } },
    bias: { lr: 3, decay: 0, init: { kind: 'constant', value: 0 } },
  });
  t.deepEqual(layer(n, 'up').params, {
    out: 21,
    kernel: [4, 4],
    stride: [2, 2],
    pad: [0, 0],
    dilation: [1, 1],
    group: 1,
    biasTerm: false,
    weight: { lr: 0, decay: 1, init: { kind: 'bilinear' } },
    bias: { lr: 0, decay: 0, init: { kind: 'constant', value: 0 } },
  });
});

test('a section entry beats the layer-level shorthand', (t) => {
  const n = net('net a { input data  c: conv { out: 1  kernel: 1  lr: 0  weight.lr: 5  decay: 2 } }');
  const p = layer(n, 'c').params as { weight: { lr: number; decay: number }; bias: { lr: number; decay: number } };
  t.deepEqual([p.weight.lr, p.weight.decay, p.bias.lr, p.bias.decay], [5, 2, 0, 2]);
});

test('every layer type gets its defaults', (t) => {
  const n = net(`net a {
    input data
    input label { kind: label }
    p: pool { kernel: 3 }
    r: relu
    d: dropout
    l: lrn
    s: scale { value: 0.01 }
    b: batch_norm
    f: fc { out: 10 }
    sm: softmax
    am: argmax
    c: concat { bottom: [r, d] }
    sum: sum { bottom: [r, d]  coeff: [1, -1] }
    loss: softmax_loss { bottom: [p, label] }
  }`);
  t.deepEqual(Object.fromEntries(n.layers.map((l) => [l.name, l.params])), {
    p: { method: 'max', kernel: [3, 3], stride: [1, 1], pad: [0, 0], round: 'ceil', global: false },
    r: { slope: 0 },
    d: { ratio: 0.5 },
    l: { size: 5, alpha: 1e-4, beta: 0.75, k: 1 },
    s: { value: 0.01, weight: { lr: 0, decay: 0, init: { kind: 'constant', value: 0.01 } }, biasTerm: false },
    b: { eps: 1e-5, momentum: 0.999, global: false },
    f: {
      out: 10,
      biasTerm: true,
      weight: { lr: 1, decay: 1, init: { kind: 'msra' } },
      bias: { lr: 2, decay: 0, init: { kind: 'constant', value: 0 } },
    },
    sm: {},
    am: {},
    c: {},
    sum: { coeff: [1, -1] },
    loss: { normalize: true, weight: 1 },
  });
});

test('input properties: size, mean, order, label defaults', (t) => {
  const n = net(
    'net a { input data { channels: 4  size: [300, 200]  mean: [1, 2, 3, 4]  order: bgr }  input label { kind: label }  r: relu { bottom: data } }',
  );
  t.deepEqual(
    n.inputs.map(({ span: _, ...rest }) => rest),
    [
      { name: 'data', kind: 'image', channels: 4, size: [300, 200], mean: [1, 2, 3, 4], order: 'bgr' },
      { name: 'label', kind: 'label', channels: 1, order: 'rgb' },
    ],
  );
});

test('repeat unrolls inclusively and templates fill in names', (t) => {
  const n = net(`block stage(i, n, out) {
    repeat j in 1..n {
      conv{i}_{j}: conv { out: out  kernel: 3  pad: 1 }
      relu{i}_{j}: relu
    }
    pool{i}: pool { kernel: 2  stride: 2 }
  }
  net a { input data  stage { i: 1  n: 2  out: 8 }  stage { i: 2  n: 1  out: 16 } }`);
  t.deepEqual(wiring(n), [
    'conv1_1 <- data',
    'relu1_1 <- conv1_1',
    'conv1_2 <- relu1_1',
    'relu1_2 <- conv1_2',
    'pool1 <- relu1_2',
    'conv2_1 <- pool1',
    'relu2_1 <- conv2_1',
    'pool2 <- relu2_1',
  ]);
  t.is((layer(n, 'conv2_1').params as { out: number }).out, 16);
});

test('block ports take bottom: positionally; string arguments fill templates', (t) => {
  const n = net(`block head(classes, tag) {
    input fr
    input skip
    score_{tag}: conv { bottom: fr  out: classes  kernel: 1 }
    fuse_{tag}: sum { bottom: [score_{tag}, crop(skip)] }
  }
  net a {
    input data
    c1: conv { out: 4  kernel: 3 }
    c2: conv { out: 4  kernel: 3 }
    head { bottom: [c2, c1]  classes: 3  tag: "sem" }
    h: head { bottom: [c2, c1]  classes: 2  tag: geo }
    after: relu
  }`);
  t.deepEqual(wiring(n).slice(2), [
    'score_sem <- c2',
    'skipc <- c1, score_sem',
    'fuse_sem <- score_sem, skipc',
    'h.score_geo <- c2',
    'h.skipc <- c1, h.score_geo',
    'h.fuse_geo <- h.score_geo, h.skipc',
    'after <- h.fuse_geo',
  ]);
});

test('defaults may use earlier parameters; arguments override them', (t) => {
  const n = net(`block b(out, half: out / 2) { c: conv { out: half  kernel: 1 } }
  net a { input data  x: b { out: 64 }  y: b { out: 64  half: 3 } }`);
  t.deepEqual(
    [layer(n, 'x.c'), layer(n, 'y.c')].map((l) => (l.params as { out: number }).out),
    [32, 3],
  );
});

test("an instance's name stands for its last blob, and its inner names stay addressable", (t) => {
  const n = net(`block b { c1: conv { out: 1  kernel: 1 }  c2: relu }
  net a { input data  x: b  y: relu { bottom: x }  z: relu { bottom: x.c1 } }`);
  t.deepEqual(wiring(n).slice(2), ['y <- x.c2', 'z <- x.c1']);
});

test('nested named instances join their prefixes; a dotted override reaches through them', (t) => {
  const n = net(`block inner { c: conv { out: 1  kernel: 1 } }
  block outer { i: inner }
  net a { input data  o: outer { i.c.kernel: 3  i.c.weight.lr: 0 } }`);
  const c = layer(n, 'o.i.c');
  t.deepEqual(c.scope, ['o', 'i']);
  t.deepEqual((c.params as { kernel: number[] }).kernel, [3, 3]);
  t.is((c.params as { weight: { lr: number } }).weight.lr, 0);
  t.is(c.origin.via.length, 2);
});

test('an outer override wins over an inner one', (t) => {
  const n = net(`block inner { c: conv { out: 1  kernel: 1 } }
  block outer { i: inner { c.kernel: 3 } }
  net a { input data  o: outer { i.c.kernel: 5 } }`);
  t.deepEqual((layer(n, 'o.i.c').params as { kernel: number[] }).kernel, [5, 5]);
});

test('a standalone crop reads the previous blob and crops it like another', (t) => {
  const n = net(
    'net a { input data  c: conv { out: 1  kernel: 3 }  s: crop { like: data  offset: [1, 2] }  t: crop { bottom: [c, data] } }',
  );
  t.deepEqual(wiring(n), ['c <- data', 's <- c, data', 't <- c, data']);
  t.deepEqual(layer(n, 's').params, { offset: [1, 2] });
  t.deepEqual(layer(n, 't').params, {});
});

test('imports are relative to the importing file; nets can be picked by name', (t) => {
  const files = {
    'test/virtual/lib/backbone.fcn': 'import "parts.fcn"\nnet backbone { input data  p: part }',
    'test/virtual/lib/parts.fcn': 'block part { c: conv { out: 2  kernel: 1 } }',
  };
  const text = 'import "lib/backbone.fcn"\nnet first { input data  b: backbone }\nnet second { input data  r: relu }';
  const r = resolveSource(text, 'test/virtual/main.fcn', { files });
  t.deepEqual(r.diagnostics, []);
  t.deepEqual(r.nets, ['first', 'second']);
  t.is(r.net!.name, 'second');
  t.deepEqual(wiring(net(text, { files, net: 'first' })), ['b.p.c <- data']);
});

test('origins point at the declaration and the instance lines that produced a layer', (t) => {
  const text = 'block b { c: conv { out: 1  kernel: 1 } }\nnet a {\n  input data\n  x: b\n}';
  const c = layer(net(text), 'x.c');
  const at = (s: { start: number; end: number }) => text.slice(s.start, s.end);
  t.is(at(c.origin.span), 'c: conv { out: 1  kernel: 1 }');
  t.deepEqual(c.origin.via.map(at), ['x: b']);
});

test('a net defined in the root file can be instantiated like a block, its solver ignored', (t) => {
  const n = net(
    'net small { input x  solver { lr: 1 }  c: conv { out: 1  kernel: 1 } }\nnet big { input data  s: small { bottom: data } }',
  );
  t.deepEqual(wiring(n), ['s.c <- data']);
  t.deepEqual(n.solver, {});
});

test('a file with errors gives no net, and syntax errors stop before resolution', (t) => {
  const semantic = resolveSource('net a { input data  c: cnov }', 'x.fcn');
  t.is(semantic.net, undefined);
  t.deepEqual(
    semantic.diagnostics.map((d) => d.code),
    ['unknown-layer-type'],
  );
  const syntax = resolveSource('net a { input data  c: cnov  d: }', 'x.fcn');
  t.deepEqual(
    syntax.diagnostics.map((d) => d.code),
    ['unexpected-token'],
  );
});

test('the partial net of a file with errors: what resolved, each name that did not read through a stand-in', (t) => {
  const r = resolveSource(
    `block b() { input x  c: conv { bottom: nowhere  out: 2  kernel: 1 } }
net a {
  input data
  c1: conv { out: 4  kernel: 3  strid: 2 }
  c2: cnov { out: 4 }
  r2: relu
  s: eltwise { bottom: [c1, later, nowhere, nowhere] }
  later: conv { bottom: c1  out: 4  kernel: 1 }
  inner: b
  c3: conv { kernel: 3 }
  r3: relu
}`,
    'x.fcn',
  );
  t.is(r.net, undefined);
  t.deepEqual(
    r.diagnostics.map((d) => d.code),
    [
      'unknown-blob',
      'unknown-parameter',
      'unknown-layer-type',
      'use-before-definition',
      'unknown-blob',
      'unknown-blob',
      'missing-parameter',
    ],
  );
  const partial = r.partial!;
  // The stand-ins follow the net's own inputs, in the order they are first read, each in a frame of its own.
  t.deepEqual(
    partial.inputs.map((i) => [i.name, i.standIn ?? false, i.ownFrame ?? false, i.channels]),
    [
      ['data', false, false, 3],
      ['c2?', true, true, 0],
      ['later?', true, true, 0],
      ['nowhere?', true, true, 0],
      ['inner.nowhere?', true, true, 0],
      ['c3?', true, true, 0],
    ],
  );
  t.deepEqual(wiring(partial), [
    'c1 <- data',
    'r2 <- c2?',
    's <- c1, later?, nowhere?, nowhere?',
    'later <- c1',
    'inner.c <- inner.nowhere?',
    // c3 lacks its 'out': there is nothing to build, so it is a failed item like c2.
    'r3 <- c3?',
  ]);
  // Each stand-in is blamed where its error is: the failed layer's header (the whole layer when
  // a parameter is at fault), the use before the definition.
  const at = (name: string) => {
    const { span } = partial.inputs.find((i) => i.name === name)!;
    return span.source.body.slice(span.start, span.end);
  };
  t.deepEqual(
    [at('c2?'), at('later?'), at('nowhere?'), at('c3?')],
    ['c2: cnov', 'later', 'nowhere', 'c3: conv { kernel: 3 }'],
  );
  // A net without errors has no stand-ins and no partial form.
  const clean = resolveSource('net a { input data  c: conv { out: 1  kernel: 1 } }', 'x.fcn');
  t.deepEqual(clean.diagnostics, []);
  t.is(clean.partial, undefined);
  t.false(clean.net!.inputs.some((i) => i.standIn));
});

test('compile with partial: a file that does not resolve is still analysed, with the resolver diagnostics only', (t) => {
  const text =
    'net a { input data { size: [9, 9] }  c1: conv { out: 4  kernel: 3 }  c2: conv { bottom: nope  out: 4  kernel: 1 } }';
  const plain = compileSource(text, 'x.fcn');
  t.is(plain.analysis, undefined);
  t.is(plain.partial, undefined);
  const c = compileSource(text, 'x.fcn', { partial: true });
  t.true(c.partial);
  t.deepEqual(
    c.ir!.nodes.map((n) => n.name),
    ['data', 'nope?', 'c1', 'c2'],
  );
  // What resolved is analysed as usual: c1 is 7x7 at 9x9.
  t.deepEqual(c.analysis!.shapes.shapes[c.ir!.byName.get('c1')!], [4, 7, 7]);
  // The analyses' own findings (c1 is unused, as c2 no longer reads it) are left out: only the resolver's.
  t.deepEqual(
    c.analysis!.diagnostics.map((d) => d.code),
    ['unused-layer'],
  );
  t.deepEqual(
    c.diagnostics.map((d) => d.code),
    ['unknown-blob'],
  );
});

test('a label input is never an implicit bottom: the first layer after it chains from the image', (t) => {
  const n = net(
    'net n {\n  input data { channels: 3 }\n  input label { kind: label }\n  conv1: conv { out: 4  kernel: 3 }\n}\n',
  );
  t.deepEqual(n.layers[0]!.bottoms, ['data']);
});
