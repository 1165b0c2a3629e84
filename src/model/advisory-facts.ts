/**
 * What the advisory database says about the packages of a scan: the facts `vulndb/` produces and the
 * analyzers read.
 */
import type { PreparedAffected } from './osv.js';
import type { PackageRef } from './package-ref.js';
import type { Unchecked } from './result.js';
import type { Severity } from './severity.js';

/** One advisory as lookups return it. */
export interface AdvisoryRecord {
  id: string;
  aliases: string[];
  modified: string;
  published?: string;
  summary?: string;
  /** For gates; `severityUnknown` says when no score or label gave it. */
  severity: Severity;
  score?: number;
  vector?: string;
  /** The database's own label (GitHub's reviewed `database_specific.severity`). */
  label?: Severity;
  severityUnknown?: true;
  malicious: boolean;
  /** RUSTSEC's `informational` kind: not a vulnerability but a notice that the crate is unmaintained, unsound… */
  informational?: Informational;
  references: string[];
}

export type Informational = 'unmaintained' | 'unsound' | 'notice';

/** One affected entry of one advisory for one package, ready for matching. */
export interface AffectedEntry {
  advisory: AdvisoryRecord;
  /** The package name as the advisory spells it. */
  name: string;
  prepared: PreparedAffected;
}

/**
 * Advisories that describe one flaw (a CVE, its GHSA, its PYSEC or GO record): found by shared ids and
 * aliases, transitively, and reported once.
 */
export interface AdvisoryGroup {
  /** The id to show: the MAL id of a malicious release, else a CVE, else a GHSA, else a record id. */
  id: string;
  /** Every id and alias of the group, `id` first. */
  ids: string[];
  summary?: string;
  /** For gates: an unknown severity counts as `medium` (`severityUnknown` is then set). */
  severity: Severity;
  score?: number;
  vector?: string;
  /** No record of the group, nor any alias record in the database, rates it. */
  severityUnknown?: true;
  malicious: boolean;
  /** Set when the group's records are informational (RUSTSEC `unmaintained`, `unsound`, `notice`). */
  informational?: Informational;
  /** Versions that fix the group's affected entries for this package, ascending. */
  fixed: string[];
  references: string[];
  published?: string;
  modified: string;
  /** The entries that matched, for range descriptions. */
  entries: AffectedEntry[];
}

export interface ExactAdvisories {
  /** Every group affecting the version: vulnerabilities and malicious releases. */
  groups: AdvisoryGroup[];
  /** The smallest version above it that no advisory of the package affects, among the fixes the data names. */
  upgrade?: string;
}

export interface RangeAdvisory {
  group: AdvisoryGroup;
  /** Affected versions inside the range, among the versions the advisories name, ascending. */
  versions: string[];
  /** The group's affected intervals that reach into the range: `>=4.0.0 <4.17.12`, `<2.20.0`. */
  intervals: string[];
  /** Whether the range admits a version that fixes this advisory: if not, every install of it is affected. */
  avoidable: boolean;
}

export interface RangeAdvisories {
  /** The range as written; undefined for a bare name (any version). */
  spec?: string;
  advisories: RangeAdvisory[];
  /** The smallest version from the range's lowest one up that no advisory affects. */
  upgrade?: string;
  /** Whether the range admits `upgrade`: if not, it can only install versions the data says are affected. */
  admitsUpgrade: boolean;
  /** The version a fresh install picks today (from the registry), with the advisories affecting it. */
  installs?: { version: string; groups: AdvisoryGroup[] };
}

export interface RefAdvisories {
  /** For a reference with an exact version. */
  exact?: ExactAdvisories;
  /** For a range or bare name (not for imports, which name no version at all). */
  range?: RangeAdvisories;
  /** Malicious-package records covering every version: the package itself is malicious. */
  maliciousPackage?: AdvisoryGroup[];
}

export interface AdvisoryFacts {
  /** Facts for a reference (by identity); undefined when no advisory concerns it. */
  forRef(ref: PackageRef): RefAdvisories | undefined;
  /** Ranges that could not be evaluated for packages that have advisories. */
  unchecked: Unchecked[];
}
