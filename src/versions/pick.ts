/**
 * Versions a requirement admits among those a registry has, and the one a fresh install picks today:
 * npm's rule (the `latest` dist-tag when the range admits it and it is not deprecated, else the highest
 * admitted version, non-deprecated first) and pip's (the highest admitted version that is neither yanked
 * nor a pre-release, pre-releases only when nothing else is admitted or the specifier names one), which
 * the other ecosystems' tools share for a bare name (Go's `@latest`, cargo, gem, Composer, NuGet: the
 * highest release that is not yanked, unlisted or a pre-release).
 */

import semver from 'semver';
import { lazy } from '../core/lazy.js';
import type { Ecosystem } from '../model/ecosystem.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { compareVersions } from './index.js';
import { isPrerelease } from './prerelease.js';
import { readRange } from './ranges.js';

const pep440 = lazy<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');

/**
 * What a requirement asks for: a dist-tag (npm) or a range (an empty or `*` one admits every version);
 * undefined when unreadable.
 */
type Requirement =
  | { kind: 'tag'; tag: string }
  | { kind: 'range'; admits: (version: string) => boolean; prerelease: boolean };

function requirementOf(ecosystem: Ecosystem, spec: string | undefined): Requirement | undefined {
  const read = readRange(ecosystem, spec);
  if ('tag' in read) return { kind: 'tag', tag: read.tag };
  if ('reason' in read) return undefined;
  // pip considers pre-releases and drops them afterwards (see installedToday); npm never offers them.
  const prereleases = ecosystem === 'PyPI';
  return {
    kind: 'range',
    admits: (version) => read.range.admits(version, { prereleases }),
    prerelease: read.range.namesPrerelease,
  };
}

function descending(ecosystem: Ecosystem, versions: VersionFacts[]): VersionFacts[] {
  return [...versions].sort((a, b) => compareVersions(ecosystem, b.version, a.version));
}

/**
 * Versions the requirement admits, highest first (npm: pre-releases only for ranges that name one, as
 * npm matches them). Undefined when the requirement cannot be read or the versions are not known.
 */
export function admittedVersions(
  facts: ExistingPackage,
  spec: string | undefined,
): VersionFacts[] | undefined {
  const requirement = requirementOf(facts.ecosystem, spec);
  return requirement && facts.versions && admittedAmong(facts, facts.versions, requirement);
}

function admittedAmong(
  facts: ExistingPackage,
  versions: Readonly<Record<string, VersionFacts>>,
  requirement: Requirement,
): VersionFacts[] {
  if (requirement.kind === 'tag') {
    const version = facts.distTags?.[requirement.tag];
    return version && versions[version] ? [versions[version]] : [];
  }
  return descending(
    facts.ecosystem,
    Object.values(versions).filter((v) => requirement.admits(v.version)),
  );
}

/** The version a fresh install of `spec` picks today; undefined when nothing (installable) is admitted or it cannot tell. */
export function installedToday(facts: ExistingPackage, spec: string | undefined): VersionFacts | undefined {
  const ecosystem = facts.ecosystem;
  const requirement = requirementOf(ecosystem, spec);
  const versions = facts.versions;
  if (!requirement || !versions) return undefined;
  const admitted = admittedAmong(facts, versions, requirement);
  // npm: a dist-tag admits one version, which this installs whether it is `latest`, deprecated or not.
  if (ecosystem === 'npm') {
    const latest = facts.latest === undefined ? undefined : versions[facts.latest];
    if (latest && !latest.deprecated && admitted.includes(latest)) return latest;
    return admitted.find((v) => !v.deprecated) ?? admitted[0];
  }
  const installable = admitted.filter((v) => !v.yanked);
  const finals = installable.filter((v) => !isPrerelease(ecosystem, v.version));
  const wantsPre = requirement.kind === 'range' && requirement.prerelease;
  return wantsPre ? installable[0] : (finals[0] ?? installable[0]);
}

/**
 * The version a bare install picks among those a registry lists (cargo, gem, Composer, NuGet, Go's
 * `@latest`): the highest release that is neither yanked nor a pre-release, else the highest that is not
 * yanked, else the highest.
 */
export function latestRelease(
  ecosystem: Ecosystem,
  versions: Readonly<Record<string, VersionFacts>>,
): string | undefined {
  const all = descending(ecosystem, Object.values(versions));
  return (
    all.find((v) => !v.yanked && !isPrerelease(ecosystem, v.version)) ??
    all.find((v) => !v.yanked) ??
    all[0]
  )?.version;
}

/** The registry's version equal to `version` by the ecosystem's rules (`1.0` is PyPI's `1.0.0`). */
export function findVersion(facts: ExistingPackage, version: string): VersionFacts | undefined {
  if (!facts.versions) return undefined;
  const exact = facts.versions[version];
  if (exact) return exact;
  for (const candidate of Object.values(facts.versions))
    if (compareVersions(facts.ecosystem, candidate.version, version) === 0) return candidate;
  return undefined;
}

/** The major version of a release, or undefined for calendar versions (2024.1), where majors are years. */
export function majorOf(ecosystem: Ecosystem, version: string): number | undefined {
  let major: number | undefined;
  if (ecosystem === 'npm') major = semver.parse(version, { loose: true })?.major;
  else if (ecosystem === 'PyPI') major = pep440().explain(version)?.release[0];
  else {
    const leading = /^v?(\d+)/.exec(version)?.[1];
    major = leading === undefined ? undefined : Number(leading);
  }
  return major !== undefined && major < 1000 ? major : undefined;
}
