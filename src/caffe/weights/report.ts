/**
 * The report of `fcn import-weights` and `fcn transplant`: a table of every .fcn layer with
 * parameters (copied, reshaped, dropped or missing, and from which source layer), then the
 * source layers nothing took; or the same as JSON.
 */
import Table from 'cli-table3';
import { planTable, type Plan } from './plan.js';
import type { ApplyResult } from './apply.js';

/** The human report. */
export function reportText(result: ApplyResult, source: string, output: string): string {
  const table = new Table({ head: ['layer', 'from', 'status', 'detail'], style: { head: [], border: [] } });
  table.push(...planTable(result.plan));
  const count = (s: string) => result.plan.rows.filter((r) => r.status === s).length;
  const summary =
    `${count('copied')} copied, ${count('reshaped')} reshaped, ${count('dropped')} dropped, ${count('missing')} missing, ` +
    `${result.plan.unexpected.length} unexpected`;
  const lines = [table.toString(), summary];
  for (const a of result.plan.ambiguous) lines.push(`ambiguous (not used): ${a}`);
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  lines.push(
    `wrote ${output}: net ${result.netName}, ${result.params.toLocaleString('en-US')} parameters, from ${source}`,
  );
  return lines.join('\n') + '\n';
}

/** The `--json` report. */
export function reportJson(result: ApplyResult, source: string, output: string): string {
  const plan: Plan = result.plan;
  const pick = (s: string) => plan.rows.filter((r) => r.status === s);
  return (
    JSON.stringify(
      {
        source,
        output,
        net: result.netName,
        params: result.params,
        copied: pick('copied'),
        reshaped: pick('reshaped'),
        dropped: pick('dropped'),
        missing: pick('missing'),
        unexpected: plan.unexpected,
        ambiguous: plan.ambiguous,
        warnings: result.warnings,
      },
      null,
      2,
    ) + '\n'
  );
}
