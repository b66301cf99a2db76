/**
 * `fcn import`'s pipeline: prototxt text → tree → Caffe net (one phase) → .fcn items →
 * folded repeats → .fcn text, formatted by the project's prettier plugin, then compiled, so
 * that what is written is a net the compiler accepts (its crop checks included: an explicit
 * offset that disagrees with the inferred one is reported).
 */
import { basename, dirname, extname } from 'node:path';
import * as prettier from 'prettier';
import { compileSource, type Compilation } from '../../compiler/compile.js';
import { hasErrors, type Diagnostic } from '../../diagnostics/index.js';
import plugin from '../../format/index.js';
import { readNet } from '../net/read-net.js';
import type { Phase } from '../net/types.js';
import { parsePrototxt } from '../prototxt/parse.js';
import { IMPORT_MARK } from '../output-guard.js';
import { foldRepeats } from './fold.js';
import { markChains, renderNet } from './items.js';
import { fcnName } from './names.js';
import { mapNet, type MapOptions } from './to-fcn.js';

export interface ImportOptions extends MapOptions {
  phase: Phase;
  /** Where the .fcn will be written (compile diagnostics name it); default: beside the prototxt. */
  output?: string;
}

export interface ImportResult {
  /** The formatted .fcn text; absent when the prototxt has errors. */
  text?: string;
  /** Prototxt diagnostics, then the compiler's on the generated .fcn. */
  diagnostics: Diagnostic[];
  compilation?: Compilation;
  /** Caffe layer name → .fcn layer name. */
  layers: Map<string, string>;
}

const GENERIC_STEMS = new Set(['train', 'val', 'test', 'trainval', 'deploy', 'net', 'model']);

/** The net's .fcn name: the prototxt's `name`, else the file name (with its folder when the file is `train.prototxt`). */
function netName(declared: string | undefined, file: string): string {
  if (declared) return fcnName(declared);
  const stem = basename(file, extname(file));
  const folder = basename(dirname(file));
  return fcnName(GENERIC_STEMS.has(stem) && folder && folder !== '.' ? `${folder}_${stem}` : stem);
}

/** Imports prototxt `text` (read from `file`). */
export async function importPrototxt(text: string, file: string, options: ImportOptions): Promise<ImportResult> {
  const parsed = parsePrototxt(text, file);
  const diagnostics = [...parsed.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics, layers: new Map() };
  const net = readNet(parsed.message, options.phase, diagnostics);
  // A misread field would only come back as a confusing "cannot be expressed".
  if (hasErrors(diagnostics)) return { diagnostics, layers: new Map() };
  const mapped = mapNet(net, options, diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics, layers: mapped.layers };
  markChains(mapped.items);
  const items = foldRepeats(mapped.items);
  const header = [
    `${IMPORT_MARK.slice(2)} from ${basename(file)} (phase ${options.phase}, Caffe's ${net.form === 'layers' ? 'legacy V1 `layers`' : '`layer`'} form).`,
    "Layer names are Caffe's; an in-place layer (relu, dropout) is a layer of its own, which later layers read.",
    'Image inputs are BGR, as Caffe nets expect. Crop offsets written here are checked against the inferred ones.',
  ];
  const raw = renderNet(netName(net.name, file), header, items);
  const output = options.output ?? file.replace(/\.prototxt$/i, '') + '.fcn';
  const formatted = await prettier.format(raw, { parser: 'fcn', plugins: [plugin], filepath: output, printWidth: 120 });
  const compilation = compileSource(formatted, output);
  return {
    text: formatted,
    diagnostics: [...diagnostics, ...compilation.diagnostics],
    compilation,
    layers: mapped.layers,
  };
}
