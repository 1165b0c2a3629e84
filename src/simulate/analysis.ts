/**
 * Each answer goes through the library's own scan, as an answer document, with the caller's vulnerability
 * database and registry settings. What the metrics need of the result is kept with the sample.
 */

import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { FindingKind } from '../model/finding.js';
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
  /** undisclosed-risk entries only: the answer did warn about the risk (evidence.disclosed). */
  disclosed?: true;
}

export interface SampleAnalysis {
  /** Distinct packages of the answer (by ecosystem and the ecosystem's name key), in order of appearance. */
  packages: AnalysedPackage[];
  findings: AnalysedFinding[];
  /** The checks that ran: a rate whose check did not run is unknown, not zero. */
  checks: string[];
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
  const registryUnchecked = new Set(
    result.unchecked
      .filter((u) => u.check === 'registry')
      .map((u) => `${u.ecosystem}\0${packageKey(u.ecosystem, u.name)}`),
  );
  const registryRan = result.checks.some((c) => c.id === 'nonexistent' && c.status === 'ran');
  const packages = new Map<string, AnalysedPackage>();
  for (const ref of result.packages) {
    const id = `${ref.ecosystem}\0${packageKey(ref.ecosystem, ref.name)}`;
    const asked = registryRan && registryEligible(ref) && !registryUnchecked.has(id);
    let entry = packages.get(id);
    if (!entry) {
      entry = { ecosystem: ref.ecosystem, name: ref.name, versions: [], existenceChecked: asked };
      packages.set(id, entry);
    } else entry.existenceChecked ||= asked;
    const version = ref.version ?? ref.spec;
    if (version && !entry.versions.includes(version)) entry.versions.push(version);
  }
  return {
    packages: [...packages.values()],
    findings: result.findings.map((f) => {
      const finding: AnalysedFinding = {
        kind: f.kind,
        severity: f.severity,
        ecosystem: f.ecosystem,
        name: f.name,
      };
      if (f.version !== undefined) finding.version = f.version;
      if (f.location.line !== undefined) finding.line = f.location.line;
      if (f.kind === 'undisclosed-risk' && f.evidence?.disclosed === true) finding.disclosed = true;
      return finding;
    }),
    checks: result.checks.filter((c) => c.status === 'ran').map((c) => c.id),
    errors: result.errors.map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message}`),
  };
}
