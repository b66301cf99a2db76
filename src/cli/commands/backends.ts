/**
 * `fcn backends [--json]`: which TensorFlow.js backends are installed, which start, which one
 * fcn would choose, which inference engine runs (tfjs or ONNX Runtime), and how to get the GPU path.
 */
import type { Command } from 'commander';

/** Registers `fcn backends`. */
export function register(program: Command): void {
  program
    .command('backends')
    .description('list the TensorFlow.js backends: installed, working, chosen')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const { probeBackends, GPU_HINT, WASM_KERNELS, NATIVE_KERNELS } = await import('../../runtime/index.js');
      const report = await probeBackends();
      const { chooseEngine, ONNX_FASTER_THAN } = await import('../../runtime/engine-choice.js');
      const { loadOrt } = await import('../../runtime/onnx-engine.js');
      const onnxInstalled = (await loadOrt()) !== undefined;
      const engine = {
        chosen: chooseEngine(undefined, report.chosen, onnxInstalled),
        onnxInstalled,
        onnxFasterThan: ONNX_FASTER_THAN,
      };
      if (options.json) {
        process.stdout.write(
          JSON.stringify(
            {
              ...report,
              engine,
              nativeKernels: Object.keys(NATIVE_KERNELS),
              wasmKernels: Object.keys(WASM_KERNELS),
              gpu: GPU_HINT,
            },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      const { default: Table } = await import('cli-table3');
      const plain = process.stdout.isTTY ? {} : { style: { head: [], border: [] } };
      const table = new Table({ head: ['backend', 'package', 'installed', 'working', 'chosen', 'note'], ...plain });
      for (const b of report.backends) {
        table.push([
          b.name,
          b.package,
          b.installed ? 'yes' : 'no',
          b.working ? 'yes' : 'no',
          b.name === report.chosen ? '*' : '',
          b.reason,
        ]);
      }
      process.stdout.write(`${table.toString()}\n`);
      process.stdout.write(
        `chosen: ${report.chosen}${process.env['FCN_BACKEND'] ? ` (FCN_BACKEND=${process.env['FCN_BACKEND']})` : ''}\n`,
      );
      process.stdout.write(
        `inference engine of fcn predict: ${engine.chosen}` +
          (onnxInstalled
            ? ` (onnxruntime-node is installed; measured faster than ${ONNX_FASTER_THAN.join(', ')} by bench/onnx.ts)`
            : ' (onnxruntime-node is not installed: npm install onnxruntime-node for the ONNX engine)') +
          '\n',
      );
      process.stdout.write(`kernels native runs in its addon: ${Object.keys(NATIVE_KERNELS).join(', ')}\n`);
      process.stdout.write(`kernels fcn adds to wasm: ${Object.keys(WASM_KERNELS).join(', ')}\n`);
      process.stdout.write(`${GPU_HINT}\n`);
    });
}
