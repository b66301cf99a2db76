/**
 * One test per diagnostic code of name resolution and parameter checking: the exact
 * message, place, help and notes a user sees.
 */
import test from 'ava';
import { checkFile } from '../src/compiler/resolve/index.js';
import { check, INPUT, MAIN, show } from './helpers/diagnostics.js';

test('unknown-layer-type', (t) => {
  t.deepEqual(check(`${INPUT}  c: cnov { out: 1 }\n}`), [
    "unknown-layer-type 3:6 unknown layer type 'cnov'",
    "help: did you mean 'conv'?",
  ]);
});

test('unknown-layer-type suggests blocks too', (t) => {
  t.deepEqual(check(`block stage {}\n${INPUT}  s: stgae\n}`), [
    "unknown-layer-type 4:6 unknown layer type 'stgae'",
    "help: did you mean 'stage'?",
  ]);
});

test('unknown-block', (t) => {
  t.deepEqual(check(`block stage {}\n${INPUT}  stag { }\n}`), [
    "unknown-block 4:3 unknown block 'stag'",
    "help: did you mean 'stage'?",
  ]);
  t.deepEqual(check(`${INPUT}  solvr { lr: 1 }\n}`), [
    "unknown-block 3:3 unknown block 'solvr'",
    "help: did you mean 'solver'?",
  ]);
});

test('unnamed-layer', (t) => {
  t.deepEqual(check(`${INPUT}  relu { }\n}`), [
    'unnamed-layer 3:3 a relu layer needs a name: write `name: relu { … }`',
  ]);
});

test('unknown-parameter, and the parameter it suggests is not also reported missing', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 1  kernal: 3 }\n}`), [
    "unknown-parameter 3:21 unknown parameter 'kernal' for conv layer 'c'",
    "help: did you mean 'kernel'?",
  ]);
});

test('unknown-parameter in a section, an input and the solver', (t) => {
  t.deepEqual(
    check(
      `net a {\n  input data { chanels: 3 }\n  solver { momentun: 0.9 }\n  c: conv { out: 1  kernel: 1  weight { lrr: 0 } }\n}`,
    ),
    [
      "unknown-parameter 2:16 unknown parameter 'chanels' for input 'data'",
      "help: did you mean 'channels'?",
      "unknown-parameter 3:12 unknown parameter 'momentun' for the solver",
      "help: did you mean 'momentum'?",
      "unknown-parameter 4:41 unknown parameter 'lrr' in 'weight'",
      "help: did you mean 'lr'?",
    ],
  );
});

test('duplicate-parameter', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 1  kernel: 1  out: 2 }\n}`), [
    "duplicate-parameter 3:32 'out' is given twice",
    'note: first given here @3:13',
  ]);
});

test('missing-parameter', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 1 }\n}`), [
    "missing-parameter 3:3 missing parameter 'kernel' for conv layer 'c'",
  ]);
  t.deepEqual(check(`${INPUT}  s: crop\n}`), [
    "missing-parameter 3:3 missing parameter 'like' for crop layer 's'",
    'help: write like: BLOB, the blob whose size to crop to',
  ]);
});

test('type-mismatch: a string where a number belongs', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: "64"  kernel: 3 }\n}`), [
    `type-mismatch 3:18 'out' expects an integer, found a string "64"`,
  ]);
});

test('type-mismatch: a fraction, a bad pair, a quoted enum word, a value for a section', (t) => {
  t.deepEqual(
    check(`${INPUT}  c: conv { out: 2.5  kernel: [3, 3, 3]  weight: 1 }\n  p: pool { kernel: 2  method: "max" }\n}`),
    [
      "type-mismatch 3:18 'out' expects an integer, found the number 2.5",
      "type-mismatch 3:31 'kernel' expects an integer or an [h, w] pair of integers, found a list of 3 values",
      "type-mismatch 3:50 'weight' is a section: write weight { … }",
      `type-mismatch 4:32 'method' expects max or ave, found a string "max"`,
      'help: write max without quotes',
    ],
  );
});

