/** Vouch's public API: the CLI, the servers and other programs use only what is exported here. */

export { ANALYZERS } from './analyzers/registry.js';
export { VouchError, type VouchErrorCode } from './core/errors.js';
export type { Logger, ProgressEvent } from './core/log.js';
export { VERSION } from './core/version.js';
export { EXTRACTORS } from './extractors/registry.js';
export type { Extractor, ExtractResult } from './extractors/types.js';
export { ECOSYSTEMS, type Ecosystem } from './model/ecosystem.js';
export { FINDING_KINDS, type Finding, type FindingKind } from './model/finding.js';
export type { Location } from './model/location.js';
export { type PackageRef, REF_SOURCES, type RefSource } from './model/package-ref.js';
export {
  type IgnoredFinding,
  type NotChecked,
  RESULT_SCHEMA_VERSION,
  type ScanResult,
  type Suppression,
  type SuppressionStatus,
  type Unchecked,
} from './model/result.js';
export { SEVERITIES, type Severity } from './model/severity.js';
export type { ProjectFact, SourceFile } from './model/source.js';
export { type AnswerCheck, checkAnswer, MAX_ANSWER_BYTES } from './pipeline/answer.js';
export { type CheckedAnswer, type CheckOptions, type CheckResult, check } from './pipeline/check.js';
export { loadConfig, type VouchConfig } from './pipeline/config.js';
export { checkInstallCommand, type InstallCheck, quoteArgv } from './pipeline/install.js';
export { checkManifestEdit, isManifestFile, MAX_MANIFEST_BYTES } from './pipeline/manifest-edit.js';
export { packageLabel } from './pipeline/package-label.js';
export {
  checkPackages,
  MAX_PACKAGES,
  type PackageAdvisory,
  type PackageCheck,
  type PackageCheckOptions,
  type PackageCheckResult,
  type PackageQuery,
  type SafeVersion,
  safeVersion,
} from './pipeline/packages.js';
export {
  type BlockPolicy,
  blockPolicy,
  decidePackage,
  EXIT,
  exitCodeFor,
  type FailOn,
  type GatePolicy,
  type IgnoreEntry,
  type PackageDecision,
  type PackageVerdict,
  type PrivateEntry,
  type ScanPolicy,
  type Verdict,
  verdictFor,
} from './pipeline/policy.js';
export { type ScanOptions, scan } from './pipeline/scan.js';
export { openScanSession, type ScanSession } from './pipeline/session.js';
export type { RegistryOptions } from './registry/resolve.js';
export { escapeMarkdown, oneLine } from './reporters/escape.js';
export { REPORTERS, type ReporterName } from './reporters/registry.js';
export { computeRunMetrics, type RunMetrics } from './simulate/metrics.js';
export { SIMULATION_REPORTERS } from './simulate/report/index.js';
export { runSimulation, type SimulationOptions, type SimulationSummary } from './simulate/runner.js';
export { loadScenarios, type Scenario } from './simulate/scenarios.js';
export { RunStore } from './simulate/store.js';
