import semver from 'semver';
import { lazy } from '../core/lazy.js';
import type { Ecosystem } from '../model/ecosystem.js';

const pep440 = lazy<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');
const pep440Specifier = lazy<typeof import('@renovatebot/pep440/lib/specifier.js')>(
  '@renovatebot/pep440/lib/specifier.js',
);

/** A requirement read per its ecosystem's rules: npm semver ranges, PEP 440 specifiers. */
export interface VersionRange {
  /**
   * Whether the range admits a version. Pre-releases follow the ecosystem's default (npm and pip leave them
   * out unless the range names one) unless `prereleases` is set.
   */
  admits(version: string, options?: { prereleases?: boolean }): boolean;
  /** The lowest versions the range admits where it says so (`>=2` → `2`); `0` stands for "from the first". */
  lows: string[];
  /** The range names a pre-release itself (`>=2.0rc1`, `^2.0.0-beta`). */
  namesPrerelease: boolean;
}

export type ReadRange =
  | { range: VersionRange }
  /** An npm dist-tag (`latest`, `next`): what it installs is registry data. */
  | { tag: string }
  | { reason: string };

const ANY: VersionRange = { admits: () => true, lows: ['0'], namesPrerelease: false };

/** A requirement as its ecosystem reads it, without registry data; a reason when it cannot be read. */
export function readRange(ecosystem: Ecosystem, spec: string | undefined): ReadRange {
  const text = spec?.trim() ?? '';
  if (text === '' || text === '*') return { range: ANY };
  if (ecosystem === 'npm') return readNpmRange(text);
  if (ecosystem === 'PyPI') return readPep440Specifier(text);
  return {
    reason: `version ranges of ${ecosystem} packages are not evaluated yet (only exact versions are)`,
  };
}

function readNpmRange(text: string): ReadRange {
  let range: import('semver').Range;
  try {
    range = new semver.Range(text, { loose: true });
  } catch {
    return /^[A-Za-z][\w.-]*$/.test(text)
      ? { tag: text }
      : { reason: `'${text}' is not a semver range: what it installs needs registry data` };
  }
  const lows: string[] = [];
  for (const set of range.set) {
    const low = semver.minVersion(new semver.Range(set.map((c) => c.value).join(' ') || '*'));
    if (low) lows.push(low.version);
  }
  const namesPrerelease = range.set.some((set) => set.some((c) => c.semver.prerelease.length > 0));
  return {
    range: {
      admits: (version, options) =>
        semver.valid(version, { loose: true }) !== null &&
        semver.satisfies(version, range, { loose: true, includePrerelease: options?.prereleases === true }),
      lows,
      namesPrerelease,
    },
  };
}

function readPep440Specifier(text: string): ReadRange {
  if (!pep440().validRange(text)) return { reason: `'${text}' is not a PEP 440 version specifier` };
  const lows: string[] = [];
  let bounded = false;
  for (const clause of pep440Specifier().parse(text)) {
    if (clause.operator === '>') bounded = true;
    if (['>=', '==', '~=', '==='].includes(clause.operator)) {
      bounded = true;
      lows.push(clause.version);
    }
  }
  if (!bounded) lows.push('0');
  return {
    range: {
      admits: (version, options) => {
        if (version === '0') return true;
        try {
          return pep440().satisfies(version, text, options?.prereleases ? { prereleases: true } : undefined);
        } catch {
          return false;
        }
      },
      lows,
      namesPrerelease: /\d(a|b|rc|c|alpha|beta|pre|preview|dev)\d*/i.test(text),
    },
  };
}