test('value-out-of-range: a negative kernel and a zero stride', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 1  kernel: -1  stride: 0 }\n}`), [
    "value-out-of-range 3:29 'kernel' must be at least 1, found -1",
    "value-out-of-range 3:41 'stride' must be at least 1, found 0",
  ]);
});

test('value-out-of-range: out not divisible by group, a dropout ratio of 1, an even LRN size', (t) => {
  t.deepEqual(
    check(`${INPUT}  c: conv { out: 5  kernel: 1  group: 2 }\n  d: dropout { ratio: 1 }\n  l: lrn { size: 4 }\n}`),
    [
      "value-out-of-range 3:3 'out' (5) must be divisible by 'group' (2)",
      "value-out-of-range 4:23 'ratio' must be less than 1, found 1",
      "value-out-of-range 5:18 'size' must be odd, found 4",
    ],
  );
});

test('invalid-enum-value', (t) => {
  t.deepEqual(check(`${INPUT}  p: pool { method: maxx  kernel: 2 }\n}`), [
    "invalid-enum-value 3:21 'method' must be max or ave, found 'maxx'",
    "help: did you mean 'max'?",
  ]);
  t.deepEqual(check(`${INPUT}  c: conv { out: 1  kernel: 1  init: gausian(0.1) }\n}`), [
    "invalid-enum-value 3:38 unknown initialiser 'gausian': expected one of gaussian, xavier, msra, constant, bilinear",
    "help: did you mean 'gaussian'?",
  ]);
});

test('wrong-arg-count', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 1  kernel: 1  init: gaussian() }\n  s: sum { bottom: [c, crop()] }\n}`), [
    "wrong-arg-count 3:38 'gaussian' takes 1 or 2 arguments, found 0",
    'help: write gaussian(std) or gaussian(std, mean), e.g. gaussian(0.01)',
    "wrong-arg-count 4:24 'crop' takes one blob name, as in crop(score_pool4)",
  ]);
});

test('wrong-length', (t) => {
  t.deepEqual(check('net a {\n  input data { mean: [1, 2] }\n  s: sum { bottom: [data, data]  coeff: [1] }\n}'), [
    "wrong-length 2:9 'mean' has 2 values but input 'data' has 3 channels",
    "wrong-length 3:3 'coeff' has 1 value for 2 inputs",
  ]);
});

test('wrong-input-count: a layer', (t) => {
  t.deepEqual(check(`${INPUT}  s: sum\n  l: softmax_loss { bottom: s }\n}`), [
    "wrong-input-count 3:3 sum layer 's' takes at least 2 inputs, found 1",
    "wrong-input-count 4:3 softmax_loss layer 'l' takes 2 inputs (scores and labels), found 1",
  ]);
});

test('wrong-input-count: a block', (t) => {
  const text = `block head {\n  input a\n  input b\n  s: sum { bottom: [a, b] }\n}\n${INPUT}  h: head { bottom: data }\n  k: head\n}`;
  t.deepEqual(check(text), [
    "wrong-input-count 8:21 'head' takes 2 inputs (a, b), found 1",
    "wrong-input-count 9:6 'head' takes 2 inputs (a, b), found 0",
    'help: give them in order: bottom: […, …]',
  ]);
});

test('missing-bottom', (t) => {
  t.deepEqual(check('net a {\n  c: conv { out: 1  kernel: 1 }\n}'), [
    "missing-bottom 2:3 layer 'c' has no input: give it a 'bottom', or put it after another layer",
  ]);
});

test('crop-without-reference', (t) => {
  t.deepEqual(check(`${INPUT}  s: concat { bottom: [crop(data), crop(data)] }\n}`), [
    "crop-without-reference 3:24 'crop(…)' needs another input in the same list to crop to",
    "crop-without-reference 3:36 'crop(…)' needs another input in the same list to crop to",
  ]);
});

test('unknown-blob', (t) => {
  t.deepEqual(check(`${INPUT}  score_pool4: relu\n  s: sum { bottom: [data, crop(score_pool5)] }\n}`), [
    "unknown-blob 4:32 unknown blob 'score_pool5'",
    "help: did you mean 'score_pool4'?",
  ]);
});

test('unknown-blob inside an instance', (t) => {
  t.deepEqual(check(`block b { c1: relu }\n${INPUT}  x: b\n  y: relu { bottom: x.c2 }\n}`), [
    "unknown-blob 5:21 unknown blob 'x.c2'",
    "help: did you mean 'x.c1'?",
  ]);
});

test('use-before-definition', (t) => {
  t.deepEqual(check(`${INPUT}  x: relu { bottom: later }\n  later: relu { bottom: data }\n}`), [
    "use-before-definition 3:21 'later' is used before it is defined",
    'note: defined here; names must be defined before they are used @4:3',
  ]);
});

test('duplicate-name', (t) => {
  t.deepEqual(check(`${INPUT}  r: relu\n  r: relu\n}`), [
    "duplicate-name 4:3 'r' is defined twice",
    'note: first defined here @3:3',
  ]);
});

test('duplicate-name through two anonymous instances', (t) => {
  t.deepEqual(check(`block b { r: relu }\n${INPUT}  b { }\n  b { }\n}`), [
    "duplicate-name 5:3 'r' is defined twice",
    'note: first defined here @1:11',
  ]);
});

