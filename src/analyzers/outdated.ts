import type { Ecosystem } from '../model/ecosystem.js';
import type { Finding } from '../model/finding.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { compareVersions } from '../versions/index.js';
import { majorOf } from '../versions/pick.js';
import { isPrerelease } from '../versions/prerelease.js';
import {
  day,
  existing,
  registryFinding,
  registryRefs,
  sourceEvidence,
  UNTRUSTED_DATES,
  UncheckedList,
} from './registry-common.js';
import type { Analyzer } from './types.js';

const YEAR_MS = 365.25 * 86_400_000;
/** A major line with no release for this long is no longer maintained. */
export const UNMAINTAINED_LINE_MS = YEAR_MS;

/**
 * The pinned version, or the one a range installs today, is behind the latest by a major version or was
 * published long before it (default two years): stale training data. The age needs the registry's real
 * publish dates (a mirror may trim or re-stamp them); without them only a major-version gap is reported,
 * and otherwise the check is `unchecked`.
 */
export const outdated: Analyzer = {
  id: 'outdated',
  needs: 'registry',
  analyze({ refs, registry }) {
    const findings: Finding[] = [];
    const unchecked = new UncheckedList();
    if (!registry) return { findings, unchecked: [] };
    const { outdatedMs } = registry.settings;
    for (const { ref, answer } of registryRefs(refs, registry, ['declared', 'installed', 'executed'])) {
      const facts = existing(answer);
      if (!facts?.versions || (ref.version === undefined && ref.spec === undefined)) continue;
      const version = registry.installs(ref);
      const latest = facts.latest ? facts.versions[facts.latest] : undefined;
      if (!version || !latest || compareVersions(ref.ecosystem, version.version, latest.version) >= 0)
        continue;
      const from = majorOf(ref.ecosystem, version.version);
      const to = majorOf(ref.ecosystem, latest.version);
      const majors = from !== undefined && to !== undefined ? to - from : 0;
      // A major version behind needs no dates; the age needs real ones.
      const dated = facts.datesTrusted && version.published !== undefined && latest.published !== undefined;
      if (!dated && majors < 1) {
        unchecked.add(ref, 'outdated', UNTRUSTED_DATES, version.version);
        continue;
      }
      const gap = dated ? Date.parse(latest.published!) - Date.parse(version.published!) : undefined;
      if (majors < 1 && (gap === undefined || gap <= outdatedMs)) continue;
      const behind: string[] = [];
      if (majors >= 1) behind.push(`${majors} major version${majors === 1 ? '' : 's'}`);
      if (gap !== undefined && gap > outdatedMs) behind.push(`${(gap / YEAR_MS).toFixed(1)} years`);
      const line = lineStatus(facts, ref.ecosystem, version.version, latest.version, registry.settings.now);
      const which = ref.version === undefined ? `${ref.spec} installs ${version.version}` : version.version;
      const when = (published: string | undefined) => (dated ? ` (${day(published!)})` : '');
      findings.push(
        registryFinding(
          ref,
          {
            kind: 'outdated',
            severity: 'low',
            message: `'${ref.name}' ${which}${when(version.published)} is behind the latest ${latest.version}${when(latest.published)} by ${behind.join(' and ')}${dated ? '' : ' (publish dates unknown)'}${line.note}`,
            evidence: {
              version: version.version,
              latest: latest.version,
              majorsBehind: majors,
              lineMaintained: line.maintained,
              ...(line.newest
                ? { lineNewest: line.newest.version, lineNewestPublished: line.newest.published ?? null }
                : {}),
              ...(dated
                ? {
                    published: version.published,
                    latestPublished: latest.published,
                    daysBehind: Math.round(gap! / 86_400_000),
                  }
                : {}),
              ...(ref.spec !== undefined && ref.version === undefined ? { spec: ref.spec } : {}),
              ...sourceEvidence(answer),
            },
          },
          version.version,
        ),
      );
    }
    return { findings, unchecked: unchecked.list() };
  },
};

interface LineStatus {
  /** true: the version's major line still gets releases; false: it does not; null: unknown (no trusted dates). */
  maintained: boolean | null;
  /** The newest release of the version's major line. */
  newest?: VersionFacts;
  /** Said after the message. */
  note: string;
}

/**
 * A release line: the major version, or for 0.x the minor as well (before 1.0 a minor release is the
 * breaking one, as npm's and Cargo's caret ranges read it).
 */
function lineOf(ecosystem: Ecosystem, version: string): string | undefined {
  const major = majorOf(ecosystem, version);
  if (major === undefined) return undefined;
  if (major !== 0) return `${major}`;
  const minor = /^v?0+\.(\d+)/.exec(version)?.[1];
  return minor === undefined ? '0' : `0.${Number(minor)}`;
}

/**
 * Whether the release line of the version is still maintained: the latest release is in it, or it had a
 * release within a year and its newest release is not deprecated. Without trustworthy dates only a
 * deprecation can tell, else it is unknown: an older major that still gets fixes (express 4 beside 5) is a
 * choice, not a risk (docs/undisclosed-risk.md).
 */
function lineStatus(
  facts: ExistingPackage,
  ecosystem: Ecosystem,
  version: string,
  latest: string,
  now: number,
): LineStatus {
  const line = lineOf(ecosystem, version);
  if (line === undefined || line === lineOf(ecosystem, latest)) return { maintained: true, note: '' };
  let newest: VersionFacts | undefined;
  for (const candidate of Object.values(facts.versions ?? {})) {
    if (lineOf(ecosystem, candidate.version) !== line || isPrerelease(ecosystem, candidate.version)) continue;
    if (!newest || compareVersions(ecosystem, candidate.version, newest.version) > 0) newest = candidate;
  }
  if (!newest) return { maintained: null, note: '' };
  const name = `the ${line}.x line`;
  if (newest.deprecated !== undefined)
    return { maintained: false, newest, note: `; ${name} is deprecated (${newest.version})` };
  if (!facts.datesTrusted || newest.published === undefined) return { maintained: null, newest, note: '' };
  const idle = now - Date.parse(newest.published);
  if (idle > UNMAINTAINED_LINE_MS)
    return {
      maintained: false,
      newest,
      note: `; ${name} has had no release since ${day(newest.published)} (${newest.version}): no longer maintained`,
    };
  return {
    maintained: true,
    newest,
    note: `; ${name} is still maintained (${newest.version}, ${day(newest.published)})`,
  };
}
