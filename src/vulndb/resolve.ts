/**
 * The advisory facts of a scan: for each package reference, the advisories that affect its exact version,
 * or the affected versions its range admits, and whether the package itself is a known malicious one.
 * Pure given the database handle: lookups only.
 */

import type {
  AdvisoryFacts,
  AffectedEntry,
  RangeAdvisories,
  RangeAdvisory,
  RefAdvisories,
} from '../model/advisory-facts.js';
import type { Ecosystem } from '../model/ecosystem.js';
import type { AffectedInterval, PreparedAffected } from '../model/osv.js';
import type { PackageRef } from '../model/package-ref.js';
import type { Unchecked } from '../model/result.js';
import { compareVersions } from '../versions/index.js';
import {
  affectedIntervals,
  affectsAllVersions,
  describeInterval,
  isAffected,
  smallestFixingUpgrade,
} from '../versions/osv-match.js';
import { intervalsOverlap, readRange, type VersionInterval, type VersionRange } from '../versions/ranges.js';
import { invalidVersionReason } from '../versions/valid.js';
import type { VulnDatabase } from './store.js';

/** What resolution needs of the database. */
export type AdvisoryLookup = Pick<VulnDatabase, 'advisoriesFor' | 'affectedFor' | 'group'>;

/**
 * `installs(ref)`, when given, names the version a fresh install of a range picks today (the registry
 * knows); the range's advisories are then also checked at that version.
 */
export function resolveAdvisories(
  refs: readonly PackageRef[],
  db: AdvisoryLookup,
  installs?: (ref: PackageRef) => string | undefined,
): AdvisoryFacts {
  const byRef = new Map<PackageRef, RefAdvisories>();
  const memo = new Map<string, RefAdvisories | undefined>();
  const unchecked = new Map<string, Unchecked>();
  for (const ref of refs) {
    if (ref.origin !== undefined && ref.origin !== 'registry') continue;
    const invalid = ref.version === undefined ? undefined : invalidVersionReason(ref.ecosystem, ref.version);
    if (invalid !== undefined) {
      // Ordered, it would sort before every release and match every `introduced: 0` range.
      const key = `invalid\0${ref.ecosystem}\0${ref.name}\0${ref.version}`;
      unchecked.set(key, {
        ecosystem: ref.ecosystem,
        name: ref.name,
        version: ref.version!,
        check: 'vulnerable',
        reason: invalid,
      });
      continue;
    }
    const rangeWanted = ref.version === undefined && ref.source !== 'imported';
    const installed = rangeWanted ? installs?.(ref) : undefined;
    const key = [
      ref.ecosystem,
      ref.name,
      ref.version ?? '',
      rangeWanted ? (ref.spec ?? '*') : '',
      installed ?? '',
    ].join('\0');
    let facts = memo.get(key);
    if (!memo.has(key)) {
      facts = resolveRef(ref, rangeWanted, installed, db, (reason) => {
        const u: Unchecked = {
          ecosystem: ref.ecosystem,
          name: ref.name,
          check: 'range-allows-vulnerable',
          reason,
        };
        if (ref.spec !== undefined) u.version = ref.spec;
        unchecked.set(key, u);
      });
      memo.set(key, facts);
    }
    if (facts) byRef.set(ref, facts);
  }
  return { forRef: (ref) => byRef.get(ref), unchecked: [...unchecked.values()] };
}

function resolveRef(
  ref: PackageRef,
  rangeWanted: boolean,
  installed: string | undefined,
  db: AdvisoryLookup,
  cannotEvaluate: (reason: string) => void,
): RefAdvisories | undefined {
  const entries = db.affectedFor(ref.ecosystem, ref.name);
  if (entries.length === 0) return undefined;
  const facts: RefAdvisories = {};
  if (ref.version !== undefined) {
    const groups = db.advisoriesFor(ref.ecosystem, ref.name, ref.version);
    if (groups.length === 0) return undefined;
    facts.exact = { groups };
    const upgrade = smallestFixingUpgrade(ref.ecosystem, ref.version, vulnerabilities(entries));
    if (upgrade !== undefined) facts.exact.upgrade = upgrade;
    return facts;
  }
  const wholePackage = entries.filter((e) => e.advisory.malicious && affectsAllVersions(e.prepared));
  if (wholePackage.length > 0) facts.maliciousPackage = db.group(wholePackage);
  if (rangeWanted) {
    const rest = entries.filter((e) => !wholePackage.includes(e));
    if (rest.length > 0) {
      const range = rangeOf(ref.ecosystem, ref.spec);
      if ('reason' in range) cannotEvaluate(range.reason);
      else {
        const found = rangeAdvisories(db, ref.ecosystem, ref.spec, range, rest, entries);
        if (found && installed !== undefined)
          found.installs = {
            version: installed,
            groups: db.advisoriesFor(ref.ecosystem, ref.name, installed),
          };
        if (found) facts.range = found;
      }
    }
  }
  return facts.maliciousPackage || facts.range ? facts : undefined;
}

