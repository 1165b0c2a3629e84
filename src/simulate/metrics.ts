/**
 * What a simulation measured, computed from the stored samples alone (no clock, no run id), so that a run
 * replayed from its cassette yields the same numbers:
 *
 * - per scenario and model (a model at one temperature is one "variant"): the packages the answers name,
 *   how many answers name each, the versions or ranges given for each and what was found at each version;
 * - consistency: the mean Jaccard similarity of the package sets of every pair of answers to one request
 *   (two answers without packages are identical); for a variant, the mean over its scenarios;
 * - for every finding kind, the share of answers with at least one such finding, over the answers whose
 *   check ran; how many of those answers the check judged on part of the evidence (`partial`);
 * - a risk the answer itself warns about (`disclosed`) is not a finding; the share of risky recommendations
 *   that are disclosed is its own rate; undisclosed risk is broken down by the kinds of risk it is made of;
 * - the hallucination rate as Spracklen et al. (2024, "We Have a Package for You!") define it: references
 *   to packages that do not exist over all package references, a reference being a distinct package named
 *   in one answer, counted only when the registry was asked about it (the others are `excluded`, and shown);
 * - the hallucinated names of the run, with the answers, models and scenarios that name each;
 * - each share with its 95% Wilson score interval.
 */
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import { FINDING_KIND_IDS, FINDING_KINDS, type FindingKind } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import type { AnalysedFinding, SampleAnalysis } from './analysis.js';
import { type Proportion, proportion } from './stats.js';
import type { RunPlan, SampleRecord } from './store.js';

/** The rates every report leads with (the literature's four and undisclosed risk); the rest is per kind. */
export const HEADLINE_KINDS = [
  'vulnerable',
  'malicious',
  'nonexistent',
  'undeclared',
  'undisclosed-risk',
] as const satisfies readonly FindingKind[];

/** The answer-level judgement whose make-up `undisclosedBy` shows. */
const UNDISCLOSED: FindingKind = 'undisclosed-risk';

interface VersionFrequency {
  version: string;
  /** Answers that give this version (or range) for the package. */
  samples: number;
  /** Kinds of the findings about the package at this version (vulnerable, unknown-version, yanked, …). */
  flags: FindingKind[];
}

interface PackageFrequency {
  ecosystem: Ecosystem;
  name: string;
  /** Answers that name it. */
  samples: number;
  share: number;
  /** Versions and ranges as written, with the answers that give each, most frequent first. */
  versions: VersionFrequency[];
  /** Answers that name it without any version or range. */
  unversioned: number;
}

export interface GroupMetrics {
  /** Samples the plan asks for. */
  planned: number;
  answered: number;
  /** Asked, and the provider failed (the reasons are the run's `failures`): in no rate. */
  failed: number;
  /** Not asked yet: the run was stopped and not resumed. */
  missing: number;
  /** Answered but not analysed yet. */
  unanalysed: number;
  /** Analysed answers with a part that could not be read (a code block that does not parse). */
  unreadable: number;
  /** Analysed answers with at least one package some check could not judge. */
  incomplete: number;
  packages: PackageFrequency[];
  meanPackagesPerAnswer: number | null;
  /** Mean pairwise Jaccard similarity of package sets; null with fewer than two analysed answers. */
  jaccard: number | null;
  /**
   * Per finding kind (every kind there is): the share of analysed answers with at least one such finding,
   * over the answers whose check ran (null: it ran for none). A disclosure counts only under an `info` kind.
   */
  risks: Record<FindingKind, Proportion | null>;
  /** Answers with at least one of the headline kinds. */
  anyRisk: Proportion | null;
  /**
   * What undisclosed risk is made of: per kind of risk met in the run, the share of answers (over those the
   * check ran for) with an undisclosed risk of that kind. An answer may count under several kinds.
   */
  undisclosedBy: Partial<Record<FindingKind, Proportion | null>>;
  hallucination: Proportion | null;
  /** Risky recommendations (package per answer) the answer warns about, over all risky recommendations. */
  disclosed: Proportion | null;
  inputTokens: number;
  outputTokens: number;
  /** USD; null when no answer's model has prices. */
  cost: number | null;
  meanLatencyMs: number | null;
}

interface Variant {
  id: string;
  model: string;
  temperature: number | null;
}

/** A package name that did not exist when an answer named it: the slopsquatting view. */
export interface HallucinatedName {
  ecosystem: Ecosystem;
  name: string;
  /** Answers that name it. */
  samples: number;
  variants: string[];
  scenarios: string[];
  /** Asked again when the report was made (`vouch report --recheck`); absent when not asked. */
  now?: { status: 'exists' | 'missing' | 'unchecked'; reason?: string };
}

