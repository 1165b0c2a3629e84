/**
 * Each answer goes through the library's own scan, as an answer document, with the caller's vulnerability
 * database and registry settings. What the metrics need of the result is kept with the sample.
 */

import { ANALYZERS } from '../analyzers/registry.js';
import type { Analyzer } from '../analyzers/types.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import { FINDING_KINDS, type FindingKind } from '../model/finding.js';
import type { ScanResult } from '../model/result.js';
import type { Severity } from '../model/severity.js';
import { type ScanOptions, scan } from '../pipeline/scan.js';
import { registryEligible } from '../registry/resolve.js';

export interface AnalysedPackage {
  ecosystem: Ecosystem;
  name: string;
  /** Exact versions and ranges the answer gives for it, as written, each once. */
  versions: string[];
  /** The registry was asked about it and answered (false: not from a registry, or unchecked). */
  existenceChecked: boolean;
}

export interface AnalysedFinding {
  kind: FindingKind;
  severity: Severity;
  ecosystem: Ecosystem;
  name: string;
  version?: string;
  line?: number;
  /** The finding's sentence, for the per-answer drill-down. */
  message?: string;
  /** The answer did warn about the risk (evidence.disclosed): a disclosure, not a finding. */
  disclosed?: true;
  /** An answer-level judgement (undisclosed-risk): the kinds of the risks it is made of (evidence.risks). */
  risks?: FindingKind[];
}

/** A package of the answer that a check could not judge (registry unreachable, a name only guessed). */
interface AnalysedUnchecked {
  check: string;
  ecosystem: Ecosystem;
  name: string;
  reason: string;
}

export interface SampleAnalysis {
  /** Distinct packages of the answer (by ecosystem and the ecosystem's name key), in order of appearance. */
  packages: AnalysedPackage[];
  findings: AnalysedFinding[];
  /** The checks that ran: a rate whose check did not run is unknown, not zero. */
  checks: string[];
  /**
   * Checks that ran but could not judge every package of this answer (a package `unchecked` for the check,
   * or for the registry a check needs): its verdict for the answer rests on part of the evidence.
   */
  incomplete?: string[];
  /** What could not be checked, and why (at most `UNCHECKED_KEPT` entries). */
  unchecked?: AnalysedUnchecked[];
  /** Parts of the answer that could not be read. */
  errors: string[];
}

export type AnalysisOptions = Pick<
  ScanOptions,
  'database' | 'maxDatabaseAge' | 'registry' | 'offline' | 'pythonImportMap' | 'cwd'
>;

/**
 * Answers scanned together: the registry is asked once per distinct package of the batch, and each answer
 * stays its own scope, so batching changes nothing about any one answer's findings.
 */
const BATCH = 250;

function kindsOf(analyzer: Analyzer): string[] {
  return [analyzer.id, ...(analyzer.alsoReports ?? [])];
}

/** Entries of `unchecked` kept per answer: the reasons matter, not a thousand copies of one. */
const UNCHECKED_KEPT = 50;
/** The checks that read registry facts: a package the registry could not be asked about is open for all. */
const REGISTRY_CHECKS: ReadonlySet<string> = new Set(
  ANALYZERS.filter((a) => a.needs === 'registry').flatMap(kindsOf),
);
/** The kinds each check reports: their rates are known where it ran. */
const KINDS_OF_CHECK: ReadonlyMap<string, readonly string[]> = new Map(
  ANALYZERS.map((a) => [a.id, kindsOf(a)]),
);
/** The checks that judge other checks' findings (undisclosed-risk): open when any of those is. */
const JUDGING_CHECKS: ReadonlySet<string> = new Set(
  ANALYZERS.filter((a) => a.dependsOnFindings).flatMap(kindsOf),
);

/** What the scans said once for all answers rather than per answer. */
export interface AnalysisNotes {
  /** Checks that did not run, with the reason (no vulnerability database, registry checks off). */
  skipped: { id: string; reason: string }[];
  /** Warnings of the scans (an old database, an unreachable registry), each once. */
  warnings: string[];
}

/**
 * Analyses answers in order; `onAnalysed` receives them in batches as they are done, so that a caller can
 * store them before the rest is finished.
 */
