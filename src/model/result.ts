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

export type SkipReason = 'binary' | 'too-large' | 'symlink-outside-root' | 'symlink-loop' | 'unreadable';

export interface SkippedFile {
  file: string;
  reason: SkipReason;
}

/** A fact that could not be established, so one check could not run for one package. Never a finding. */
export interface Unchecked {
  ecosystem: Ecosystem;
  name: string;
  version?: string;
  check: string;
  reason: string;
}

export interface CheckRun {
  id: string;
  status: 'ran' | 'skipped';
  reason?: string;
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
  /** Things the user should know that are not about one file or package, e.g. an old vulnerability database. */
  warnings?: string[];
  stats: { filesScanned: number; bytesScanned: number; durationMs: number };
}
