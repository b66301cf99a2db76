/**
 * `fcn import NET.prototxt [-o NET.fcn] [--phase train|test] [--channels NAME=N]`: reads a
 * Caffe prototxt (current `layer` or legacy V1 `layers` form) and writes the net as .fcn,
 * formatted. Prototxt mistakes are reported like .fcn ones (file:line:col, the line, a caret);
 * layers fcn cannot express are listed in one error. Without -o the .fcn goes to stdout.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../../diagnostics/index.js';
import { parseInteger } from '../errors.js';

interface ImportOptions {
  output?: string;
  phase: string;
  channels: string[];
}

/** Parses `--channels depth=1`. */
function channelsFlag(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const m = /^([^=]+)=(.+)$/.exec(v);
    if (!m) throw new UserError(`--channels expects NAME=N (e.g. depth=1), got '${v}'`, 2);
    out[m[1]!] = parseInteger(m[2]!, '--channels', 1);
  }
  return out;
}

/** Reads a file a user named, as a UserError when it cannot be read. */
export function readUserFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${what} '${file}'${code === 'ENOENT' ? ': no such file' : ` (${code})`}`);
  }
}

/** Registers `fcn import`. */
export function register(program: Command): void {
  program
    .command('import')
    .description("convert a Caffe prototxt to a .fcn net (layer names kept; Caffe's crop offsets checked)")
    .argument('<prototxt>', 'a Caffe net definition (train, val, test or deploy prototxt)')
    .option('-o, --output <file>', 'the .fcn file to write (default: stdout)')
    .option('--phase <phase>', 'which layers to keep under include/exclude rules: train or test', 'train')
    .option(
      '--channels <name=N>',
      'channels of an input the prototxt does not size (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .action(async (file: string, options: ImportOptions) => {
      if (options.phase !== 'train' && options.phase !== 'test')
        throw new UserError(`--phase expects train or test, got '${options.phase}'`, 2);
      const { importPrototxt } = await import('../../caffe/import/import.js');
      const { checkImportOutput } = await import('../../caffe/output-guard.js');
      const { writeFileAtomic } = await import('../../util/index.js');
      const { hasErrors, renderDiagnostics } = await import('../../diagnostics/index.js');
      if (options.output) checkImportOutput(options.output);
      const text = readUserFile(file, 'the prototxt');
      const result = await importPrototxt(text, file, {
        phase: options.phase,
        channels: channelsFlag(options.channels),
        ...(options.output ? { output: options.output } : {}),
      });
      if (hasErrors(result.diagnostics) || !result.text) {
        const why = result.text ? 'the imported net does not compile (the diagnostics above point into it)' : '';
        throw new UserError(why, 1, result.diagnostics);
      }
      if (result.diagnostics.length)
        process.stderr.write(renderDiagnostics(result.diagnostics, { color: process.stderr.isTTY }) + '\n');
      if (!options.output) {
        process.stdout.write(result.text);
        return;
      }
      await writeFileAtomic(options.output, result.text);
      const crops = result.compilation?.analysis?.crops.crops ?? [];
      const ir = result.compilation?.ir;
      const summary = crops.map((c) => `${ir?.nodes[c.node]?.name} ${c.offset?.join('x') ?? '?'}`).join(', ');
      process.stdout.write(
        `wrote ${options.output}: net ${ir?.name}, ${result.layers.size} layers${summary ? `, crops ${summary}` : ''}\n`,
      );
    });
}
