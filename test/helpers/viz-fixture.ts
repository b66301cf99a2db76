/**
 * A visualisation model written by hand for a small FCN-like net with one skip and two crops,
 * so that the viz can be tested without the parser and the analyses. Its numbers were worked
 * out on paper from FCN.md's rules:
 *   data 3×64×64 → conv1 3×3 pad 10 (→82) → relu1 → pool1 2/2 (→41) → conv2 3×3 pad 1 → pool2 2/2 (→21)
 *   → fc 5×5 (→17) → score 1×1 → up2 deconv 4/2 (→36); score_pool1 1×1 on pool1, cropped to up2 at 3;
 *   fuse = up2 + score_pool1c → up4 deconv 4/2 (→74) → out = crop to data at 4 → loss.
 */
import { finishModel, type DraftStep, type VizDraft } from '../../src/viz/finish.js';
import type { VizMap, VizModel, VizShape, VizSource } from '../../src/viz/model.js';

const FILE = 'mini.fcn';
const LINES = [
  'net mini {',
  '  input data { channels: 3  size: [64, 64] }',
  '  input label { kind: label }',
  '  conv1: conv { out: 8  kernel: 3  pad: 10 }',
  '  relu1: relu',
  '  pool1: pool { kernel: 2  stride: 2 }',
  '  conv2: conv { out: 16  kernel: 3  pad: 1 }',
  '  pool2: pool { kernel: 2  stride: 2 }',
  '  fc: conv { out: 32  kernel: 5 }',
  '  score: conv { out: 4  kernel: 1 }',
  '  up2: deconv { out: 4  kernel: 4  stride: 2  bias: false }',
  '  score_pool1: conv { bottom: pool1  out: 4  kernel: 1 }',
  '  fuse: sum { bottom: [up2, crop(score_pool1)] }',
  '  up4: deconv { out: 4  kernel: 4  stride: 2  bias: false }',
  '  out: crop { like: data }',
  '  loss: softmax_loss { bottom: [out, label] }',
  '}',
];

function src(name: string): VizSource {
  const i = LINES.findIndex((l) => l.trimStart().startsWith(`${name}:`) || l.includes(`input ${name} `));
  const line = name === 'score_pool1c' ? LINES.findIndex((l) => l.includes('crop(score_pool1)')) : i;
  return { file: FILE, line: line + 1, column: LINES[line]!.search(/\S/) + 1, text: LINES[line]! };
}

function map(a: number, b: number): VizMap {
  return [
    { a, b },
    { a, b },
  ];
}

const ID = map(1, 0);
const sq = (v: number): [number, number] => [v, v];
const shape = (c: number, hw: number): VizShape => [c, hw, hw];

type Row = [
  name: string,
  type: string,
  inputs: string[],
  detail: string,
  c: number,
  hw: number,
  stride: number,
  rf: number,
  pad: number,
  params: number,
  flops: number,
];
const ROWS: Row[] = [
  ['data', 'input', [], '3 channels', 3, 64, 1, 1, 0, 0, 0],
  ['conv1', 'conv', ['data'], '3×3 pad 10 → 8', 8, 82, 1, 3, 10, 224, 2_904_768],
  ['relu1', 'relu', ['conv1'], '', 8, 82, 1, 3, 10, 0, 0],
  ['pool1', 'pool', ['relu1'], 'max 2×2 /2', 8, 41, 2, 4, 10, 0, 0],
  ['conv2', 'conv', ['pool1'], '3×3 pad 1 → 16', 16, 41, 2, 8, 12, 1168, 3_872_448],
  ['pool2', 'pool', ['conv2'], 'max 2×2 /2', 16, 21, 4, 10, 12, 0, 0],
  ['fc', 'conv', ['pool2'], '5×5 → 32', 32, 17, 4, 26, 12, 12_832, 7_398_400],
  ['score', 'conv', ['fc'], '1×1 → 4', 4, 17, 4, 26, 12, 132, 73_984],
  ['up2', 'deconv', ['score'], '4×4 /2 → 4', 4, 36, 2, 30, 13, 256, 147_968],
  ['score_pool1', 'conv', ['pool1'], '1×1 → 4', 4, 41, 2, 4, 10, 36, 107_584],
  ['score_pool1c', 'crop', ['score_pool1', 'up2'], 'to up2', 4, 36, 2, 4, 7, 0, 0],
  ['fuse', 'sum', ['up2', 'score_pool1c'], '2 inputs', 4, 36, 2, 30, 13, 0, 0],
  ['up4', 'deconv', ['fuse'], '4×4 /2 → 4', 4, 74, 1, 32, 14, 256, 663_552],
  ['out', 'crop', ['up4', 'data'], 'to data', 4, 64, 1, 32, 10, 0, 0],
];

