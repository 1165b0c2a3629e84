/**
 * OSV matching (https://ossf.github.io/osv-schema/#evaluation): is a version inside an affected entry's
 * `versions` list or its SEMVER / ECOSYSTEM ranges, compared by the ecosystem's own version order. GIT
 * ranges need the repository's commit graph, so they are skipped and counted. Pure functions.
 */
import type { Ecosystem } from '../model/ecosystem.js';
import type {
  AffectedInterval,
  OsvAffected,
  PreparedAffected,
  PreparedEvent,
  PreparedRange,
} from '../model/osv.js';
import { compareVersions } from './index.js';

export interface PrepareOptions {
  /**
   * OSV matches nothing for an entry with neither ranges nor versions; a malicious-package record written
   * that way means the whole package.
   */
  emptyMeansAll?: boolean;
}

export function prepareAffected(
  ecosystem: Ecosystem,
  affected: Pick<OsvAffected, 'ranges' | 'versions'>,
  options: PrepareOptions = {},
): PreparedAffected {
  const byVersion = (a: string, b: string) => compareVersions(ecosystem, a, b);
  const ranges: PreparedRange[] = [];
  let gitRanges = 0;
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') {
      gitRanges++;
      continue;
    }
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    const events: PreparedEvent[] = [];
    const limits: string[] = [];
    for (const event of range.events) {
      if (event.introduced !== undefined) events.push({ kind: 'introduced', version: event.introduced });
      else if (event.fixed !== undefined) events.push({ kind: 'fixed', version: event.fixed });
      else if (event.last_affected !== undefined)
        events.push({ kind: 'last_affected', version: event.last_affected });
      else if (event.limit !== undefined) limits.push(event.limit);
    }
    events.sort((a, b) => {
      const aZero = a.kind === 'introduced' && a.version === '0';
      const bZero = b.kind === 'introduced' && b.version === '0';
      if (aZero || bZero) return aZero === bZero ? 0 : aZero ? -1 : 1;
      return byVersion(a.version, b.version);
    });
    ranges.push({ events, limits });
  }
  const versions = [...new Set(affected.versions ?? [])].sort(byVersion);
  const fixed = new Set<string>();
  for (const range of ranges) for (const e of range.events) if (e.kind === 'fixed') fixed.add(e.version);
  const empty = ranges.length === 0 && versions.length === 0 && gitRanges === 0;
  return {
    ecosystem,
    ranges,
    versions,
    versionSet: new Set(versions),
    fixed: [...fixed].sort(byVersion),
    gitRanges,
    all: empty && options.emptyMeansAll === true,
  };
}

/**
 * Whether the entry affects the version. `spellings`, from `equalSpellings` over every version a package's
 * entries list, saves each entry its own search for spellings of the version it treats as equal.
 */
export function isAffected(entry: PreparedAffected, version: string, spellings?: readonly string[]): boolean {
  if (entry.all) return true;
  for (const range of entry.ranges) if (inRange(entry.ecosystem, range, version)) return true;
  if (spellings) return spellings.some((s) => entry.versionSet.has(s));
  return entry.versionSet.has(version) || equalSpellings(entry.ecosystem, entry.versions, version).length > 0;
}

function inRange(ecosystem: Ecosystem, range: PreparedRange, version: string): boolean {
  if (
    range.limits.length > 0 &&
    !range.limits.some((l) => l === '*' || compareVersions(ecosystem, version, l) < 0)
  )
    return false;
  let vulnerable = false;
  for (const event of range.events) {
    const c =
      event.kind === 'introduced' && event.version === '0'
        ? 1
        : compareVersions(ecosystem, version, event.version);
    // Events are sorted, so none after one above the version can change the outcome.
    if (c < 0) break;
    if (event.kind === 'introduced') vulnerable = true;
    else if (event.kind === 'fixed' || c > 0) vulnerable = false;
  }
  return vulnerable;
}

