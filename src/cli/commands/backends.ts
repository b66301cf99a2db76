/**
 * `fcn backends [--json]`: which TensorFlow.js backends are installed, which start, which one
 * fcn would choose, and how to get the GPU path.
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
      if (options.json) {
        process.stdout.write(
          JSON.stringify(
            {
              ...report,
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
      process.stdout.write(`kernels native runs in its addon: ${Object.keys(NATIVE_KERNELS).join(', ')}\n`);
      process.stdout.write(`kernels fcn adds to wasm: ${Object.keys(WASM_KERNELS).join(', ')}\n`);
      process.stdout.write(`${GPU_HINT}\n`);
    });
}