function step(layer: string, m: VizMap): DraftStep {
  const row = ROWS.find((r) => r[0] === layer)!;
  return { layer, type: row[1], detail: row[3], map: m };
}

/** The mini net's draft (before `finishModel`). */
export function miniDraft(): VizDraft {
  const nodes: VizDraft['nodes'] = ROWS.map(([name, type, inputs, detail, c, hw, stride, rf, pad, params, flops]) => ({
    name,
    type,
    scope: [],
    inputs,
    detail,
    shape: shape(c, hw),
    stride: sq(stride),
    rf: sq(rf),
    padding: sq(pad),
    params,
    flops,
    source: src(name),
    via: [],
    ...(name === 'score_pool1c' ? { inline: true } : {}),
  }));
  nodes.splice(1, 0, {
    name: 'label',
    type: 'input',
    scope: [],
    inputs: [],
    detail: 'label',
    shape: [1, 64, 64],
    stride: null,
    rf: null,
    padding: null,
    params: 0,
    flops: 0,
    source: src('label'),
    via: [],
  });
  nodes.push({
    name: 'loss',
    type: 'softmax_loss',
    scope: [],
    inputs: ['out', 'label'],
    detail: '',
    shape: [1, 1, 1],
    stride: null,
    rf: null,
    padding: null,
    params: 0,
    flops: 0,
    source: src('loss'),
    via: [],
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const edges: VizDraft['edges'] = nodes.flatMap((n) =>
    n.inputs.map((from, i) => ({
      from,
      to: n.name,
      shape: byName.get(from)!.shape,
      kind: n.type === 'crop' && i === 1 ? ('size' as const) : ('data' as const),
    })),
  );
  const upPath = [
    step('conv2', ID),
    step('pool2', map(2, 0.5)),
    step('fc', map(1, 2)),
    step('score', ID),
    step('up2', map(0.5, -0.75)),
  ];
  return {
    net: 'mini',
    file: FILE,
    inputs: [
      { name: 'data', kind: 'image', shape: [3, 64, 64] },
      { name: 'label', kind: 'label', shape: [1, 64, 64] },
    ],
    reference: 'data',
    inputSize: [64, 64],
    nodes,
    edges,
    crops: [
      {
        name: 'score_pool1c',
        input: 'score_pool1',
        reference: 'up2',
        ancestor: 'pool1',
        offset: [3, 3],
        written: null,
        paths: [
          { from: 'score_pool1', steps: [step('score_pool1', ID)] },
          { from: 'up2', steps: upPath },
        ],
      },
      {
        name: 'out',
        input: 'up4',
        reference: 'data',
        ancestor: 'data',
        offset: [4, 4],
        written: null,
        paths: [
          {
            from: 'up4',
            steps: [
              step('conv1', map(1, -9)),
              step('relu1', ID),
              step('pool1', map(2, 0.5)),
              ...upPath,
              step('fuse', ID),
              step('up4', map(0.5, -0.75)),
            ],
          },
          { from: 'data', steps: [] },
        ],
      },
    ],
    rungs: [
      {
        name: 'fuse',
        kind: 'fusion',
        stride: 2,
        branches: [
          { blob: 'up2', source: 'up2', from: { name: 'score', factor: 2 } },
          {
            blob: 'score_pool1c',
            crop: { of: 'score_pool1', offset: [3, 3] },
            source: 'pool1',
            from: { name: 'relu1', factor: 0.5 },
          },
        ],
      },
      {
        name: 'out',
        kind: 'crop',
        stride: 1,
        branches: [
          { blob: 'out', crop: { of: 'up4', offset: [4, 4] }, source: 'up4', from: { name: 'fuse', factor: 2 } },
        ],
        reference: 'data',
      },
    ],
    totals: { params: 14_904, flops: 15_168_704 },
    warnings: [],
    errors: [],
  };
}

/** The mini net's finished model. */
export function miniModel(): VizModel {
  return finishModel(miniDraft());
}
