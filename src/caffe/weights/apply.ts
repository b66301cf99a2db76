/**
 * `fcn import-weights` and `fcn transplant` share this: emit the .fcn net with its weights
 * left unset (on the cpu backend, whose untouched zero tensors cost no memory), plan every
 * weight from the source, refuse what must be refused, then write the model directory a
 * weight at a time.
 */
import { UserError } from '../../diagnostics/index.js';
import { initValues } from '../../runtime/init.js';
import { emitNet } from '../../runtime/net.js';
import { writeTransposed, writeStatistic, writeValues } from './convert.js';
import { writeModelDir } from './model-writer.js';
import { planWeights, type Mode, type Plan } from './plan.js';
import type { ParamSource } from './source.js';
import { netTargets } from './targets.js';

export interface ApplyOptions {
  net: string;
  netName?: string;
  output: string;
  mode: Mode;
  seed: number;
}

export interface ApplyResult {
  plan: Plan;
  /** Warnings worth printing (an RGB net fed Caffe's BGR weights). */
  warnings: string[];
  netName: string;
  params: number;
}

/** Plans and writes the model directory; a UserError when the source does not fit the net. */
export async function applyWeights(source: ParamSource, options: ApplyOptions): Promise<ApplyResult> {
  const { model, info, analysis } = emitNet(options.net, {
    init: false,
    seed: options.seed,
    ...(options.netName ? { net: options.netName } : {}),
  });
  try {
    const targets = netTargets(analysis.ir, model);
    const plan = planWeights(source, targets.layers, options.mode);
    if (plan.mismatches.length) {
      throw new UserError(
        `${source.path} does not fit ${options.net}: ` +
          `${plan.mismatches.length} shape disagreement${plan.mismatches.length === 1 ? '' : 's'}\n` +
          plan.mismatches.map((m) => `  ${m}`).join('\n') +
          (plan.mismatches.some((m) => /has \(\d+, \d+\)( \+ \(\d+\))?, the net needs \(\d+, \d+, \d+, \d+\)/.test(m))
            ? '\nan inner product where the net has a convolution? `fcn transplant` reshapes it (net surgery)'
            : ''),
      );
    }
    const used = plan.rows.filter((r) => r.status === 'copied' || r.status === 'reshaped').length;
    if (used === 0) {
      const names = source.layers.slice(0, 5).map((l) => l.name);
      throw new UserError(
        `${source.path} fills no layer of net ${info.net}: none of its ${source.layers.length} layers with parameters ` +
          `(${names.join(', ')}${source.layers.length > 5 ? ', …' : ''}) is named like one of the net's. Is it the model of another net?`,
      );
    }
    const warnings = info.inputs
      .filter((i) => i.order !== 'bgr' && i.channels === 3)
      .map(
        (i) =>
          `input ${i.name} is declared RGB; Caffe's models are trained on BGR: declare 'order: bgr' unless this one was not`,
      );
    await writeModelDir(options.output, model, info, targets.weights, (fd, base, w) => {
      const action = plan.actions.get(w.name) ?? { kind: 'init' };
      if (action.kind === 'copy') writeTransposed(fd, base, action.blob, action.as4);
      else if (action.kind === 'statistic') writeStatistic(fd, base, action.blob, action.factor);
      else writeValues(fd, base, initValues(w.init, w.shape, w.layout, options.seed, w.name));
    });
    return { plan, warnings, netName: info.net, params: model.countParams() };
  } finally {
    model.dispose();
  }
}
