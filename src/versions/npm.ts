import type { SemVer } from 'semver';
import semver from 'semver';
import { compareSemverKeys, keyFromSemVer, lenientSemverKey } from './semver-order.js';
import { defineScheme } from './shared.js';

function parseNpm(version: string): SemVer | undefined {
  return semver.parse(version) ?? undefined;
}

/**
 * node-semver's strict SemVer 2.0 (a leading `v` and surrounding spaces accepted, build metadata ignored).
 * Versions node-semver rejects, such as `1.2` or numbers above 2^53, are read leniently.
 */
export const npmScheme = defineScheme({
  ecosystem: 'npm',
  parse: parseNpm,
  key: (version) => {
    const parsed = parseNpm(version);
    return parsed ? keyFromSemVer(parsed) : lenientSemverKey(version);
  },
  compareKeys: compareSemverKeys,
});
