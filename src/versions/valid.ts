/**
 * Whether a string is a valid exact version of its ecosystem: what the ecosystem's own tool would accept as
 * one released version. Version order (`VersionScheme.compare`) orders every string so that sorting never
 * fails; matching advisories must not: `requests==latest` or `django==2.2.x` would sort before every release
 * and so fall inside every `introduced: 0` range. Such versions are refused (reported as unknown or invalid
 * versions), never matched.
 */
import type { Ecosystem } from '../model/ecosystem.js';
import { VERSION_SCHEMES } from './index.js';

/**
 * Maven reads every non-blank string as a version, so its rule is stricter than its order: no property
 * placeholder (`${project.version}`), no range or list syntax, no whitespace, no wildcard segment (`2.2.x`,
 * `1.*`), and at least one digit (which also refuses the meta versions `LATEST` and `RELEASE`, and a blank).
 */
function validMaven(version: string): boolean {
  if (/[\s${}[\](),]/.test(version)) return false;
  if (version.split(/[.-]/).some((segment) => segment === 'x' || segment === 'X' || segment === '*'))
    return false;
  return /[0-9]/.test(version);
}

/** By the ecosystem's own parser (`VersionScheme.parse`), Maven's refined above. */
const VALID: Readonly<Record<Ecosystem, (version: string) => boolean>> = {
  npm: (v) => VERSION_SCHEMES.npm.parse(v) !== undefined,
  PyPI: (v) => VERSION_SCHEMES.PyPI.parse(v) !== undefined,
  Go: (v) => VERSION_SCHEMES.Go.parse(v) !== undefined,
  'crates.io': (v) => VERSION_SCHEMES['crates.io'].parse(v) !== undefined,
  RubyGems: (v) => VERSION_SCHEMES.RubyGems.parse(v) !== undefined && /[0-9]/.test(v),
  Maven: validMaven,
  NuGet: (v) => VERSION_SCHEMES.NuGet.parse(v) !== undefined,
  Packagist: (v) => VERSION_SCHEMES.Packagist.parse(v) !== undefined,
};

/** Whether `version` names one exact version the ecosystem's tools accept. */
export function isValidVersion(ecosystem: Ecosystem, version: string): boolean {
  return VALID[ecosystem](version);
}

/** Why a version is refused, for `unchecked` entries and findings; undefined when it is valid. */
export function invalidVersionReason(ecosystem: Ecosystem, version: string): string | undefined {
  if (isValidVersion(ecosystem, version)) return undefined;
  return `'${version}' is not a valid ${ecosystem} version: no release can have it, so no advisory is matched against it`;
}
