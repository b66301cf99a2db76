import type { Command } from 'commander';
import { register as backends } from './backends.js';
import { register as bench } from './bench.js';
import { register as check } from './check.js';
import { register as compile } from './compile.js';
import { register as demo } from './demo.js';
import { register as evaluate } from './eval.js';
import { register as exportNet } from './export.js';
import { register as importNet } from './import.js';
import { register as importWeights } from './import-weights.js';
import { register as inspect } from './inspect.js';
import { register as lsp } from './lsp.js';
import { register as playground } from './playground.js';
import { register as predict } from './predict.js';
import { register as synth } from './synth.js';
import { register as train } from './train.js';
import { register as transplant } from './transplant.js';
import { register as viz } from './viz.js';

/** Every command, in the order `fcn --help` lists them. */
export const commands: Array<(program: Command) => void> = [
  check,
  inspect,
  viz,
  playground,
  lsp,
  compile,
  predict,
  bench,
  backends,
  synth,
  train,
  evaluate,
  demo,
  importNet,
  importWeights,
  transplant,
  exportNet,
];
