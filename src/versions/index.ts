import type { Ecosystem } from '../model/ecosystem.js';
import { cratesScheme } from './crates.js';
import { goScheme } from './go.js';
import { mavenScheme } from './maven.js';
import { npmScheme } from './npm.js';
import { nugetScheme } from './nuget.js';
import { packagistScheme } from './packagist.js';
import { pypiScheme } from './pypi.js';
import { rubygemsScheme } from './rubygems.js';
import type { VersionScheme } from './types.js';

export type { VersionScheme } from './types.js';

export const VERSION_SCHEMES: Readonly<Record<Ecosystem, VersionScheme>> = {
  npm: npmScheme,
  PyPI: pypiScheme,
  Go: goScheme,
  'crates.io': cratesScheme,
  RubyGems: rubygemsScheme,
  Maven: mavenScheme,
  NuGet: nugetScheme,
  Packagist: packagistScheme,
};

export function schemeFor(ecosystem: Ecosystem): VersionScheme {
  return VERSION_SCHEMES[ecosystem];
}

/** -1, 0 or 1 by the ecosystem's own version order (see VersionScheme for strings that are not versions). */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number {
  return VERSION_SCHEMES[ecosystem].compare(a, b);
}