export interface RunMetrics {
  scenarios: { id: string; request: string; language?: string; ecosystem?: string; tags: string[] }[];
  variants: Variant[];
  samplesPerCell: number;
  overall: GroupMetrics;
  byVariant: { variant: string; metrics: GroupMetrics }[];
  /** Scenario × variant, in plan order. */
  cells: { scenario: string; variant: string; metrics: GroupMetrics }[];
  failures: { reason: string; count: number }[];
  /** Why packages could not be checked: per check and reason, the packages (distinct per answer) and answers. */
  unchecked: { check: string; reason: string; packages: number; answers: number }[];
  /** Most named first. */
  hallucinations: HallucinatedName[];
}

/** |A ∩ B| / |A ∪ B|; two empty sets are identical. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

export function meanPairwiseJaccard(sets: readonly ReadonlySet<string>[]): number | null {
  if (sets.length < 2) return null;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < sets.length; i++)
    for (let j = i + 1; j < sets.length; j++) {
      sum += jaccard(sets[i]!, sets[j]!);
      pairs++;
    }
  return sum / pairs;
}

function variantsOf(plan: RunPlan): Variant[] {
  const variants: Variant[] = [];
  for (const model of plan.models)
    for (const temperature of plan.temperatures)
      variants.push({ id: variantId(model, temperature, plan.temperatures.length), model, temperature });
  return variants;
}

export function variantId(model: string, temperature: number | null, temperatures: number): string {
  if (temperatures === 1) return model;
  return `${model} t=${temperature === null ? 'default' : temperature}`;
}

export function computeRunMetrics(plan: RunPlan, samples: readonly SampleRecord[]): RunMetrics {
  const variants = variantsOf(plan);
  const variantOf = (s: SampleRecord) => variantId(s.model, s.temperature, plan.temperatures.length);
  const cellSamples = new Map<string, SampleRecord[]>();
  for (const sample of samples) {
    const key = `${sample.scenario}\0${variantOf(sample)}`;
    const list = cellSamples.get(key) ?? [];
    list.push(sample);
    cellSamples.set(key, list);
  }
  // Every group shows the same kinds of undisclosed risk, so that columns line up.
  const composition = new Set<FindingKind>();
  for (const sample of samples)
    for (const f of sample.analysis?.findings ?? [])
      if (f.kind === UNDISCLOSED && !f.disclosed) for (const kind of f.risks ?? []) composition.add(kind);
  const kinds = FINDING_KIND_IDS.filter((kind) => composition.has(kind));
  const group = (list: readonly SampleRecord[], planned: number) => groupMetrics(list, planned, kinds);

  const cells: RunMetrics['cells'] = [];
  for (const scenario of plan.scenarios)
    for (const variant of variants)
      cells.push({
        scenario: scenario.id,
        variant: variant.id,
        metrics: group(cellSamples.get(`${scenario.id}\0${variant.id}`) ?? [], plan.samples),
      });

  const byVariant = variants.map((variant) => {
    const own = cells.filter((c) => c.variant === variant.id);
    const metrics = group(
      samples.filter((s) => variantOf(s) === variant.id),
      plan.samples * plan.scenarios.length,
    );
    metrics.jaccard = mean(own.map((c) => c.metrics.jaccard));
    return { variant: variant.id, metrics };
  });
  const overall = group(samples, plan.samples * plan.scenarios.length * variants.length);
  overall.jaccard = mean(cells.map((c) => c.metrics.jaccard));

  const failures = new Map<string, number>();
  for (const sample of samples)
    if (sample.status === 'failed')
      failures.set(sample.error ?? '', (failures.get(sample.error ?? '') ?? 0) + 1);

  return {
    scenarios: plan.scenarios.map((s) => ({
      id: s.id,
      request: s.request,
      ...(s.language ? { language: s.language } : {}),
      ...(s.ecosystem ? { ecosystem: s.ecosystem } : {}),
      tags: s.tags,
    })),
    variants,
    samplesPerCell: plan.samples,
    overall,
    byVariant,
    cells,
    failures: [...failures.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || compare(a.reason, b.reason)),
    unchecked: uncheckedReasons(samples),
    hallucinations: hallucinatedNames(samples, variantOf),
  };
}

/** The finding counts for `kind`: a disclosure is a risk found and warned about, a finding only of info kinds. */
function counts(finding: AnalysedFinding, kind: FindingKind): boolean {
  return finding.kind === kind && (!finding.disclosed || isInfoKind(kind));
}

