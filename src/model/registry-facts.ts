/**
 * What a package registry says about a package, normalised across ecosystems: the facts the registry
 * clients (`registry/`) produce and the analyzers read. Analyzers never see a registry's own document format.
 */
import type { Ecosystem } from './ecosystem.js';
import type { PackageRef } from './package-ref.js';
import type { PopularLoad } from './popular.js';
import type { Unchecked } from './result.js';

export interface VersionFacts {
  version: string;
  /** ISO 8601 publish (upload) time, when the document has one. */
  published?: string;
  /** The maintainers' deprecation message (npm, NuGet), or Composer's "abandoned" notice. */
  deprecated?: string;
  /**
   * The release was withdrawn but stays installable when named exactly: PyPI's yanked files (PEP 592), a
   * yanked crate, a NuGet version unlisted from the feed.
   */
  yanked?: boolean;
  yankedReason?: string;
  /** Registry names of the packages this version depends on at run time; undefined when the document does not say. */
  dependencies?: string[];
  /**
   * The requirement this version puts on each run-time dependency, by registry name (npm's `dependencies`,
   * a crate's `req`); undefined when the document does not say. Tells which release of a package lets a
   * fixed version of its dependency in.
   */
  requires?: Record<string, string>;
}

/** Why the registry says there is nothing to install under a name. */
export type MissingWhy =
  /** The registry answered 404. */
  | 'not-found'
  /** The name exists but every version was unpublished: anyone may claim it. */
  | 'unpublished'
  /** npm replaced a malicious package with a security placeholder (`0.0.1-security`). */
  | 'security-holding';

export interface ExistingPackage {
  status: 'exists';
  ecosystem: Ecosystem;
  /** The name as the registry spells it. */
  name: string;
  /** Every published version by version string; undefined when only existence is known (snapshot, HTML index). */
  versions?: Record<string, VersionFacts>;
  /** The version the registry calls latest (npm `dist-tags.latest`, PyPI `info.version`). */
  latest?: string;
  /** npm dist-tags (`latest`, `next`, …). */
  distTags?: Record<string, string>;
  /** ISO time the package was first published, when the document says. */
  created?: string;
  /** Undefined: the document does not say (trimmed or abbreviated); '' : the package has none. */
  description?: string;
  repository?: string;
  maintainers?: number;
  /**
   * Whether publish times can be trusted as the public registry's: false when the document has none, or
   * when they look like a mirror's sync times (several versions all stamped the same second).
   */
  datesTrusted: boolean;
  /** Fields a full document would have and this one lacks: a mirror or an abbreviated document. */
  trimmed?: string[];
}

export interface MissingPackage {
  status: 'missing';
  ecosystem: Ecosystem;
  name: string;
  why: MissingWhy;
  /** `security-holding`: the placeholder's description; `unpublished`: when it happened, when known. */
  detail?: string;
  /** What the registry's own search found for the name's words (npm), when it was asked. */
  searched?: string[];
  /**
   * For a Python import name that is no distribution: the first distribution named by a usual pattern
   * (absl → absl-py) that the registry has, and the names asked in order (`distributionCandidates`).
   */
  publishedAs?: { name: string; asked: string[] };
}

export interface UncheckedPackage {
  status: 'unchecked';
  ecosystem: Ecosystem;
  name: string;
  /** Why the registry could not be asked or its answer could not be used; never a finding. */
  reason: string;
}

export type PackageFacts = ExistingPackage | MissingPackage | UncheckedPackage;

/** Where an answer came from: shown in findings so that a reader knows which registry said so. */
export interface Sourced<T> {
  facts: T;
  /** The registry's base URL, credentials removed; `snapshot` for an imported list of names. */
  registry: string;
  /** `network`, `cache` (fresh or revalidated), `stale-cache` (the registry failed), `snapshot`. */
  via: 'network' | 'cache' | 'stale-cache' | 'snapshot';
}

export interface RegistrySettings {
  now: number;
  newPackageMs: number;
  outdatedMs: number;
}

export interface RegistryFacts {
  /** What the registry says about the reference's package; undefined for references it is not asked about. */
  forRef(ref: PackageRef): Sourced<PackageFacts> | undefined;
  /** The version a fresh install of the reference picks today (its exact version when it has one). */
  installs(ref: PackageRef): VersionFacts | undefined;
  /** Popular names of an ecosystem, or why there are none. */
  popular(ecosystem: Ecosystem): PopularLoad;
  /** Dependency keys of a package an answer (`scope`) declares, per the registry. */
  dependenciesIn(scope: string, ecosystem: Ecosystem, declaredKey: string): readonly string[] | undefined;
  settings: RegistrySettings;
  /** Packages the registry could not be asked about (check `registry`), with the reason. */
  unchecked: Unchecked[];
}
