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
  /** A FIFO, socket or device: reading one could block forever or never end. */
  | 'not-a-regular-file'
  /** A name that is not valid UTF-8: it cannot be named in a report, nor opened by that name. */
  | 'undecodable-name'
  /** A folder of test inputs (fixtures, snapshot inputs) that are data, not code. */
  | 'inert-data'
  /** `.gitattributes` marks it `linguist-vendored` or `linguist-generated`: not the project's own code. */
  | 'vendored';

/** Why a path was skipped, in words (reporters and error messages). */
export const SKIP_REASONS: Record<SkipReason, string> = {
  binary: 'binary (a NUL byte in its first 8 KiB)',
  'too-large': 'larger than the size limit (--max-file-size)',
  'symlink-outside-root': 'a symlink leading out of the scanned folder',
  'symlink-loop': 'a symlink to a folder already walked',
  unreadable: 'unreadable',
  'not-a-regular-file': 'not a regular file (a FIFO, socket or device)',
  'undecodable-name': 'its name is not valid UTF-8',
  'inert-data': 'a folder of test inputs (data, not code)',
  vendored: 'marked linguist-vendored or linguist-generated in .gitattributes',
};

/** What a skipped path would have been read as (the kind of the extractor that wanted it), or a folder. */
export type SkippedKind = 'manifest' | 'lockfile' | 'source' | 'document' | 'folder';

export interface SkippedFile {
  /** A file, or for `inert-data` the folder. */
  file: string;
  reason: SkipReason;
  /** Why, in words, where the reason alone does not say. */
  detail?: string;
  kind?: SkippedKind;
}

/**
 * Whether a skipped path hides what a package manager would install: a manifest or lockfile, or a folder whose
 * contents are unknown. A gate must not pass without it (exit 2, like a file that could not be parsed). A link
 * not followed on purpose (out of the tree, or to a folder already walked), test data and vendored code are
 * decisions, not missing evidence.
 */
export function isMissingEvidence(skipped: SkippedFile): boolean {
  if (skipped.reason === 'symlink-loop' || skipped.reason === 'inert-data' || skipped.reason === 'vendored')
    return false;
  if (skipped.kind === 'folder') return skipped.reason !== 'symlink-outside-root';
  return skipped.kind === 'manifest' || skipped.kind === 'lockfile';
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
  /** For a check that ran on facts from elsewhere: where they came from (the advisory checks' database or API). */
  source?: string;
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

/** A lockfile's dependency graph, by package name, as the lockfile records it (for SBOMs). */
export interface DependencyGraph {
  file: string;
  ecosystem: Ecosystem;
  /** The project's direct dependencies, when the lockfile records them. */
  roots?: string[];
  /** `edges[name]`: the names `name` depends on. */
  edges: Record<string, string[]>;
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
  /** With `dependencyGraph` in the scan options: the dependency graphs of the scanned lockfiles. */
  dependencies?: DependencyGraph[];
  /** Things the user should know that are not about one file or package, e.g. an old vulnerability database. */
  warnings?: string[];
  stats: { filesScanned: number; bytesScanned: number; durationMs: number };
}
