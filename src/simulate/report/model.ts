/**
 * What every simulation reporter receives: one run (`vouch report`) or several (`vouch compare`), with the
 * metrics computed already. Reporters only lay them out.
 */
import type { GroupMetrics, Proportion, RiskKind, RunMetrics } from '../metrics.js';

export interface SimulationReport {
  runs: { label: string; metrics: RunMetrics }[];
}

interface ReportOptions {
  color: boolean;
}

export type SimulationReporter = (report: SimulationReport, options: ReportOptions) => string;

/** A column of the comparison: one variant of one run. */
export interface Column {
  label: string;
  run: string;
  variant: string;
  metrics: GroupMetrics;
}

export const RATE_TITLES: Record<RiskKind | 'anyRisk' | 'hallucination' | 'disclosed', string> = {
  vulnerable: 'vulnerable',
  malicious: 'malicious',
  nonexistent: 'nonexistent',
  undeclared: 'undeclared',
  'undisclosed-risk': 'undisclosed risk',
  anyRisk: 'any of these',
  hallucination: 'hallucination rate',
  disclosed: 'risks disclosed',
};

export type RateName = keyof typeof RATE_TITLES;
export const RATE_NAMES = Object.keys(RATE_TITLES) as RateName[];

export function rateOf(metrics: GroupMetrics, name: RateName): Proportion | null {
  if (name === 'anyRisk') return metrics.anyRisk;
  if (name === 'hallucination') return metrics.hallucination;
  if (name === 'disclosed') return metrics.disclosed;
  return metrics.risks[name];
}

/** Variants of every run, labelled with the run only when there are several runs. */
export function columns(report: SimulationReport): Column[] {
  const several = report.runs.length > 1;
  return report.runs.flatMap((run) =>
    run.metrics.byVariant.map((v) => ({
      label: several ? `${run.label} · ${v.variant}` : v.variant,
      run: run.label,
      variant: v.variant,
      metrics: v.metrics,
    })),
  );
}

/** Scenario rows in first-seen order across runs, each with its cell per column (undefined: not in that run). */
export function scenarioRows(
  report: SimulationReport,
): { scenario: string; request: string; cells: (GroupMetrics | undefined)[] }[] {
  const cols = columns(report);
  const rows = new Map<string, { scenario: string; request: string; cells: (GroupMetrics | undefined)[] }>();
  for (const run of report.runs)
    for (const scenario of run.metrics.scenarios)
      if (!rows.has(scenario.id))
        rows.set(scenario.id, {
          scenario: scenario.id,
          request: scenario.request,
          cells: cols.map(() => undefined),
        });
  for (const run of report.runs)
    for (const cell of run.metrics.cells) {
      const index = cols.findIndex((c) => c.run === run.label && c.variant === cell.variant);
      rows.get(cell.scenario)!.cells[index] = cell.metrics;
    }
  return [...rows.values()];
}

export function percent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** `12.5% [8.1–18.6%] (10/80)`, or `n/a` for a check that did not run. */
export function formatProportion(p: Proportion | null, withCounts = true): string {
  if (!p) return 'n/a';
  const counts = withCounts ? ` (${p.count}/${p.total})` : '';
  return `${percent(p.rate)} [${percent(p.low)}–${percent(p.high)}]${counts}`;
}

export function formatNumber(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

export function formatCost(cost: number | null): string {
  return cost === null ? 'n/a' : `$${cost.toFixed(4)}`;
}

/** `express ×8 (4.18.2 ×5, ^4.17.1 ×3)` for the most frequent packages. */
export function topPackages(metrics: GroupMetrics, count = 5): string {
  return metrics.packages
    .slice(0, count)
    .map(
      (p) =>
        `${p.name} ×${p.samples}${p.versions.length > 0 ? ` (${p.versions.map((v) => `${v.version} ×${v.samples}`).join(', ')})` : ''}`,
    )
    .join('; ');
}

/** One line for the run totals. */
export function totalsLine(metrics: RunMetrics): string {
  const o = metrics.overall;
  const parts = [
    `${metrics.scenarios.length} scenario${metrics.scenarios.length === 1 ? '' : 's'} × ${metrics.variants.length} variant${metrics.variants.length === 1 ? '' : 's'} × ${metrics.samplesPerCell} sample${metrics.samplesPerCell === 1 ? '' : 's'} = ${o.planned} planned`,
    `${o.answered} answered`,
    `${o.failed} failed`,
  ];
  if (o.missing > 0) parts.push(`${o.missing} not asked yet`);
  if (o.unanalysed > 0) parts.push(`${o.unanalysed} not analysed yet`);
  return parts.join(', ');
}
