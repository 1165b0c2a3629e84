/** Ecosystem names are OSV's, so that advisories and package references meet without translation. */
export const ECOSYSTEMS = [
  'npm',
  'PyPI',
  'Go',
  'crates.io',
  'RubyGems',
  'Maven',
  'NuGet',
  'Packagist',
] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

export function isEcosystem(value: string): value is Ecosystem {
  return (ECOSYSTEMS as readonly string[]).includes(value);
}

/** PEP 503: runs of `-`, `_` and `.` are one `-`, case does not matter. */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * The key under which two spellings of one package compare equal in its ecosystem.
 * npm names are case-sensitive in the registry (legacy names have capitals), so they are kept.
 */
export function packageKey(ecosystem: Ecosystem, name: string): string {
  switch (ecosystem) {
    case 'PyPI':
      return normalizePypiName(name);
    case 'crates.io':
      return name.toLowerCase().replace(/_/g, '-');
    case 'NuGet':
    case 'Packagist':
    case 'RubyGems':
      return name.toLowerCase();
    default:
      return name;
  }
}

/** DefinitelyTyped's package for an npm package: `@types/node` for `node`, `@types/babel__core` for `@babel/core`. */
export function typesPackage(name: string): string {
  return name.startsWith('@') ? `@types/${name.slice(1).replace('/', '__')}` : `@types/${name}`;
}