/** The versions a requirement admits, decided without registry data; a reason when it cannot be read. */
function rangeOf(ecosystem: Ecosystem, spec: string | undefined): VersionRange | { reason: string } {
  const read = readRange(ecosystem, spec);
  if ('tag' in read) {
    return {
      reason: `'${read.tag}' is not a semver range (a dist-tag?): what it installs needs registry data`,
    };
  }
  return 'reason' in read ? read : read.range;
}

/**
 * Advisories with affected versions inside the range: an affected interval that overlaps one of the range's
 * intervals, or a listed version the range admits. A range is never read as its lower bound alone.
 */
function rangeAdvisories(
  db: AdvisoryLookup,
  ecosystem: Ecosystem,
  spec: string | undefined,
  range: VersionRange,
  entries: readonly AffectedEntry[],
  allEntries: readonly AffectedEntry[],
): RangeAdvisories | undefined {
  const admitted = new Map<string, boolean>();
  const admits = (version: string) => {
    let answer = admitted.get(version);
    if (answer === undefined) {
      answer = range.admits(version);
      admitted.set(version, answer);
    }
    return answer;
  };
  const hits = new Map<AffectedEntry, { named: string[]; intervals: AffectedInterval[] }>();
  for (const entry of entries) {
    const named = new Set<string>(entry.prepared.versions);
    for (const r of entry.prepared.ranges)
      for (const e of r.events)
        if (e.kind !== 'fixed' && !(e.kind === 'introduced' && e.version === '0')) named.add(e.version);
    for (const low of range.lows) if (low !== '0') named.add(low);
    const affectedNamed = [...named].filter((v) => admits(v) && isAffected(entry.prepared, v));
    const intervals = affectedIntervals(entry.prepared).filter((interval) =>
      range.intervals.some((r) => intervalsOverlap(ecosystem, r, asVersionInterval(interval))),
    );
    if (affectedNamed.length + intervals.length === 0) continue;
    hits.set(entry, { named: affectedNamed, intervals });
  }
  if (hits.size === 0) return undefined;
  const advisories = db.group([...hits.keys()]).map((group): RangeAdvisory => {
    const versions = new Set<string>();
    const intervals = new Set<string>();
    for (const entry of group.entries) {
      const hit = hits.get(entry)!;
      for (const v of hit.named) versions.add(v);
      for (const interval of hit.intervals) intervals.add(describeInterval(interval));
    }
    // Sorting is stable and the advisories' own spellings come first: `2.19.0` wins over the range's `2.19`.
    const sorted = [...versions].sort((a, b) => compareVersions(ecosystem, a, b));
    const fix = group.fixed.find(
      (v) => admits(v) && !group.entries.some((entry) => isAffected(entry.prepared, v)),
    );
    return {
      group,
      versions: sorted.filter((v, i) => i === 0 || compareVersions(ecosystem, sorted[i - 1]!, v) !== 0),
      intervals: [...intervals],
      avoidable: fix !== undefined,
    };
  });
  const from = lowestBound(ecosystem, range);
  const upgrade = smallestFixingUpgrade(ecosystem, from, vulnerabilities(allEntries));
  const result: RangeAdvisories = { advisories, admitsUpgrade: upgrade !== undefined && admits(upgrade) };
  if (spec !== undefined && spec.trim() !== '') result.spec = spec;
  if (upgrade !== undefined) result.upgrade = upgrade;
  return result;
}

function asVersionInterval(interval: AffectedInterval): VersionInterval {
  const out: VersionInterval = {};
  if (interval.introduced !== undefined) out.lower = { version: interval.introduced, inclusive: true };
  if (interval.fixed !== undefined) out.upper = { version: interval.fixed, inclusive: false };
  else if (interval.lastAffected !== undefined)
    out.upper = { version: interval.lastAffected, inclusive: true };
  else if (interval.limit !== undefined) out.upper = { version: interval.limit, inclusive: false };
  return out;
}

/** Where the range starts: its lowest lower bound, `0` when one of its intervals has none. */
function lowestBound(ecosystem: Ecosystem, range: VersionRange): string {
  let lowest: string | undefined;
  for (const interval of range.intervals) {
    if (!interval.lower) return '0';
    if (lowest === undefined || compareVersions(ecosystem, interval.lower.version, lowest) < 0)
      lowest = interval.lower.version;
  }
  return lowest ?? '0';
}

/** The entries an upgrade must escape: informational notices (an unmaintained crate) are no vulnerability. */
function vulnerabilities(entries: readonly AffectedEntry[]): PreparedAffected[] {
  return entries.filter((e) => e.advisory.informational === undefined).map((e) => e.prepared);
}
