/**
 * fcn as a library: `import * as fcn from 'fcn'`. Everything a program needs, from a `.fcn`
 * text to a trained model, with the same behaviour as the `fcn` command line (which is a thin
 * layer over these calls):
 *
 * - the language: `parse`, `format`, `compile` / `compileFile` / `compileOrThrow`, `checkFiles`,
 *   `inspectReport` (what `fcn inspect --json` prints), diagnostics (src/api/compiler.ts, also
 *   published alone as `fcn/compiler`, which runs in a browser);
 * - the runtime: `useBackend`, `emit`, `loadModel`, `saveModel`, `train` (progress callbacks, an
 *   AbortSignal), `evaluate`, `predict` (src/api/runtime.ts; TensorFlow.js loads on first use);
 * - data and pictures: images and label maps, the overlay, synthetic datasets, metrics as
 *   JSON, the viz page (`drawNet`), and the whole demo (`runDemo`).
 *
 * `fcn/runtime` exposes the runtime's building blocks (custom layers, kernels, model I/O) for
 * programs that go further; `fcn/prettier` is the prettier plugin.
 */
export * from './api/compiler.js';
export * from './api/runtime.js';
export { formatReport, formatLadder } from './compiler/report-text.js';
export { decodeImage, encodeImagePng, readImage, writeImagePng, type RgbImage } from './data/image.js';
export { readLabel, writeLabel, type LabelMap } from './data/labels.js';
export { OVERLAY_ALPHA, overlayLabels } from './data/overlay.js';
export { VOC_CLASSES, vocColor, VOID_LABEL } from './data/colormap.js';
export { SYNTH_DEFAULTS, writeSynthDataset, type SynthManifest, type SynthOptions } from './data/synth.js';
export { evalResultToJson, renderEvalReport, type EvalJson, type EvalResult } from './eval/index.js';
export { DEMO, runDemo, type DemoOptions, type DemoResult, type DemoSummary } from './demo/demo.js';
export { drawNet, renderViz, VIZ_FORMATS, type VizFormat } from './viz/render.js';
export type { VizImage, VizModel } from './viz/model.js';
export type { BackendReport, ModelInfo, OverlapTilePlan, Prediction, TilePlan } from './runtime/index.js';
export type { EvalEvent, LoopEvents, LoopResult, SettingOverrides, StepEvent } from './train/index.js';