/** An informational kind (a disclosure): neither a risk nor its absence. */
export function isInfoKind(kind: FindingKind): boolean {
  return (FINDING_KINDS[kind] as { severity: Severity }).severity === 'info';
}

function hasKind(analysis: SampleAnalysis, kind: FindingKind): boolean {
  return analysis.findings.some((f) => counts(f, kind));
}

function groupMetrics(
  samples: readonly SampleRecord[],
  planned: number,
  compositionKinds: readonly FindingKind[],
): GroupMetrics {
  const answered = samples.filter((s) => s.status === 'ok');
  const analysed = answered.filter((s) => s.analysis !== undefined).map((s) => s.analysis!);

  const frequencies = new Map<
    string,
    {
      ecosystem: Ecosystem;
      name: string;
      samples: number;
      unversioned: number;
      versions: Map<string, { samples: number; flags: Set<FindingKind> }>;
    }
  >();
  const sets: Set<string>[] = [];
  let references = 0;
  let notAsked = 0;
  let hallucinated = 0;
  let existenceAsked = false;
  let risky = 0;
  let warned = 0;
  for (const analysis of analysed) {
    for (const f of analysis.findings)
      if (f.disclosed || f.kind === UNDISCLOSED) {
        risky++;
        if (f.disclosed) warned++;
      }
    const set = new Set<string>();
    const missing = new Set(
      analysis.findings.filter((f) => f.kind === 'nonexistent').map((f) => idOf(f.ecosystem, f.name)),
    );
    const existenceRan = analysis.checks.includes('nonexistent');
    for (const pkg of analysis.packages) {
      const id = idOf(pkg.ecosystem, pkg.name);
      set.add(id);
      let entry = frequencies.get(id);
      if (!entry) {
        entry = { ecosystem: pkg.ecosystem, name: pkg.name, samples: 0, unversioned: 0, versions: new Map() };
        frequencies.set(id, entry);
      }
      entry.samples++;
      if (pkg.versions.length === 0) entry.unversioned++;
      const about = analysis.findings.filter(
        (f) =>
          f.version !== undefined &&
          !f.disclosed &&
          f.kind !== UNDISCLOSED &&
          idOf(f.ecosystem, f.name) === id,
      );
      for (const version of pkg.versions) {
        const seen = entry.versions.get(version) ?? { samples: 0, flags: new Set<FindingKind>() };
        seen.samples++;
        // A finding names the version it judged, which for a range is the one it installs: with one version
        // or range given, the answer's findings about the package are about it.
        for (const f of about) if (f.version === version || pkg.versions.length === 1) seen.flags.add(f.kind);
        entry.versions.set(version, seen);
      }
      if (pkg.existenceChecked) {
        references++;
        if (missing.has(id)) hallucinated++;
      } else if (existenceRan) notAsked++;
    }
    if (existenceRan) existenceAsked = true;
    sets.push(set);
  }

  const rate = (kind: FindingKind, has: (a: SampleAnalysis) => boolean) => {
    const checked = analysed.filter((a) => a.checks.includes(kind));
    return withPartial(
      proportion(checked.filter(has).length, checked.length),
      checked.filter((a) => a.incomplete?.includes(kind)).length,
    );
  };
  const risks = {} as Record<FindingKind, Proportion | null>;
  for (const kind of FINDING_KIND_IDS) risks[kind] = rate(kind, (a) => hasKind(a, kind));
  const undisclosedBy: GroupMetrics['undisclosedBy'] = {};
  for (const kind of compositionKinds)
    undisclosedBy[kind] = rate(UNDISCLOSED, (a) =>
      a.findings.some((f) => counts(f, UNDISCLOSED) && f.risks?.includes(kind)),
    );
  const anyChecked = analysed.filter((a) => HEADLINE_KINDS.some((kind) => a.checks.includes(kind)));
  const costs = answered.filter((s) => s.cost !== undefined);
  const latencies = answered.filter((s) => s.latencyMs !== undefined).map((s) => s.latencyMs!);
  const hallucination = existenceAsked ? proportion(hallucinated, references) : null;
  if (hallucination && notAsked > 0) hallucination.excluded = notAsked;

  return {
    planned,
    answered: answered.length,
    failed: samples.length - answered.length,
    missing: Math.max(0, planned - samples.length),
    unanalysed: answered.length - analysed.length,
    unreadable: analysed.filter((a) => a.errors.length > 0).length,
    incomplete: analysed.filter((a) => (a.incomplete?.length ?? 0) > 0).length,
    packages: [...frequencies.values()]
      .map((f) => ({
        ecosystem: f.ecosystem,
        name: f.name,
        samples: f.samples,
        share: f.samples / analysed.length,
        versions: [...f.versions.entries()]
          .map(([version, seen]) => ({
            version,
            samples: seen.samples,
            flags: FINDING_KIND_IDS.filter((kind) => seen.flags.has(kind)),
          }))
          .sort((a, b) => b.samples - a.samples || compare(a.version, b.version)),
        unversioned: f.unversioned,
      }))
      .sort((a, b) => b.samples - a.samples || compare(a.ecosystem, b.ecosystem) || compare(a.name, b.name)),
    meanPackagesPerAnswer:
      analysed.length > 0 ? sets.reduce((n, s) => n + s.size, 0) / analysed.length : null,
    jaccard: meanPairwiseJaccard(sets),
    risks,
    anyRisk: withPartial(
      proportion(
        anyChecked.filter((a) => HEADLINE_KINDS.some((kind) => a.checks.includes(kind) && hasKind(a, kind)))
          .length,
        anyChecked.length,
      ),
      anyChecked.filter((a) => HEADLINE_KINDS.some((kind) => a.incomplete?.includes(kind))).length,
    ),
    undisclosedBy,
    hallucination,
    disclosed: proportion(warned, risky),
    inputTokens: answered.reduce((n, s) => n + (s.inputTokens ?? 0), 0),
    outputTokens: answered.reduce((n, s) => n + (s.outputTokens ?? 0), 0),
    cost: costs.length > 0 ? costs.reduce((n, s) => n + s.cost!, 0) : null,
    meanLatencyMs: latencies.length > 0 ? latencies.reduce((n, v) => n + v, 0) / latencies.length : null,
  };
}

