/** Stage 6, assemble: the scan's result, in a stable order (findings by severity, then place). */
import { VERSION } from '../core/version.js';
import type { Finding } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import { type DependencyGraph, RESULT_SCHEMA_VERSION, type ScanResult } from '../model/result.js';
import { severityRank } from '../model/severity.js';
import type { Analysis } from './analyze.js';
import type { Extraction } from './extract.js';
import type { ScanPlan } from './plan.js';
import { notCheckedOf, type PolicyOutcome } from './policy.js';
import type { ResolvedFacts } from './resolve.js';

/** What the gate stages add: the policy's decisions and, for a changed-only scan, what changed. */
export interface GateOutcome extends PolicyOutcome {
  baselineFile?: string;
  privatePackages: number;
  changed?: ScanResult['changed'];
  /** Include the scanned lockfiles' dependency graphs (an SBOM needs them). */
  dependencyGraph?: boolean;
}

export function assemble(
  inputs: readonly string[],
  plan: ScanPlan,
  extraction: Extraction,
  refs: readonly PackageRef[],
  facts: ResolvedFacts,
  analysis: Analysis,
  gate: GateOutcome,
  durationMs: number,
): ScanResult {
  const warnings = [...extraction.warnings, ...facts.warnings, ...analysis.warnings];
  const skipped = plan.skipped;
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'vouch', version: VERSION },
    inputs: [...inputs],
    packages: refs.filter((ref) => extraction.targetFiles.has(ref.location.file)).sort(compareRefs),
    findings: gate.findings.sort(compareFindings),
    errors: [...plan.errors, ...extraction.errors, ...facts.errors],
    skipped,
    unchecked: gate.unchecked,
    checks: analysis.checks,
    ...(gate.ignored.length > 0 ? { ignored: gate.ignored.sort(compareFindings) } : {}),
    ...(gate.suppressions.length > 0 ? { suppressions: gate.suppressions } : {}),
    ...(gate.baselined !== undefined
      ? { baseline: { file: gate.baselineFile ?? '', baselined: gate.baselined } }
      : {}),
    ...(gate.changed ? { changed: gate.changed } : {}),
    ...(gate.privatePackages > 0 ? { privatePackages: gate.privatePackages } : {}),
    notChecked: notCheckedOf(gate.unchecked, analysis.checks, skipped),
    ...(gate.dependencyGraph ? { dependencies: dependencyGraphs(extraction) } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    stats: {
      filesScanned: extraction.targetFiles.size,
      bytesScanned: extraction.bytesScanned,
      durationMs: Math.round(durationMs),
    },
  };
}

function compareRefs(a: PackageRef, b: PackageRef): number {
  return (
    cmp(a.location.file, b.location.file) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    cmp(a.name, b.name)
  );
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.location.file, b.location.file) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    cmp(a.kind, b.kind) ||
    cmp(a.name, b.name)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dependencyGraphs(extraction: Extraction): DependencyGraph[] {
  const graphs: DependencyGraph[] = [];
  for (const { file, facts } of extraction.facts) {
    if (!extraction.targetFiles.has(file)) continue;
    for (const fact of facts)
      if (fact.kind === 'dependency-graph')
        graphs.push({
          file,
          ecosystem: fact.ecosystem,
          ...(fact.roots ? { roots: fact.roots } : {}),
          edges: fact.edges,
        });
  }
  return graphs.sort((a, b) => cmp(a.file, b.file));
}
