import type { Ecosystem } from './ecosystem.js';
import type { Finding } from './finding.js';
import type { PackageRef } from './package-ref.js';

/** Bumped on any incompatible change of the JSON output; documented in docs/json-schema.md. */
export const RESULT_SCHEMA_VERSION = 1;

/** A file that could not be read or parsed. The scan went on without it. */
export interface FileError {
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** The extractor that gave up, if one did. */
  extractor?: string;
}

export type SkipReason =
  | 'binary'
  | 'too-large'
  | 'symlink-outside-root'
  | 'symlink-loop'
  | 'unreadable'
  /** A folder of test inputs (fixtures, snapshot inputs) that are data, not code. */
  | 'inert-data'
  /** `.gitattributes` marks it `linguist-vendored` or `linguist-generated`: not the project's own code. */
  | 'vendored';

export interface SkippedFile {
  /** A file, or for `inert-data` the folder. */
  file: string;
  reason: SkipReason;
  /** Why, in words, where the reason alone does not say. */
  detail?: string;
}

/** A fact that could not be established, so one check could not run for one package. Never a finding. */
export interface Unchecked {
  ecosystem: Ecosystem;
  name: string;
  version?: string;
  check: string;
  reason: string;
  /**
   * Not asked on purpose (a name guessed from an import that no manifest names: its absence from a registry
   * would prove nothing). Listed for completeness; never a gap for `--strict`.
   */
  deliberate?: true;
}

export interface CheckRun {
  id: string;
  status: 'ran' | 'skipped';
  reason?: string;
}

/** Who accepted a finding, and why: a configuration `ignore` entry or a comment in the source. */
export interface Suppression {
  source: 'config' | 'inline';
  /** `vouch.config.json ignore[2]`, or `src/app.js:12` for a comment. */
  where: string;
  reason: string;
  /** The last day (YYYY-MM-DD) the entry applies. */
  until?: string;
}

/** A finding the policy accepted: counted and listed, never a failure. */
export interface IgnoredFinding extends Finding {
  ignoredBy: Suppression;
}

/**
 * What became of one suppression: `applied` (it matched findings), `stale` (it matched nothing: the finding
 * is gone or the entry is wrong), `expired` (past its `until` date: its findings are reported again) or
 * `invalid` (a comment without a reason or with an unknown kind, which suppresses nothing).
 */
export interface SuppressionStatus extends Suppression {
  status: 'applied' | 'stale' | 'expired' | 'invalid';
  /** What the entry matches, in words: `undeclared dayjs`, `vulnerable npm:lodash@4.17.11 GHSA-…`. */
  matches: string;
  /** Findings it matched (for `expired`: the findings it would have hidden). */
  matched: number;
  /** Why an entry is invalid. */
  problem?: string;
}

/** What `--strict` fails on and the one line every report ends with: how much could not be checked. */
export interface NotChecked {
  /** Distinct packages with a check that could not run for them (deliberate ones aside). */
  packages: number;
  /** Those packages by check: `{ "registry": 3, "vulnerable": 1 }`. */
  byCheck: Record<string, number>;
  /** Checks that did not run at all, with the reason. */
  checksSkipped: { id: string; reason: string }[];
  /** Files skipped while reading (any kind). */
  filesSkipped: number;
  /** One sentence per gap a strict gate fails on; empty when everything in scope was checked. */
  gaps: string[];
  /** The one-line summary: `Not checked: …` or `Everything in scope was checked.` */
  summary: string;
}

export interface ScanResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  tool: { name: 'vouch'; version: string };
  /** The inputs as given (paths, or `-` for standard input). */
  inputs: string[];
  packages: PackageRef[];
  findings: Finding[];
  errors: FileError[];
  skipped: SkippedFile[];
  unchecked: Unchecked[];
  checks: CheckRun[];
  /** Findings the policy accepted (an `ignore` entry or an inline comment), each with who accepted it and why. */
  ignored?: IgnoredFinding[];
  /** Every suppression the scan met and what became of it (stale, expired and invalid ones need attention). */
  suppressions?: SuppressionStatus[];
  /** With a baseline: the file and how many of the scan's findings it already held (not reported again). */
  baseline?: { file: string; baselined: number };
  /** With `changedSince`: the ref, its commit, the files changed, and how many findings were already there. */
  changed?: { ref: string; commit: string; files: string[]; existing: number };
  /** Packages the policy declares private: never asked of a registry, never nonexistent or a typosquat. */
  privatePackages?: number;
  notChecked: NotChecked;
  /** Things the user should know that are not about one file or package, e.g. an old vulnerability database. */
  warnings?: string[];
  stats: { filesScanned: number; bytesScanned: number; durationMs: number };
}
