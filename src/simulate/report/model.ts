/**
 * What every simulation reporter receives: one run (`vouch report`) or several (`vouch compare`), with the
 * metrics and the tests of their differences computed already (`buildReport`). Reporters only lay them out.
 */
import { FINDING_KIND_IDS, type FindingKind } from '../../model/finding.js';
import {
  type GroupMetrics,
  type HallucinatedName,
  HEADLINE_KINDS,
  isInfoKind,
  type RunMetrics,
  variantId,
} from '../metrics.js';
import { ALPHA, type Difference, difference, holm, type Proportion } from '../stats.js';
import type { SampleRecord } from '../store.js';

/** A sample as the drill-down shows it: the record and the variant it belongs to. */
export type SampleView = SampleRecord & { variant: string };

export interface ReportRun {
  label: string;
  metrics: RunMetrics;
  /** The samples themselves, for the reporters that show answers (HTML). */
  samples?: SampleView[];
}

/** One metric of two columns, tested. */
interface DifferenceTest extends Difference {
  rate: RateName;
  a: string;
  b: string;
  /** Holm-adjusted over every test of the report. */
  adjustedP: number;
  significant: boolean;
}

export interface SimulationReport {
  runs: ReportRun[];
  /** Every pair of columns, every rate both have with at least one count; empty with one column. */
  tests: DifferenceTest[];
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

/** Rates of answers per finding kind, and the three that count something else. */
export type RateName = FindingKind | 'anyRisk' | 'hallucination' | 'disclosed';

interface RateInfo {
  title: string;
  /** Which way is better for a user of the model; null: neither (a count of disclosures, of consistency). */
  better: 'lower' | 'higher' | null;
  /** What the rate counts. */
  unit: 'answers' | 'package references' | 'risky recommendations';
}

const SPECIAL_RATES: Record<'anyRisk' | 'hallucination' | 'disclosed', RateInfo> = {
  anyRisk: { title: 'any of these', better: 'lower', unit: 'answers' },
  hallucination: { title: 'hallucination rate', better: 'lower', unit: 'package references' },
  disclosed: { title: 'risks disclosed', better: 'higher', unit: 'risky recommendations' },
};

export function rateInfo(name: RateName): RateInfo {
  if (name in SPECIAL_RATES) return SPECIAL_RATES[name as keyof typeof SPECIAL_RATES];
  const kind = name as FindingKind;
  return { title: kind, better: isInfoKind(kind) ? null : 'lower', unit: 'answers' };
}

/** The rates every report leads with. */
export const HEADLINE_RATES: readonly RateName[] = [
  ...HEADLINE_KINDS,
  'anyRisk',
  'hallucination',
  'disclosed',
];

/** `vulnerable ↓`: the title with the better direction. */
export function rateTitle(name: RateName): string {
  const info = rateInfo(name);
  return `${info.title}${info.better === 'lower' ? ' ↓' : info.better === 'higher' ? ' ↑' : ''}`;
}

export const DIRECTION_NOTE = '↓ lower is better, ↑ higher is better';

export function rateOf(metrics: GroupMetrics, name: RateName): Proportion | null {
  if (name === 'anyRisk') return metrics.anyRisk;
  if (name === 'hallucination') return metrics.hallucination;
  if (name === 'disclosed') return metrics.disclosed;
  return metrics.risks[name] ?? null;
}

/** Variants of every run, labelled with the run only when there are several runs. */
export function columns(report: Pick<SimulationReport, 'runs'>): Column[] {
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

/** The kinds undisclosed risk is made of in any run, in the order of the kinds table. */
export function compositionKinds(report: SimulationReport): FindingKind[] {
  const seen = new Set<string>();
  for (const run of report.runs)
    for (const kind of Object.keys(run.metrics.overall.undisclosedBy)) seen.add(kind);
  return FINDING_KIND_IDS.filter((kind) => seen.has(kind));
}

/** The report of some runs, with every difference between two columns tested. */
export function buildReport(runs: ReportRun[]): SimulationReport {
  const cols = columns({ runs });
  const rates: RateName[] = [...FINDING_KIND_IDS, 'anyRisk', 'hallucination', 'disclosed'];
  const raw: Omit<DifferenceTest, 'adjustedP' | 'significant'>[] = [];
  for (let i = 0; i < cols.length; i++)
    for (let j = i + 1; j < cols.length; j++)
      for (const rate of rates) {
        const a = rateOf(cols[i]!.metrics, rate);
        const b = rateOf(cols[j]!.metrics, rate);
        // Two shares of nothing differ by nothing: testing them would only dilute the correction.
        if (!a || !b || a.count + b.count === 0) continue;
        raw.push({ rate, a: cols[i]!.label, b: cols[j]!.label, ...difference(a, b) });
      }
  const adjusted = holm(raw.map((t) => t.p));
  return {
    runs,
    tests: raw.map((t, i) => ({ ...t, adjustedP: adjusted[i]!, significant: adjusted[i]! < ALPHA })),
  };
}

/** The samples of a run as the drill-down shows them. */
export function sampleViews(metrics: RunMetrics, samples: readonly SampleRecord[]): SampleView[] {
  const temperatures = new Set(metrics.variants.map((v) => v.temperature)).size;
  return samples.map((s) => ({ ...s, variant: variantId(s.model, s.temperature, temperatures) }));
}

export const TEST_NOTE = `Two-proportion z-test (pooled, two-sided) for each rate of each pair of variants, with Newcombe's hybrid score interval for the difference (95%). The p-values are adjusted with Holm's method over every test in this report (the family), so "significant" means an adjusted p below ${ALPHA}; a rate both variants never show is not tested. ≈: an expected count below 5, where the z-test is approximate. The hallucination rate counts package references, several per answer, which the test treats as independent.`;

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

/** Hallucinated names of every run, merged by name: the answers, variants and scenarios of all runs. */
export function hallucinationRows(report: SimulationReport): HallucinatedName[] {
  const several = report.runs.length > 1;
  const rows = new Map<string, HallucinatedName>();
  for (const run of report.runs)
    for (const n of run.metrics.hallucinations) {
      const key = `${n.ecosystem}\0${n.name}`;
      const row = rows.get(key) ?? { ...n, samples: 0, variants: [], scenarios: [] };
      row.samples += n.samples;
      for (const v of n.variants) {
        const label = several ? `${run.label} · ${v}` : v;
        if (!row.variants.includes(label)) row.variants.push(label);
      }
      for (const s of n.scenarios) if (!row.scenarios.includes(s)) row.scenarios.push(s);
      rows.set(key, row);
    }
  return [...rows.values()].sort((a, b) => b.samples - a.samples || (a.name < b.name ? -1 : 1));
}

export function percent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** `12.5% [8.1–18.6%] (10/80)`, with what the rate could not fully see; `n/a` for a check that did not run. */
export function formatProportion(p: Proportion | null, withCounts = true): string {
  if (!p) return 'n/a';
  const notes = [
    ...(p.partial ? [`${p.partial} partial`] : []),
    ...(p.excluded ? [`${p.excluded} not checked`] : []),
  ];
  const counts = withCounts
    ? ` (${p.count}/${p.total}${notes.length > 0 ? `; ${notes.join(', ')}` : ''})`
    : '';
  return `${percent(p.rate)} [${percent(p.low)}–${percent(p.high)}]${counts}`;
}

/** `+12.5% [3.1–20.9%]`: a difference of shares in percentage points, with its interval. */
export function formatDifference(t: Difference): string {
  const sign = t.difference > 0 ? '+' : '';
  return `${sign}${percent(t.difference)} [${percent(t.low)} to ${percent(t.high)}]`;
}

export function formatP(p: number): string {
  return p < 0.0001 ? '<0.0001' : p.toFixed(4);
}

export function formatNumber(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

export function formatCost(cost: number | null): string {
  return cost === null ? 'n/a' : `$${cost.toFixed(4)}`;
}

export function formatNow(name: HallucinatedName): string {
  if (!name.now) return 'not rechecked';
  if (name.now.status === 'exists') return 'EXISTS NOW';
  if (name.now.status === 'missing') return 'still missing';
  return `unchecked${name.now.reason ? `: ${name.now.reason}` : ''}`;
}

/** `4.18.2 ×5 [vulnerable], ^4.17.1 ×3`. */
export function formatVersions(versions: GroupMetrics['packages'][number]['versions']): string {
  return versions
    .map((v) => `${v.version} ×${v.samples}${v.flags.length > 0 ? ` [${v.flags.join(', ')}]` : ''}`)
    .join(', ');
}

/** `express ×8 (4.18.2 ×5, ^4.17.1 ×3)` for the most frequent packages. */
export function topPackages(metrics: GroupMetrics, count = 5): string {
  return metrics.packages
    .slice(0, count)
    .map((p) => `${p.name} ×${p.samples}${p.versions.length > 0 ? ` (${formatVersions(p.versions)})` : ''}`)
    .join('; ');
}

/** The samples behind a column's rates: where the planned ones went. */
export function denominatorCells(m: GroupMetrics): string[] {
  return [
    String(m.planned),
    String(m.answered),
    String(m.failed),
    String(m.missing),
    String(m.unanalysed),
    String(m.answered - m.unanalysed),
    String(m.incomplete),
    String(m.unreadable),
  ];
}

export const DENOMINATOR_HEADER = [
  'planned',
  'answered',
  'failed',
  'not asked',
  'not analysed',
  'analysed',
  'partly checked',
  'unreadable parts',
];

export const DENOMINATOR_NOTE =
  'Rates are over the analysed answers whose check ran. Failed samples (provider errors), samples not asked yet and answers not analysed yet are in no rate; partly checked: analysed answers with a package some check could not judge (registry unreachable, a name only guessed from an import), counted in the rates as "partial" — their finding may be missed.';

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
  if (o.incomplete > 0) parts.push(`${o.incomplete} partly checked`);
  return parts.join(', ');
}

/** The headline table of the text formats: per column, the rates, consistency, tokens and cost. */
export const HEADLINE_HEADER = [
  'variant',
  'analysed',
  ...HEADLINE_RATES.map(rateTitle),
  'jaccard',
  'tokens in/out',
  'cost',
];

export function headlineRows(cols: readonly Column[], labels: readonly string[]): string[][] {
  return cols.map((col, i) => [
    labels[i]!,
    String(col.metrics.answered - col.metrics.unanalysed),
    ...HEADLINE_RATES.map((n) => formatProportion(rateOf(col.metrics, n))),
    formatNumber(col.metrics.jaccard),
    `${col.metrics.inputTokens}/${col.metrics.outputTokens}`,
    formatCost(col.metrics.cost),
  ]);
}

/** Per finding kind there is: its title and its share per column. */
export function kindRows(cols: readonly Column[]): string[][] {
  return FINDING_KIND_IDS.map((kind) => [
    rateTitle(kind),
    ...cols.map((col) => formatProportion(rateOf(col.metrics, kind))),
  ]);
}

/** Per kind undisclosed risk is made of: the kind and its share per column. */
export function compositionRows(report: SimulationReport, cols: readonly Column[]): string[][] {
  return compositionKinds(report).map((kind) => [
    kind,
    ...cols.map((col) => formatProportion(col.metrics.undisclosedBy[kind] ?? null)),
  ]);
}

export const NAMES_HEADER = ['name', 'ecosystem', 'answers', 'variants', 'scenarios', 'now'];

/** The hallucinated-names table, every text that came from a model passed through the format's `quote`. */
export function nameRows(report: SimulationReport, quote: (text: string) => string): string[][] {
  return hallucinationRows(report).map((n) => [
    quote(n.name),
    n.ecosystem,
    String(n.samples),
    quote(n.variants.join(', ')),
    quote(n.scenarios.join(', ')),
    quote(formatNow(n)),
  ]);
}
