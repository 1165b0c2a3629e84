/**
 * What a user can do about a vulnerable version: for a direct dependency, the upgrade (and whether it is a
 * major one); for a package a lockfile holds only because another one needs it, the direct dependency it
 * comes through and how to force the fixed version with the package manager's own override mechanism.
 */
import { basename } from '../core/paths.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import type { RegistryFacts, VersionFacts } from '../model/registry-facts.js';
import type { PhantomResolver } from '../project/phantom.js';
import { compareVersions } from '../versions/index.js';
import { majorOf } from '../versions/pick.js';
import { isPrerelease } from '../versions/prerelease.js';
import { readRange } from '../versions/ranges.js';

/** Releases of one package weighed per hop of a chain, at most (the newest kept): bounds the work. */
const RELEASES_PER_HOP = 2000;

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
  /**
   * For `transitive`, from registry metadata (when registry checks are on and every package of the chain
   * was answered): the lowest release of the direct dependency, from the one locked (`from`) up, whose
   * requirements let `to` in down the chain. `to` equal to `from`: the locked release already allows it
   * and refreshing the lockfile is enough; no `to`: no release allows it yet.
   */
  direct?: { package: string; from?: string; to?: string };
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
      return { command: `go get ${name}@${to}` };
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

/**
 * A version as the user writes it: Go module versions carry their `v` (`go get x@v0.3.8`, go.mod's
 * `require x v0.3.8`), which OSV's Go records leave out.
 */
export function spelled(ref: PackageRef, version: string): string {
  return ref.ecosystem === 'Go' && !version.startsWith('v') ? `v${version}` : version;
}

export function fixFor(
  ref: PackageRef,
  upgrade: string | undefined,
  phantom: PhantomResolver,
  registry?: RegistryFacts,
  refs: readonly PackageRef[] = [],
): Fix | undefined {
  if (upgrade === undefined || ref.version === undefined) return undefined;
  const to = spelled(ref, upgrade);
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
  const direct = registry && directRelease(ref, fix.via, upgrade, registry, refs);
  if (direct) fix.direct = direct;
  return fix;
}

/**
 * The lowest release of the chain's direct dependency that lets `upgrade` of the vulnerable package in,
 * from registry metadata, walking the chain up: the acceptable versions of each package are the releases
 * whose requirement on the next one admits an acceptable version of it (or that no longer need it at all).
 * Undefined when a package of the chain was not answered or its releases do not say what they require.
 */
function directRelease(
  ref: PackageRef,
  via: readonly string[],
  upgrade: string,
  registry: RegistryFacts,
  refs: readonly PackageRef[],
): Fix['direct'] {
  const { ecosystem } = ref;
  const releasesOf = (name: string): VersionFacts[] | undefined => {
    const answer = registry.forRef({ ...ref, name, version: undefined, spec: undefined })?.facts;
    if (answer?.status !== 'exists' || !answer.versions) return undefined;
    return Object.values(answer.versions)
      .filter((v) => !v.deprecated && !v.yanked && !isPrerelease(ecosystem, v.version))
      .sort((a, b) => compareVersions(ecosystem, a.version, b.version))
      .slice(-RELEASES_PER_HOP);
  };
  const vulnerable = via.at(-1)!;
  let acceptable = releasesOf(vulnerable)
    ?.map((v) => v.version)
    .filter((v) => compareVersions(ecosystem, v, upgrade) >= 0) ?? [upgrade];
  let releases: VersionFacts[] = [];
  for (let i = via.length - 2; i >= 0; i--) {
    const child = via[i + 1]!;
    const known = releasesOf(via[i]!);
    if (!known) return undefined;
    // Releases repeat their requirements (`^4.17.0` across a whole line): each is weighed once.
    const weighed = new Map<string | undefined, boolean>();
    releases = known.filter((release) => {
      const spec = release.requires ? (requirementOn(ecosystem, release.requires, child) ?? '') : undefined;
      const answer = weighed.get(spec);
      if (answer !== undefined) return answer;
      const ok = lets(ecosystem, release, child, acceptable);
      weighed.set(spec, ok);
      return ok;
    });
    // Nothing acceptable among releases of which some were not described (PyPI describes a window of
    // releases only): an undescribed one may be it, so no release is named.
    if (releases.length === 0 && known.some((r) => r.requires === undefined)) return undefined;
    acceptable = releases.map((r) => r.version);
  }
  const name = via[0]!;
  const from = lockedVersion(ref, name, refs);
  const lowest = releases.find((r) => from === undefined || compareVersions(ecosystem, r.version, from) >= 0);
  return {
    package: name,
    ...(from === undefined ? {} : { from }),
    ...(lowest ? { to: lowest.version } : {}),
  };
}

/** Whether a release's requirement on `child` admits one of the acceptable versions (or it needs no `child`). */
function lets(
  ecosystem: Ecosystem,
  release: VersionFacts,
  child: string,
  acceptable: readonly string[],
): boolean {
  if (!release.requires) return false;
  const spec = requirementOn(ecosystem, release.requires, child);
  if (spec === undefined) return true;
  const read = readRange(ecosystem, spec);
  return 'range' in read && acceptable.some((version) => read.range.admits(version));
}

/**
 * A release's requirement on `child`, matched the way the registry compares names (NuGet ids ignore case,
 * PyPI names PEP 503): a lockfile may spell the name otherwise than the dependent's metadata.
 */
function requirementOn(
  ecosystem: Ecosystem,
  requires: Record<string, string>,
  child: string,
): string | undefined {
  const exact = requires[child];
  if (exact !== undefined) return exact;
  const key = packageKey(ecosystem, child);
  for (const [name, spec] of Object.entries(requires)) if (packageKey(ecosystem, name) === key) return spec;
  return undefined;
}

/** The version of `name` the same lockfile holds. */
function lockedVersion(ref: PackageRef, name: string, refs: readonly PackageRef[]): string | undefined {
  return refs.find(
    (other) =>
      other.source === 'locked' &&
      other.name === name &&
      other.ecosystem === ref.ecosystem &&
      other.location.file === ref.location.file,
  )?.version;
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
  return `${fix.to} fixes it${major}; it comes through ${via.join(' → ')}: ${directAdvice(fix, parent)}${force}`;
}

function directAdvice(fix: Fix, parent: string): string {
  const allows = `${fix.package} ${fix.to}`;
  const direct = fix.direct;
  if (!direct) return `upgrade ${parent} to a release that allows ${allows}`;
  if (direct.to === undefined) return `no release of ${parent} allows ${allows} yet`;
  if (direct.to === direct.from)
    return `${parent} ${direct.from} already allows ${allows}, so refreshing the lockfile fixes it`;
  return `upgrade ${parent} to ${direct.to}, the lowest release that allows ${allows}`;
}