test('duplicate-solver', (t) => {
  t.deepEqual(check(`${INPUT}  solver { lr: 1 }\n  solver { lr: 2 }\n}`), [
    'duplicate-solver 4:3 a net has at most one solver section',
    'note: first given here @3:3',
  ]);
});

test('unknown-variable', (t) => {
  t.deepEqual(check(`block b(idx) { r{ix}: relu }\n${INPUT}  b { idx: 1 }\n}`), [
    "unknown-variable 1:16 unknown variable 'ix' in the name template",
    "help: did you mean 'idx'?",
  ]);
});

test('invalid-template-value', (t) => {
  t.deepEqual(check(`block b(i) { r{i}: relu }\n${INPUT}  b { i: 1.5 }\n}`), [
    "invalid-template-value 1:14 '{i}' in a name must be a non-negative integer or a name, found the number 1.5",
  ]);
});

test('division-by-zero', (t) => {
  t.deepEqual(check(`${INPUT}  c: conv { out: 4 / (2 - 2)  kernel: 1 }\n}`), [
    'division-by-zero 3:18 division by zero',
  ]);
});

test('unknown-block-param', (t) => {
  t.deepEqual(check(`block stage(i, out) { c: conv { out: out  kernel: i } }\n${INPUT}  stage { i: 1  outt: 2 }\n}`), [
    "unknown-block-param 4:17 'stage' has no parameter 'outt'",
    "help: did you mean 'out'?",
    "note: 'stage' is declared here @1:7",
  ]);
});

test('missing-block-arg', (t) => {
  t.deepEqual(check(`block stage(i, out) { c: conv { out: out  kernel: i } }\n${INPUT}  stage { i: 1 }\n}`), [
    "missing-block-arg 4:3 missing argument 'out' for 'stage'",
    "note: 'stage' is declared here @1:7",
  ]);
  t.deepEqual(check('net a(n) {}'), [
    "missing-block-arg 1:7 net 'a' is built as the root net, so its parameter 'n' needs a default",
  ]);
});

test('unknown-override-target', (t) => {
  t.deepEqual(check(`block b { conv1: conv { out: 1  kernel: 1 } }\n${INPUT}  x: b { conv2.pad: 1 }\n}`), [
    "unknown-override-target 4:10 'b' has no layer 'conv2' to override",
    "help: did you mean 'conv1.pad'?",
  ]);
});

test('recursive-block', (t) => {
  t.deepEqual(check(`block p { x: q }\nblock q { y: p }\n${INPUT}  z: p\n}`), [
    "recursive-block 2:14 'p' instantiates itself (p → q → p)",
  ]);
});

test('nesting-too-deep', (t) => {
  const blocks = Array.from({ length: 40 }, (_, i) => `block b${i} { x: b${i + 1} }`).join('\n');
  const [first] = check(`${blocks}\nblock b40 { r: relu }\n${INPUT}  y: b0\n}`);
  t.is(first, 'nesting-too-deep 31:16 blocks nest more than 32 deep');
});

test('repeat-too-large', (t) => {
  t.deepEqual(check(`${INPUT}  repeat i in 1..5000 { r{i}: relu }\n}`), [
    "repeat-too-large 3:3 'repeat' over 1..5000 is more than 1000 iterations",
  ]);
});

test('net-too-large', (t) => {
  const text = `block b { repeat i in 1..1000 { l{i}: relu } }\n${INPUT}  repeat j in 1..21 { x{j}: b }\n}`;
  t.deepEqual(check(text), ['net-too-large 1:33 the net expands to more than 20000 layers']);
});

test('several mistakes in one file are all reported, in reading order', (t) => {
  t.deepEqual(
    check(
      `${INPUT}  c: cnov { out: 1 }\n  d: conv { out: 1  kernal: 3  bottom: dat }\n  p: pool { kernel: 0 }\n}`,
    ).filter((l) => !l.startsWith('help')),
    [
      "unknown-layer-type 3:6 unknown layer type 'cnov'",
      "unknown-parameter 4:21 unknown parameter 'kernal' for conv layer 'd'",
      "unknown-blob 4:40 unknown blob 'dat'",
      "value-out-of-range 5:21 'kernel' must be at least 1, found 0",
    ],
  );
});

test('a block that no net uses is still checked, with its parameters unknown', (t) => {
  const text =
    'block b(n, out) {\n  repeat j in 1..n { c{j}: conv { out: out  kernel: 3 } }\n  d: relu { bottom: c2 }\n  e: cnov\n  f: pool { kernel: 0 }\n}';
  t.deepEqual(checkFile(MAIN, { files: { [MAIN]: text } }).diagnostics.flatMap(show), [
    "unknown-layer-type 4:6 unknown layer type 'cnov'",
    "help: did you mean 'conv'?",
    "value-out-of-range 5:21 'kernel' must be at least 1, found 0",
  ]);
});
