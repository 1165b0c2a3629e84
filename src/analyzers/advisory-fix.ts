/**
 * What a user can do about a vulnerable version: for a direct dependency, the upgrade (and whether it is a
 * major one); for a package a lockfile holds only because another one needs it, the direct dependency it
 * comes through and how to force the fixed version with the package manager's own override mechanism.
 */
import { basename } from '../core/paths.js';
import type { PackageRef } from '../model/package-ref.js';
import type { PhantomResolver } from '../project/phantom.js';
import { majorOf } from '../versions/pick.js';

/** The structured `fix` of a `vulnerable` finding (docs/json-output.md). */
export interface Fix {
  /** `upgrade`: change the version this file names; `transitive`: it comes through `via`. */
  kind: 'upgrade' | 'transitive';
  package: string;
  from: string;
  /** The lowest version free of every advisory of the package, among the fixes the data names. */
  to: string;
  /** `to` is in a later major version than `from`: expect breaking changes. */
  majorBump: boolean;
  /** For `transitive`: from the direct dependency to the package (`express → body-parser → qs`). */
  via?: string[];
  /** For `transitive`: where to force `to` (a manifest entry, or a command). */
  force?: { file?: string; entry?: string; command?: string };
}

/** How each lockfile's tool forces a transitive version. */
function forcing(lockfile: string, name: string, to: string): Fix['force'] {
  const json = (key: string) => `${key}: { ${JSON.stringify(name)}: ${JSON.stringify(to)} }`;
  switch (basename(lockfile)) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
    case 'bun.lock':
      return { file: 'package.json', entry: json('"overrides"') };
    case 'yarn.lock':
      return { file: 'package.json', entry: json('"resolutions"') };
    case 'pnpm-lock.yaml':
      return { file: 'package.json', entry: `"pnpm": { ${json('"overrides"')} }` };
    case 'poetry.lock':
    case 'Pipfile.lock':
    case 'pdm.lock':
    case 'uv.lock':
    case 'requirements.txt':
      return { file: 'constraints.txt', entry: `${name}>=${to}` };
    case 'Cargo.lock':
      return { command: `cargo update -p ${name} --precise ${to}` };
    case 'go.sum':
      return { command: `go get ${name}@${to.startsWith('v') ? to : `v${to}`}` };
    case 'Gemfile.lock':
      return { file: 'Gemfile', entry: `gem '${name}', '>= ${to}'` };
    case 'composer.lock':
      return { command: `composer update ${name} --with ${name}:${to}` };
    case 'gradle.lockfile':
      return { file: 'build.gradle', entry: `constraints { implementation("${name}:${to}") }` };
    case 'packages.lock.json':
      return { file: 'the project file', entry: `<PackageReference Include="${name}" Version="${to}" />` };
    default:
      return undefined;
  }
}

export function fixFor(ref: PackageRef, to: string | undefined, phantom: PhantomResolver): Fix | undefined {
  if (to === undefined || ref.version === undefined) return undefined;
  const from = majorOf(ref.ecosystem, ref.version);
  const next = majorOf(ref.ecosystem, to);
  const fix: Fix = {
    kind: 'upgrade',
    package: ref.name,
    from: ref.version,
    to,
    majorBump: from !== undefined && next !== undefined && next > from,
  };
  const chain = phantom.introducedBy(ref);
  if (!chain) return fix;
  fix.kind = 'transitive';
  fix.via = chain.slice(1);
  const force = forcing(ref.location.file, ref.name, to);
  if (force) fix.force = force;
  return fix;
}

/** The fix as the end of a message: `upgrade to 4.17.21`, or the way through a direct dependency. */
export function fixText(fix: Fix | undefined): string {
  if (!fix) return 'no fixed version is known';
  const major = fix.majorBump ? ' (a major version up)' : '';
  if (fix.kind === 'upgrade') return `upgrade to ${fix.to}${major}`;
  const via = fix.via!;
  const parent = via[0]!;
  const force = fix.force
    ? fix.force.command
      ? `, or run ${fix.force.command}`
      : `, or force it in ${fix.force.file} (${fix.force.entry})`
    : '';
  return `${fix.to} fixes it${major}; it comes through ${via.join(' → ')}: upgrade ${parent} to a release that allows ${fix.package} ${fix.to}${force}`;
}