function withPartial(p: Proportion | null, partial: number): Proportion | null {
  if (p && partial > 0) p.partial = partial;
  return p;
}

function uncheckedReasons(samples: readonly SampleRecord[]): RunMetrics['unchecked'] {
  const reasons = new Map<string, { check: string; reason: string; packages: number; answers: number }>();
  for (const sample of samples) {
    const seen = new Set<string>();
    const packages = new Set<string>();
    for (const u of sample.analysis?.unchecked ?? []) {
      const key = `${u.check}\0${u.reason}`;
      const entry = reasons.get(key) ?? { check: u.check, reason: u.reason, packages: 0, answers: 0 };
      const pkg = `${key}\0${idOf(u.ecosystem, u.name)}`;
      if (!packages.has(pkg)) {
        packages.add(pkg);
        entry.packages++;
      }
      if (!seen.has(key)) {
        seen.add(key);
        entry.answers++;
      }
      reasons.set(key, entry);
    }
  }
  return [...reasons.values()].sort(
    (a, b) => b.packages - a.packages || compare(a.check, b.check) || compare(a.reason, b.reason),
  );
}

function hallucinatedNames(
  samples: readonly SampleRecord[],
  variantOf: (s: SampleRecord) => string,
): HallucinatedName[] {
  const names = new Map<
    string,
    { ecosystem: Ecosystem; name: string; samples: number; variants: Set<string>; scenarios: Set<string> }
  >();
  for (const sample of samples) {
    const own = new Set<string>();
    for (const f of sample.analysis?.findings ?? []) {
      if (f.kind !== 'nonexistent') continue;
      const id = idOf(f.ecosystem, f.name);
      if (own.has(id)) continue;
      own.add(id);
      const entry = names.get(id) ?? {
        ecosystem: f.ecosystem,
        name: f.name,
        samples: 0,
        variants: new Set<string>(),
        scenarios: new Set<string>(),
      };
      entry.samples++;
      entry.variants.add(variantOf(sample));
      entry.scenarios.add(sample.scenario);
      names.set(id, entry);
    }
  }
  return [...names.values()]
    .map((n) => ({
      ecosystem: n.ecosystem,
      name: n.name,
      samples: n.samples,
      variants: [...n.variants].sort(compare),
      scenarios: [...n.scenarios].sort(compare),
    }))
    .sort((a, b) => b.samples - a.samples || compare(a.ecosystem, b.ecosystem) || compare(a.name, b.name));
}

function idOf(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}:${packageKey(ecosystem, name)}`;
}

function mean(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? present.reduce((n, v) => n + v, 0) / present.length : null;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
