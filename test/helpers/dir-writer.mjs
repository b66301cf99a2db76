// Child process of test/versioned-dir.test.ts: writes versions 1…COUNT of DIR with fcn's
// writeDirAtomic (the built code, dist/) and prints `wrote V CALLS` after each. With KILL_AT > 0
// it stops dead right after its KILL_AT-th file-system call that changes something, printing
// `paused CALLS CALL PATH`, so that the test can SIGKILL it exactly there.
// Each version holds data.bin (bytes derived from V) and tag.json {version, sha256 of data.bin}.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';

const [dir, count, killAt] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 0)];
let calls = 0;
for (const name of ['mkdir', 'writeFile', 'appendFile', 'rename', 'rm', 'rmdir', 'unlink', 'symlink', 'link', 'open']) {
  const original = fs.promises[name];
  fs.promises[name] = async (...args) => {
    const result = await original(...args);
    if (name === 'open' && !/[wa+]/.test(String(args[1] ?? 'r'))) return result; // reading (fsync) changes nothing
    calls += 1;
    if (calls === killAt) {
      process.stdout.write(`paused ${calls} ${name} ${args[0]}\n`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until SIGKILL
    }
    return result;
  };
}
syncBuiltinESMExports(); // the ESM bindings of node:fs/promises now see the wrapped calls

const { writeDirAtomic } = await import('../../dist/util/index.js');
const kind = { what: 'a test directory', marker: 'tag.json', test: () => true };
for (let version = 1; version <= count; version++) {
  const data = Buffer.alloc(1 << 16);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + version * 7) & 255;
  const sha256 = createHash('sha256').update(data).digest('hex');
  await writeDirAtomic(
    dir,
    async (tmp) => {
      await fs.promises.writeFile(join(tmp, 'data.bin'), data);
      await fs.promises.writeFile(join(tmp, 'tag.json'), JSON.stringify({ version, sha256 }));
    },
    { kind },
  );
  process.stdout.write(`wrote ${version} ${calls}\n`);
}
