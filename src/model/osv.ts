/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) that Vouch reads, and an affected entry
 * made ready for matching (`versions/osv-match.ts`). Anything else in a record is ignored.
 */
import type { Ecosystem } from './ecosystem.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type?: string; url: string }[];
  database_specific?: Record<string, unknown>;
}

export type EventKind = 'introduced' | 'fixed' | 'last_affected';

export interface PreparedEvent {
  kind: EventKind;
  version: string;
}

export interface PreparedRange {
  /** Sorted by version, `introduced: "0"` first; ties keep the record's order, as a stable sort does. */
  events: PreparedEvent[];
  /** A version is in the range only below one of these; none means no limit (`*`). */
  limits: string[];
}

/** An affected entry made ready for fast, repeated matching. */
export interface PreparedAffected {
  ecosystem: Ecosystem;
  ranges: PreparedRange[];
  /** The listed versions in ascending order, for matching spellings the ecosystem treats as equal. */
  versions: string[];
  versionSet: ReadonlySet<string>;
  /** The versions that fix the ranges, ascending. */
  fixed: string[];
  /** GIT ranges, which only a clone of the repository could evaluate. */
  gitRanges: number;
  /** Every version matches: a malicious-package record that names no ranges and no versions. */
  all: boolean;
}

/** One affected interval of a range, for messages: `introduced` absent means from the first version. */
export interface AffectedInterval {
  introduced?: string;
  fixed?: string;
  lastAffected?: string;
  limit?: string;
}
