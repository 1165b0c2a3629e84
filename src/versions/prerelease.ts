import semver from 'semver';
import { lazy } from '../core/lazy.js';
import type { Ecosystem } from '../model/ecosystem.js';

const pep440 = lazy<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');

/** Maven qualifiers that mark a version as not yet released (`1.0-beta-2`, `2.0.0.RC1`, `3.0-M1`). */
const MAVEN_PRERELEASE =
  /(?:^|[-._\d])(?:(?:alpha|beta|rc|cr|milestone|snapshot|preview|ea)(?=[-._\d]|$)|[abm]\d)/i;
/** Composer stabilities below stable (`1.0.0-beta1`, `2.0-RC`, `dev-main`). */
const COMPOSER_PRERELEASE = /(?:^dev-|[-._\d](?:dev|alpha|beta|rc|a|b)(?:[.-]?\d+)?$)/i;

/** Whether a version is a pre-release by its ecosystem's rules: what a bare install passes over. */
export function isPrerelease(ecosystem: Ecosystem, version: string): boolean {
  switch (ecosystem) {
    case 'npm':
      return (semver.prerelease(version, { loose: true })?.length ?? 0) > 0;
    case 'PyPI': {
      const parsed = pep440().explain(version);
      return parsed ? parsed.is_prerelease || parsed.is_devrelease : false;
    }
    // SemVer: a `-` before any build metadata starts the pre-release (Go pseudo-versions are ones too).
    case 'Go':
    case 'crates.io':
    case 'NuGet':
      return version.split('+')[0]!.includes('-');
    // Gem::Version#prerelease?: any letter.
    case 'RubyGems':
      return /[a-zA-Z]/.test(version);
    case 'Maven':
      return MAVEN_PRERELEASE.test(version);
    case 'Packagist':
      return COMPOSER_PRERELEASE.test(version);
  }
}
