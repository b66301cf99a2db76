import test from 'ava';
import { readFileSync } from 'node:fs';
import { netsTable } from '../scripts/nets-table.js';

test('nets/README.md is the table that `npm run nets-table` generates (run it after changing a net)', async (t) => {
  t.is(readFileSync('nets/README.md', 'utf8'), await netsTable());
});