/**
 * The strings of an ascending list that the ecosystem considers equal to `version` (`1.0` and `1.0.0` in
 * PyPI, `1.2.3` and `1.2.3+build` in npm): the version itself when listed, found by binary search otherwise.
 */
export function equalSpellings(ecosystem: Ecosystem, sorted: readonly string[], version: string): string[] {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareVersions(ecosystem, sorted[mid]!, version);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else {
      let first = mid;
      let last = mid;
      while (first > 0 && compareVersions(ecosystem, sorted[first - 1]!, version) === 0) first--;
      while (last < sorted.length - 1 && compareVersions(ecosystem, sorted[last + 1]!, version) === 0) last++;
      return sorted.slice(first, last + 1);
    }
  }
  return [];
}

/** The versions that fix the entry's ranges, ascending and without repeats. */
export function fixedVersions(entry: PreparedAffected): readonly string[] {
  return entry.fixed;
}

/** The affected intervals of the entry's ranges, in version order (listed versions are not intervals). */
export function affectedIntervals(entry: PreparedAffected): AffectedInterval[] {
  const intervals: AffectedInterval[] = [];
  for (const range of entry.ranges) {
    let open: AffectedInterval | undefined;
    for (const event of range.events) {
      if (event.kind === 'introduced') {
        if (open) continue;
        open = fromTheStart(event.version) ? {} : { introduced: event.version };
      } else if (open) {
        if (event.kind === 'fixed') open.fixed = event.version;
        else open.lastAffected = event.version;
        intervals.push(open);
        open = undefined;
      }
    }
    if (open) {
      const limit = range.limits.find((l) => l !== '*');
      if (limit !== undefined && range.limits.length === 1) open.limit = limit;
      intervals.push(open);
    }
  }
  return intervals;
}

/** `>=1.0.0 <1.0.2`, `<4.17.12`, `<=2.3`, `>=5.1`, `all versions`. */
export function describeInterval(interval: AffectedInterval): string {
  const parts: string[] = [];
  if (interval.introduced !== undefined) parts.push(`>=${interval.introduced}`);
  if (interval.fixed !== undefined) parts.push(`<${interval.fixed}`);
  else if (interval.lastAffected !== undefined) parts.push(`<=${interval.lastAffected}`);
  else if (interval.limit !== undefined) parts.push(`<${interval.limit}`);
  return parts.length === 0 ? 'all versions' : parts.join(' ');
}

/** Whether the entry affects every version there is: the whole package is affected (or malicious). */
export function affectsAllVersions(entry: PreparedAffected): boolean {
  if (entry.all) return true;
  return entry.ranges.some(
    (range) =>
      range.limits.length === 0 &&
      range.events.length > 0 &&
      range.events.every((e) => e.kind === 'introduced') &&
      fromTheStart(range.events[0]!.version),
  );
}

/**
 * `introduced: "0"`, or RUSTSEC's `0.0.0-0`, the lowest SemVer version there is: both mean "from the
 * first release", which a message says as no lower bound (`<0.14.10`, not `>=0.0.0-0 <0.14.10`).
 */
function fromTheStart(version: string): boolean {
  return version === '0' || version === '0.0.0-0';
}

/**
 * The smallest upgrade from `current` that none of the package's entries affects, chosen among the
 * versions the data names as fixes (a registry could know a smaller one; the data alone cannot). Undefined
 * when no named fix is free of every advisory.
 */
export function smallestFixingUpgrade(
  ecosystem: Ecosystem,
  current: string,
  entries: readonly PreparedAffected[],
): string | undefined {
  const candidates = new Set<string>();
  for (const entry of entries) {
    for (const version of fixedVersions(entry)) {
      if (compareVersions(ecosystem, version, current) > 0) candidates.add(version);
    }
  }
  const sorted = [...candidates].sort((a, b) => compareVersions(ecosystem, a, b));
  return sorted.find((candidate) => !entries.some((entry) => isAffected(entry, candidate)));
}
