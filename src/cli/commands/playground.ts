/**
 * `fcn playground -o DIR | --serve [--port N]`: a page with an editor on the nets of nets/ and
 * the `fcn viz` drawing beside it, redrawn as you type; offline (src/playground/). `-o` writes it
 * as a directory fcn owns (marker fcn-playground.json; anything else there is refused unless
 * --force); `--serve` serves it on 127.0.0.1 until Ctrl-C.
 */
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { UserError } from '../../diagnostics/index.js';
import { PLAYGROUND_MARKER, playgroundBundle, renderPlayground } from '../../playground/site.js';
import { checkReplaceable, writeDirAtomic, type OutputKind } from '../../util/index.js';

interface PlaygroundOptions {
  output?: string;
  serve?: boolean;
  port: string;
  force?: boolean;
}

/** A playground directory, as its marker says (src/util/output.ts). */
export const PLAYGROUND_DIR: OutputKind = {
  what: 'an fcn playground',
  marker: PLAYGROUND_MARKER,
  test: (text) => {
    try {
      return (JSON.parse(text) as { generator?: string }).generator === 'fcn playground';
    } catch {
      return false;
    }
  },
};

function page(): string {
  const bundle = playgroundBundle();
  if (bundle === undefined)
    throw new UserError("the playground's browser bundle (dist/playground/app.js) is missing: run `npm run build`");
  return renderPlayground(bundle);
}

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`--port expects 0 to 65535, got '${text}'`, 2);
  return n;
}

/** Serves the page on 127.0.0.1 until the process is stopped. */
async function serve(html: string, at: number): Promise<void> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new UserError(`port ${at} is in use on 127.0.0.1; choose another with --port (0 picks a free one)`)
          : e,
      ),
    );
    server.listen(at, '127.0.0.1', resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : at;
  process.stdout.write(`serving the playground at http://127.0.0.1:${bound}/ (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Registers `fcn playground`. */
export function register(program: Command): void {
  program
    .command('playground')
    .description('an offline page that checks and draws a net as you edit it: write it (-o DIR) or serve it (--serve)')
    .option('-o, --output <dir>', 'write the site into this directory (index.html; open it in a browser)')
    .option('--serve', 'serve the site on http://127.0.0.1:PORT/ until Ctrl-C')
    .option('--port <n>', 'the port for --serve (0: any free one)', '8008')
    .option('--force', 'replace the output directory even if fcn did not write it')
    .action(async (options: PlaygroundOptions) => {
      if (!options.output && !options.serve) throw new UserError('give -o DIR to write the playground, or --serve', 2);
      const at = options.serve ? port(options.port) : 0;
      if (options.output)
        checkReplaceable(options.output, PLAYGROUND_DIR, { force: options.force, flag: '-o', forceFlag: true });
      const html = page();
      if (options.output) {
        const marker = JSON.stringify({ generator: 'fcn playground', files: ['index.html'] }, null, 2) + '\n';
        await writeDirAtomic(
          options.output,
          async (tmp) => {
            await writeFile(join(tmp, 'index.html'), html);
            await writeFile(join(tmp, PLAYGROUND_MARKER), marker);
          },
          { kind: PLAYGROUND_DIR, force: options.force ?? false },
        );
        process.stdout.write(`wrote ${join(options.output, 'index.html')} (open it in a browser; it works offline)\n`);
      }
      if (options.serve) await serve(html, at);
    });
}