export async function analyseAnswers<T extends { text: string }>(
  answers: readonly T[],
  options: AnalysisOptions,
  onAnalysed: (batch: { answer: T; analysis: SampleAnalysis }[]) => void,
): Promise<AnalysisNotes> {
  const skipped = new Map<string, string>();
  const warnings = new Set<string>();
  for (let start = 0; start < answers.length; start += BATCH) {
    const batch = answers.slice(start, start + BATCH);
    const documents = batch.map((answer, i) => ({ path: `answer-${start + i}.md`, text: answer.text }));
    const result = await scan([], { ...options, documents });
    const split = splitByDocument(
      result,
      documents.map((d) => d.path),
    );
    onAnalysed(batch.map((answer, i) => ({ answer, analysis: split[i]! })));
    for (const check of result.checks)
      if (check.status === 'skipped' && !skipped.has(check.id))
        skipped.set(check.id, check.reason ?? 'skipped');
    for (const warning of result.warnings ?? []) warnings.add(warning);
  }
  return { skipped: [...skipped].map(([id, reason]) => ({ id, reason })), warnings: [...warnings] };
}

/** One analysis per document of a batch scan, from the findings, packages and errors located in it. */
function splitByDocument(result: ScanResult, paths: readonly string[]): SampleAnalysis[] {
  const index = new Map(paths.map((path, i) => [path, i]));
  const parts = paths.map((): ScanResult => ({ ...result, packages: [], findings: [], errors: [] }));
  for (const ref of result.packages) parts[index.get(ref.location.file) ?? -1]?.packages.push(ref);
  for (const finding of result.findings)
    parts[index.get(finding.location.file) ?? -1]?.findings.push(finding);
  for (const error of result.errors) parts[index.get(error.file) ?? -1]?.errors.push(error);
  return parts.map(summarise);
}

/** What the metrics need of one answer's scan. */
function summarise(result: ScanResult): SampleAnalysis {
  const uncheckedByPackage = new Map<string, AnalysedUnchecked[]>();
  for (const u of result.unchecked) {
    const id = `${u.ecosystem}\0${packageKey(u.ecosystem, u.name)}`;
    const list = uncheckedByPackage.get(id) ?? [];
    list.push({ check: u.check, ecosystem: u.ecosystem, name: u.name, reason: u.reason });
    uncheckedByPackage.set(id, list);
  }
  const ran = [
    ...new Set(
      result.checks.filter((c) => c.status === 'ran').flatMap((c) => KINDS_OF_CHECK.get(c.id) ?? [c.id]),
    ),
  ];
  const registryRan = ran.includes('nonexistent');
  const packages = new Map<string, AnalysedPackage>();
  for (const ref of result.packages) {
    const id = `${ref.ecosystem}\0${packageKey(ref.ecosystem, ref.name)}`;
    const registryUnchecked = uncheckedByPackage.get(id)?.some((u) => u.check === 'registry') ?? false;
    const asked = registryRan && registryEligible(ref) && !registryUnchecked;
    let entry = packages.get(id);
    if (!entry) {
      entry = { ecosystem: ref.ecosystem, name: ref.name, versions: [], existenceChecked: asked };
      packages.set(id, entry);
    } else entry.existenceChecked ||= asked;
    const version = ref.version ?? ref.spec;
    if (version && !entry.versions.includes(version)) entry.versions.push(version);
  }
  // The batch's unchecked entries carry no file: an answer owns those of the packages it names.
  const unchecked = [...packages.keys()].flatMap((id) => uncheckedByPackage.get(id) ?? []);
  const incomplete = new Set<string>();
  for (const u of unchecked) {
    if (u.check === 'registry')
      for (const check of ran) if (REGISTRY_CHECKS.has(check)) incomplete.add(check);
    if (ran.includes(u.check)) incomplete.add(u.check);
  }
  if (incomplete.size > 0) for (const check of ran) if (JUDGING_CHECKS.has(check)) incomplete.add(check);
  const analysis: SampleAnalysis = {
    packages: [...packages.values()],
    findings: result.findings.map(analysedFinding),
    checks: ran,
    errors: result.errors.map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message}`),
  };
  if (incomplete.size > 0) analysis.incomplete = ran.filter((check) => incomplete.has(check));
  if (unchecked.length > 0) analysis.unchecked = unchecked.slice(0, UNCHECKED_KEPT);
  return analysis;
}

function analysedFinding(f: ScanResult['findings'][number]): AnalysedFinding {
  const finding: AnalysedFinding = {
    kind: f.kind,
    severity: f.severity,
    ecosystem: f.ecosystem,
    name: f.name,
    message: f.message,
  };
  if (f.version !== undefined) finding.version = f.version;
  if (f.location.line !== undefined) finding.line = f.location.line;
  if (f.evidence?.disclosed === true) finding.disclosed = true;
  const risks = f.evidence?.risks;
  if (Array.isArray(risks)) {
    const kinds = risks.flatMap((r) => (isFindingKind(r?.kind) ? [r.kind] : []));
    if (kinds.length > 0) finding.risks = [...new Set(kinds)];
  }
  return finding;
}

function isFindingKind(value: unknown): value is FindingKind {
  return typeof value === 'string' && Object.hasOwn(FINDING_KINDS, value);
}
