import type { PackageCheck } from './packages.js';

/**
 * `npm lodash@4.17.15 (package-lock.json)`: a package as the surfaces name it to a person or a model. Apart
 * from the checks themselves, so that a hook can word its answer without loading them.
 */
export function packageLabel(
  p: Pick<PackageCheck, 'ecosystem' | 'name' | 'version' | 'spec' | 'location'>,
): string {
  const version = p.version ? `@${p.version}` : p.spec ? ` ${p.spec}` : '';
  const where = p.location && !p.location.file.startsWith('<') ? ` (${p.location.file})` : '';
  return `${p.ecosystem} ${p.name}${version}${where}`;
}
