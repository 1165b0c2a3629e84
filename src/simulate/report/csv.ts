import { FINDING_KIND_IDS } from '../../model/finding.js';
import type { GroupMetrics } from '../metrics.js';
import type { Proportion } from '../stats.js';
import { compositionKinds, type RateName, rateInfo, rateOf, type SimulationReporter } from './model.js';
import { csvField } from './text.js';

const HEADER = [
  'run',
  'variant',
  'scenario',
  'metric',
  'better',
  'unit',
  'count',
  'total',
  'value',
  'low',
  'high',
  'partial',
  'excluded',
];
const RATES: RateName[] = [...FINDING_KIND_IDS, 'anyRisk', 'hallucination', 'disclosed'];

/** Where the samples of a group went: counts only. */
const SAMPLE_COUNTS: [string, (m: GroupMetrics) => number][] = [
  ['samples:planned', (m) => m.planned],
  ['samples:answered', (m) => m.answered],
  ['samples:failed', (m) => m.failed],
  ['samples:not-asked', (m) => m.missing],
  ['samples:not-analysed', (m) => m.unanalysed],
  ['samples:partly-checked', (m) => m.incomplete],
  ['samples:unreadable-parts', (m) => m.unreadable],
];

/**
 * One row per run, variant, scenario (empty: all of the variant's scenarios) and metric, in long ("tidy")
 * form for R, pandas or a spreadsheet: every rate per finding kind, the undisclosed risk per kind it is made
 * of (`undisclosed-risk:KIND`), the hallucination and disclosure rates, consistency, and where the samples
 * went. A rate whose check did not run has empty numbers.
 */
export const csvReporter: SimulationReporter = (report) => {
  const composition = compositionKinds(report);
  const lines = [HEADER.join(',')];
  // Every row has every column, empty where the metric has no such number.
  const row = (values: (string | number | null | undefined)[]) =>
    lines.push(HEADER.map((_, i) => csvField(values[i])).join(','));
  const rate = (
    run: string,
    variant: string,
    scenario: string,
    metric: string,
    info: ReturnType<typeof rateInfo>,
    p: Proportion | null,
  ) =>
    row([
      run,
      variant,
      scenario,
      metric,
      info.better ?? '',
      info.unit,
      p?.count,
      p?.total,
      p?.rate,
      p?.low,
      p?.high,
      p ? (p.partial ?? 0) : undefined,
      p ? (p.excluded ?? 0) : undefined,
    ]);
  for (const run of report.runs) {
    const groups = [
      ...run.metrics.byVariant.map((v) => ({ variant: v.variant, scenario: '', metrics: v.metrics })),
      ...run.metrics.cells,
    ];
    for (const group of groups) {
      const { metrics } = group;
      for (const name of RATES)
        rate(run.label, group.variant, group.scenario, name, rateInfo(name), rateOf(metrics, name));
      for (const kind of composition)
        rate(
          run.label,
          group.variant,
          group.scenario,
          `undisclosed-risk:${kind}`,
          { title: kind, better: 'lower', unit: 'answers' },
          metrics.undisclosedBy[kind] ?? null,
        );
      row([
        run.label,
        group.variant,
        group.scenario,
        'jaccard',
        '',
        'pairs of answers',
        '',
        '',
        metrics.jaccard,
      ]);
      for (const [metric, count] of SAMPLE_COUNTS)
        row([run.label, group.variant, group.scenario, metric, '', 'samples', count(metrics)]);
    }
  }
  return `${lines.join('\n')}\n`;
};
