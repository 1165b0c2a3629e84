import type { SemVer } from 'semver';
import { canonicalDigits, compareCodeUnits, compareDigits, isDigits } from './shared.js';

/**
 * SemVer 2.0 precedence key shared by npm, crates.io and Go; build metadata is not part of it. Numbers are
 * canonical digit strings (numeric prerelease identifiers too), so that they compare exactly at any size.
 */
export type SemverKey =
  | {
      readable: true;
      release: readonly [string, string, string];
      prerelease: readonly { numeric: boolean; value: string }[];
    }
  | { readable: false; raw: string };

type Identifier = Extract<SemverKey, { readable: true }>['prerelease'][number];

export function keyFromSemVer(version: SemVer): SemverKey {
  return {
    readable: true,
    release: [String(version.major), String(version.minor), String(version.patch)],
    prerelease: version.prerelease.map((id) => identifier(String(id))),
  };
}

/**
 * Reads what it can of a string that is not strictly SemVer: prefixes `v`/`=`, one to three numeric parts
 * (missing ones are 0), numbers of any size, leading zeros. Numeric parts after the third belong to the build,
 * as osv-scalibr reads them.
 */
const LENIENT_SEMVER = /^[=vV\s]*([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:\.[0-9]+)*(?:-([^+]*))?(?:\+.*)?$/s;

export function lenientSemverKey(version: string): SemverKey {
  const match = LENIENT_SEMVER.exec(version.trim());
  if (!match) return { readable: false, raw: version };
  const [, major = '0', minor = '0', patch = '0', prerelease] = match;
  return {
    readable: true,
    release: [canonicalDigits(major), canonicalDigits(minor), canonicalDigits(patch)],
    prerelease: prerelease === undefined ? [] : prerelease.split('.').map(identifier),
  };
}

function identifier(text: string): Identifier {
  return isDigits(text) ? { numeric: true, value: canonicalDigits(text) } : { numeric: false, value: text };
}

export function compareSemverKeys(a: SemverKey, b: SemverKey): number {
  if (!a.readable || !b.readable) {
    if (a.readable) return 1;
    if (b.readable) return -1;
    return compareCodeUnits(a.raw, b.raw);
  }
  for (let i = 0; i < 3; i++) {
    const order = compareDigits(a.release[i]!, b.release[i]!);
    if (order !== 0) return order;
  }
  // A version without prerelease ranks above any prerelease of the same release.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  const shared = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < shared; i++) {
    const order = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
    if (order !== 0) return order;
  }
  return a.prerelease.length - b.prerelease.length;
}

function compareIdentifiers(a: Identifier, b: Identifier): number {
  if (a.numeric !== b.numeric) return a.numeric ? -1 : 1;
  return a.numeric ? compareDigits(a.value, b.value) : compareCodeUnits(a.value, b.value);
}
