import { compareSemverKeys, lenientSemverKey, type SemverKey } from './semver-order.js';
import { defineScheme } from './shared.js';

const NUMBER = '(?:0|[1-9][0-9]*)';
const PRERELEASE_ID = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
/**
 * golang.org/x/mod/semver: `v1` and `v1.2` are shorthands for `v1.0.0` and `v1.2.0` (without prerelease or
 * build); no leading zeros. OSV writes Go versions without the `v`, so it is optional here.
 */
const GO_SEMVER = new RegExp(
  `^v?${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?)?)?$`,
);

function parseGo(version: string): SemverKey | undefined {
  return GO_SEMVER.test(version) ? lenientSemverKey(version) : undefined;
}

/**
 * Go modules order by SemVer 2.0 precedence. `+incompatible` is build metadata and so ignored; pseudo-versions
 * (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.2019…`, `v1.2.3-pre.0.2019…`) are ordinary prereleases
 * and need no special case: their timestamp identifiers sort them as Go intends.
 */
export const goScheme = defineScheme({
  ecosystem: 'Go',
  parse: parseGo,
  key: lenientSemverKey,
  compareKeys: compareSemverKeys,
});
