import type { SemVer } from 'semver';
import semver from 'semver';
import { compareSemverKeys, keyFromSemVer, lenientSemverKey } from './semver-order.js';
import { defineScheme } from './shared.js';

/** Cargo's `semver` crate takes plain SemVer 2.0 only: no `v` prefix, no surrounding spaces. */
function parseCrate(version: string): SemVer | undefined {
  if (!/^[0-9]/.test(version) || version.trim() !== version) return undefined;
  return semver.parse(version) ?? undefined;
}

/** crates.io orders versions by SemVer 2.0 precedence, exactly as npm does. */
export const cratesScheme = defineScheme({
  ecosystem: 'crates.io',
  parse: parseCrate,
  key: (version) => {
    const parsed = parseCrate(version);
    return parsed ? keyFromSemVer(parsed) : lenientSemverKey(version);
  },
  compareKeys: compareSemverKeys,
});
