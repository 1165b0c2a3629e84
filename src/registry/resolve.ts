/**
 * The registry stage of a scan: ask each registry once per distinct package (with a concurrency limit,
 * through the cache), then hand the analyzers `RegistryFacts`: what the registry says about each
 * reference, the version a fresh install of a range picks today, popular names, and for answers the
 * dependencies of the packages they declare.
 */

import { HttpClient, type HttpSettings } from '../core/http.js';
import type { Logger } from '../core/log.js';
import type { Env } from '../core/paths.js';
import { distributionCandidates, MAX_DISTRIBUTION_GUESSES } from '../extractors/pypi/import-map.js';
import { type Ecosystem, packageKey, typesPackage } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import type { PopularLoad } from '../model/popular.js';
import type {
  ExistingPackage,
  PackageFacts,
  RegistryFacts,
  RegistrySettings,
  Sourced,
  VersionFacts,
} from '../model/registry-facts.js';
import type { Unchecked } from '../model/result.js';
import { compareVersions } from '../versions/index.js';
import { findVersion, installedToday } from '../versions/pick.js';
import { isPrerelease } from '../versions/prerelease.js';
import {
  type CacheLifetimes,
  type CacheMode,
  DEFAULT_LIFETIMES,
  RegistryCache,
  registryCachePath,
} from './cache.js';
import type { ClientContext } from './client.js';
import { type NpmConfig, npmConfig, type PipConfig, pipConfig } from './config.js';
import { CratesClient } from './crates.js';
import { GoProxyClient } from './go-proxy.js';
import { MavenClient } from './maven.js';
import { NpmClient, type NpmDocument } from './npm.js';
import { NugetClient } from './nuget.js';
import { PackagistClient } from './packagist.js';
import { loadPopularNpm, loadPopularPypi, popularPypiPath } from './popular.js';
import { PypiClient } from './pypi.js';
import { RubygemsClient } from './rubygems.js';
import {
  composerSources,
  cratesSources,
  type GoSources,
  goSources,
  mavenSources,
  nugetServiceIndex,
  nugetSources,
  type RegistrySources,
  rubygemsSources,
} from './sources.js';
import { scanTrust, type Trust } from './trust.js';
import type { RegistryClient } from './types.js';

const DAY_MS = 86_400_000;
const DEFAULT_NEW_PACKAGE_DAYS = 30;
const DEFAULT_OUTDATED_DAYS = 730;
const DEFAULT_REGISTRY_CONCURRENCY = 16;
const DEFAULT_REGISTRY_DEADLINE_MS = 300_000;

/** A package whose releases' requirements a fix wants, from the locked release `from` up. */
export interface RequirementsWanted {
  ecosystem: Ecosystem;
  name: string;
  from?: string;
}

export interface RegistryOptions {
  /** How the cache is used; `offline` never touches the network. Default `default`. */
  mode?: CacheMode;
  /**
   * Called with the scan's facts before the registry connection closes: the packages whose per-release
   * requirements the fix advice wants (the chains of vulnerable locked packages), asked then of the
   * registries that describe requirements per release only (PyPI).
   */
  requirementsWanted?: (facts: RegistryFacts) => Promise<readonly RequirementsWanted[]>;
  /** Overrides the npm registry of npm's configuration (scoped registries still apply). */
  npmRegistry?: string;
  /** Kept by a long-running caller across scans (the MCP server, the answer proxy): see `RegistrySession`. */
  session?: RegistrySession;
  /** Overrides the PyPI index of pip's configuration. */
  pypiIndex?: string;
  /** Overrides the Maven repository of Maven's settings (a mirror of central, or the super POM's central). */
  mavenRepository?: string;
  /** Overrides GOPROXY (GOPRIVATE/GONOPROXY still apply). */
  goProxy?: string;
  /** A sparse crates.io index (`sparse+` optional), over Cargo's source replacement. */
  cratesIndex?: string;
  /** Overrides the RubyGems sources of the gemrc files. */
  rubygemsSource?: string;
  /** A Composer repository to ask instead of the ones composer.json and COMPOSER_HOME name. */
  packagistRepository?: string;
  /** A NuGet v3 source (its service index, or a base under which `v3/index.json` is) over NuGet.Config. */
  nugetSource?: string;
  /** The cache file, or false to keep answers for this scan only. Default `<cache>/registry.sqlite`. */
  cache?: string | false;
  cacheDir?: string;
  /** npm and pip configuration, proxies and home folders are read from it. Default process.env. */
  env?: Env;
  /** The project folder whose `.npmrc`, composer.json, NuGet.Config and .cargo/config.toml apply. Default process.cwd(). */
  cwd?: string;
  /**
   * The scanned folders: installed tools inside them (or inside the working directory) are never used to
   * find a registry (`trust.ts`).
   */
  untrustedRoots?: readonly string[];
  /**
   * Use project-level registry configuration (a project `.npmrc`, `.cargo/config.toml`, `NuGet.Config`,
   * `auth.json`) with the user's credentials and environment variables. Default false: such files may
   * choose registry URLs, but never receive the user's credentials.
   */
  trustProjectConfig?: boolean;
  http?: HttpSettings;
  /**
   * Time for all the registry work of a scan; past it, requests in flight are cut off and what was not
   * answered is `unchecked`. Default 300 s.
   */
  deadlineMs?: number;
  /** Packages asked about at once. Default 16. */
  concurrency?: number;
  lifetimes?: Partial<CacheLifetimes>;
  /** `abbreviated` npm documents are smaller but carry no dates, descriptions or repositories. Default `full`. */
  npmDocument?: NpmDocument;
  /** A package first published fewer days ago is suspiciously new. Default 30. */
  newPackageDays?: number;
  /** A version published this many days before the latest is outdated. Default 730 (2 years). */
  outdatedDays?: number;
  /** The top-PyPI-packages list, or false for none. Default `<cache>/top-pypi-packages.json`. */
  popularPypi?: string | false;
  /** Popular-name lists to use instead of the installed/downloaded ones (tests, embedders). */
  popular?: Partial<Record<Ecosystem, PopularLoad>>;
  now?: Date;
}

/** How long a session trusts the npm configuration it read: a changed `.npmrc` is seen this soon. */
const SESSION_CONFIG_MS = 10_000;

/**
 * What a long-running caller keeps between scans instead of setting it up for each: the npm configuration
 * (read again after a few seconds) and the registry cache, left open. A scan of the command line has none.
 */
export class RegistrySession {
  private readonly npmConfigs = new Map<string, { at: number; config: NpmConfig }>();
  private readonly caches = new Map<string, RegistryCache>();

  /** The npm configuration for this folder and trust, read again once it is a few seconds old. */
  npm(key: string, read: () => NpmConfig): NpmConfig {
    const now = Date.now();
    let kept = this.npmConfigs.get(key);
    if (!kept || now - kept.at > SESSION_CONFIG_MS) {
      kept = { at: now, config: read() };
      this.npmConfigs.set(key, kept);
    }
    // Each scan may set its own registry on it (`--npm-registry`).
    return { ...kept.config };
  }

  /** The cache at this path, opened once. */
  cache(path: string, open: () => RegistryCache | undefined): RegistryCache | undefined {
    const kept = this.caches.get(path);
    if (kept) return kept;
    const cache = open();
    if (cache) this.caches.set(path, cache);
    return cache;
  }

  close(): void {
    for (const cache of this.caches.values()) cache.close();
    this.caches.clear();
    this.npmConfigs.clear();
  }
}

export interface RegistryStage {
  facts: RegistryFacts;
  warnings: string[];
}

/**
 * References a registry is asked about: from the registry (not git, URL, path or workspace), and not a
 * package name guessed from an import (a Java package, a Ruby require, a Rust `use`, a Go import no module
 * covers), whose absence from the registry would prove nothing. Python's guesses are the exception: an
 * import name is most often the distribution's, and a missing one is reported as a guess (low severity).
 */
export function registryEligible(ref: PackageRef): boolean {
  return (ref.origin === undefined || ref.origin === 'registry') && !guessedFromImport(ref);
}

function guessedFromImport(ref: PackageRef): boolean {
  return ref.source === 'imported' && ref.inferred === true && ref.ecosystem !== 'PyPI';
}

const GUESSED =
  'not asked: the package name is guessed from an import, and no manifest or install command in the scan names the package';

interface OtherSources {
  Maven?: RegistrySources;
  Go?: GoSources;
  'crates.io'?: RegistrySources;
  RubyGems?: RegistrySources;
  Packagist?: RegistrySources;
  NuGet?: RegistrySources;
}

/** Sources for the ecosystems asked about: the option, else the tool's configuration. */
async function otherSources(
  ecosystems: Set<Ecosystem>,
  options: RegistryOptions,
  cwd: string,
  env: Env,
  trust: () => Trust,
): Promise<OtherSources> {
  const given = (url: string | undefined): RegistrySources | undefined =>
    url
      ? { sources: [{ url: url.endsWith('/') || url.endsWith('.json') ? url : `${url}/` }], origin: 'option' }
      : undefined;
  const out: OtherSources = {};
  if (ecosystems.has('Maven'))
    out.Maven = given(options.mavenRepository) ?? (await mavenSources(env, trust()));
  if (ecosystems.has('Go')) {
    const configured = goSources(env, trust());
    const option = given(options.goProxy);
    out.Go = option ? { ...option, private: configured.private } : configured;
  }
  if (ecosystems.has('crates.io'))
    out['crates.io'] =
      given(options.cratesIndex?.replace(/^sparse\+/, '')) ?? (await cratesSources(cwd, env, trust()));
  if (ecosystems.has('RubyGems'))
    out.RubyGems = given(options.rubygemsSource) ?? (await rubygemsSources(env, trust()));
  if (ecosystems.has('Packagist'))
    out.Packagist = given(options.packagistRepository) ?? composerSources(cwd, env);
  if (ecosystems.has('NuGet'))
    out.NuGet =
      given(options.nugetSource && nugetServiceIndex(options.nugetSource)) ?? nugetSources(cwd, env, trust());
  return out;
}

function idOf(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}\0${packageKey(ecosystem, name)}`;
}

/**
 * Resolves every eligible reference. `isUndeclared(ref)` marks the imports no manifest covers: in answers,
 * they need the declared packages' dependencies (they may come in transitively); guessed names among them
 * are listed as not asked about.
 */
export async function resolveRegistry(
  refs: readonly PackageRef[],
  options: RegistryOptions,
  logger: Logger,
  isUndeclared: (ref: PackageRef) => boolean = () => false,
): Promise<RegistryStage> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const mode = options.mode ?? 'default';
  const now = options.now?.getTime() ?? Date.now();
  const settings: RegistrySettings = {
    now,
    newPackageMs: (options.newPackageDays ?? DEFAULT_NEW_PACKAGE_DAYS) * DAY_MS,
    outdatedMs: (options.outdatedDays ?? DEFAULT_OUTDATED_DAYS) * DAY_MS,
  };
  const eligible = refs.filter(registryEligible);
  const names = new Map<string, { ecosystem: Ecosystem; name: string }>();
  for (const ref of eligible) {
    const id = idOf(ref.ecosystem, ref.name);
    if (!names.has(id)) names.set(id, { ecosystem: ref.ecosystem, name: ref.name });
  }
  const ecosystems = new Set([...names.values()].map((n) => n.ecosystem));
  const guesses = new Map<string, PackageRef>();
  for (const ref of refs) {
    const id = idOf(ref.ecosystem, ref.name);
    // Only a phantom's guess is worth listing: an import a declared package covers needs no registry.
    const listed = ref.origin === undefined || ref.origin === 'registry';
    if (listed && guessedFromImport(ref) && !names.has(id) && isUndeclared(ref)) guesses.set(id, ref);
  }

  // Resolving the folders' real paths costs file-system calls on every scan; a scan whose configuration is
  // already read (a session's npm configuration) never needs them.
  let trust: Trust | undefined;
  const trusted = () =>
    (trust ??= scanTrust(cwd, env, options.untrustedRoots, options.trustProjectConfig === true));
  let npm: NpmConfig | undefined;
  if (ecosystems.has('npm')) {
    npm = options.session
      ? options.session.npm(
          [cwd, options.trustProjectConfig === true, ...(options.untrustedRoots ?? [])].join('\0'),
          () => npmConfig(cwd, env, trusted()),
        )
      : npmConfig(cwd, env, trusted());
    if (options.npmRegistry) {
      npm.registry = options.npmRegistry.endsWith('/') ? options.npmRegistry : `${options.npmRegistry}/`;
      npm.source = 'option';
    }
  }
  let pip: PipConfig | undefined;
  if (ecosystems.has('PyPI'))
    pip = options.pypiIndex
      ? { index: options.pypiIndex, source: 'option', extra: [] }
      : await pipConfig(env, trusted());

  const others = await otherSources(ecosystems, options, cwd, env, trusted);
  const ignored = [
    ...new Set([...(npm?.ignored ?? []), ...Object.values(others).flatMap((o) => o.ignored ?? [])]),
  ];

  const cachePath =
    options.cache === false ? undefined : (options.cache ?? registryCachePath(env, options.cacheDir));
  // Nothing will be fetched without a registry or in offline mode: then an absent cache is not created.
  const willFetch =
    mode !== 'offline' &&
    (npm?.registry !== undefined ||
      pip?.index !== undefined ||
      Object.values(others).some((o) => o.sources.length > 0));
  const openCache = (path: string) => RegistryCache.open(path, { create: willFetch, logger });
  const cache = cachePath
    ? options.session
      ? options.session.cache(cachePath, () => openCache(cachePath))
      : openCache(cachePath)
    : undefined;
  const deadlineMs = options.deadlineMs ?? DEFAULT_REGISTRY_DEADLINE_MS;
  const budget = new AbortController();
  const deadline = setTimeout(
    () =>
      budget.abort(
        new Error(
          `the registry checks ran out of time (${deadlineMs / 1000} s for the whole scan; --registry-deadline gives more)`,
        ),
      ),
    deadlineMs,
  );
  deadline.unref();
  // Made on the first request: a scan answered from the cache (a warm session's) needs neither the client
  // nor its abort signal, which cost more than the cache lookups.
  let http: HttpClient | undefined;
  const context: ClientContext = {
    get http() {
      http ??= new HttpClient({ ...options.http, env, logger, signal: budget.signal });
      return http;
    },
    ...(cache ? { cache } : {}),
    mode,
    lifetimes: { ...DEFAULT_LIFETIMES, ...options.lifetimes },
    now: () => options.now?.getTime() ?? Date.now(),
  };
  const clients = new Map<Ecosystem, RegistryClient>();
  if (npm) clients.set('npm', new NpmClient(npm, context, options.npmDocument ?? 'full'));
  if (pip) clients.set('PyPI', new PypiClient(pip, context));
  if (others.Maven) clients.set('Maven', new MavenClient(others.Maven, context));
  if (others.Go) clients.set('Go', new GoProxyClient(others.Go, context));
  if (others['crates.io']) clients.set('crates.io', new CratesClient(others['crates.io'], context));
  if (others.RubyGems) clients.set('RubyGems', new RubygemsClient(others.RubyGems, context));
  if (others.Packagist) clients.set('Packagist', new PackagistClient(others.Packagist, context));
  if (others.NuGet) clients.set('NuGet', new NugetClient(others.NuGet, context));

  const answers = new Map<string, Sourced<PackageFacts>>();
  const unchecked: Unchecked[] = [...guesses.values()].map((ref) => ({
    ecosystem: ref.ecosystem,
    name: ref.name,
    check: 'registry',
    reason: GUESSED,
    deliberate: true as const,
  }));
  const failures = new Map<string, number>();
  const work = [...names.entries()];
  let done = 0;
  try {
    await pool(
      work,
      options.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY,
      async ([id, { ecosystem, name }]) => {
        const client = clients.get(ecosystem);
        const answer: Sourced<PackageFacts> = client
          ? await client.facts(name)
          : {
              facts: {
                status: 'unchecked',
                ecosystem,
                name,
                reason: `Vouch has no registry client for ${ecosystem} yet`,
              },
              registry: 'none',
              via: 'network',
            };
        answers.set(id, answer);
        if (answer.facts.status === 'unchecked') {
          unchecked.push({ ecosystem, name, check: 'registry', reason: answer.facts.reason });
          if (client?.registry && answer.registry !== 'none')
            failures.set(answer.registry, (failures.get(answer.registry) ?? 0) + 1);
        }
        logger.progress({ task: 'registry', done: ++done, total: work.length, detail: name });
      },
    );
    await completeVersions(
      eligible,
      answers,
      clients,
      unchecked,
      options.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY,
    );
    await completeRequirements(
      eligible,
      answers,
      clients,
      options.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY,
    );
    const providedElsewhere = await askProviders(
      eligible,
      answers,
      clients,
      options.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY,
    );
    await guessDistributions(eligible, answers, clients, options.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY);
    await searchMissing(answers, clients, options.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY);

    const installs = new Map<PackageRef, VersionFacts | undefined>();
    const installsOf = (ref: PackageRef): VersionFacts | undefined => {
      if (installs.has(ref)) return installs.get(ref);
      const facts = answers.get(idOf(ref.ecosystem, ref.name))?.facts;
      let pick: VersionFacts | undefined;
      if (facts?.status === 'exists' && facts.versions) {
        pick = ref.version !== undefined ? findVersion(facts, ref.version) : installedToday(facts, ref.spec);
      }
      installs.set(ref, pick);
      return pick;
    };

    const dependencies = await answerDependencies(eligible, answers, clients, installsOf, isUndeclared);

    const popular = new Map<Ecosystem, PopularLoad>();
    for (const ecosystem of ecosystems) {
      const given = options.popular?.[ecosystem];
      if (given) popular.set(ecosystem, given);
      else if (ecosystem === 'npm') popular.set('npm', await loadPopularNpm());
      else if (ecosystem === 'PyPI')
        popular.set(
          'PyPI',
          options.popularPypi === false
            ? { reason: 'no list of popular PyPI names (turned off)' }
            : loadPopularPypi(options.popularPypi ?? popularPypiPath(env, options.cacheDir)),
        );
    }

    const warnings = [
      ...ignored,
      ...[...failures].map(
        ([registry, count]) =>
          `${registry} could not be asked about ${count} package${count === 1 ? '' : 's'}; they are listed as not checked`,
      ),
    ];
    for (const warning of warnings) logger.warn(warning);
    const facts: RegistryFacts = {
      forRef: (ref) =>
        registryEligible(ref) && !providedElsewhere.has(ref)
          ? answers.get(idOf(ref.ecosystem, ref.name))
          : undefined,
      installs: (ref) => (registryEligible(ref) ? installsOf(ref) : undefined),
      popular: (ecosystem) => popular.get(ecosystem) ?? { reason: `no list of popular ${ecosystem} names` },
      dependenciesIn: (scope, ecosystem, key) => dependencies.get(`${scope}\0${ecosystem}\0${key}`),
      settings,
      unchecked,
    };
    if (options.requirementsWanted) {
      const wanted = await options.requirementsWanted(facts);
      await completeReleaseRequirements(
        wanted,
        answers,
        clients,
        options.concurrency ?? DEFAULT_REGISTRY_CONCURRENCY,
      );
    }
    return { warnings, facts };
  } finally {
    clearTimeout(deadline);
    if (!options.session) cache?.close();
    await http?.close();
  }
}

/** Packages per scan whose releases' requirements are asked one release at a time, and releases per package. */
const MAX_RELEASE_REQUIREMENT_PACKAGES = 10;
const MAX_RELEASE_REQUIREMENT_RELEASES = 8;

/**
 * For registries that describe requirements per release only (PyPI): the requirements of the releases of
 * each wanted package from its locked release up, in order (yanked and pre-releases left out), at most
 * eight. Releases above that window keep no requirements, so the fix advice never calls a release the
 * lowest when a lower one was not looked at.
 */
async function completeReleaseRequirements(
  wanted: readonly RequirementsWanted[],
  answers: Map<string, Sourced<PackageFacts>>,
  clients: ReadonlyMap<Ecosystem, RegistryClient>,
  concurrency: number,
): Promise<void> {
  const work = new Map<string, RequirementsWanted>();
  for (const want of wanted) {
    if (!clients.get(want.ecosystem)?.releaseRequirements) continue;
    const id = idOf(want.ecosystem, want.name);
    if (!work.has(id)) work.set(id, want);
  }
  await pool(
    [...work.entries()].slice(0, MAX_RELEASE_REQUIREMENT_PACKAGES),
    concurrency,
    async ([id, want]) => {
      const answer = answers.get(id);
      if (answer?.facts.status !== 'exists' || !answer.facts.versions) return;
      const { ecosystem } = want;
      const window = Object.values(answer.facts.versions)
        .filter((v) => !v.yanked && !isPrerelease(ecosystem, v.version))
        .filter((v) => want.from === undefined || compareVersions(ecosystem, v.version, want.from) >= 0)
        .sort((a, b) => compareVersions(ecosystem, a.version, b.version))
        .slice(0, MAX_RELEASE_REQUIREMENT_RELEASES);
      const client = clients.get(ecosystem)!;
      const versions = { ...answer.facts.versions };
      for (const release of window) {
        const requires = await client.releaseRequirements!(want.name, release.version);
        // A gap stops the window: a later release must not pass for the lowest one.
        if (!requires) break;
        versions[release.version] = { ...release, requires, dependencies: Object.keys(requires) };
      }
      answers.set(id, { ...answer, facts: { ...answer.facts, versions } });
    },
  );
}

/** Declared packages per scan whose per-version requirements are asked separately (one request each). */
const MAX_REQUIREMENT_LOOKUPS = 50;

/**
 * For registries whose package document does not say what each version requires (RubyGems), asks for it
 * for the packages a manifest declares in an ecosystem some lockfile of the scan locks: the direct
 * dependencies a fix through a lockfile's chain would upgrade (`fix.direct`).
 */
async function completeRequirements(
  refs: readonly PackageRef[],
  answers: Map<string, Sourced<PackageFacts>>,
  clients: ReadonlyMap<Ecosystem, RegistryClient>,
  concurrency: number,
): Promise<void> {
  const locked = new Set(refs.filter((ref) => ref.source === 'locked').map((ref) => ref.ecosystem));
  const wanted = new Map<string, PackageRef>();
  for (const ref of refs) {
    if (ref.source !== 'declared' || !locked.has(ref.ecosystem) || !clients.get(ref.ecosystem)?.requirements)
      continue;
    const id = idOf(ref.ecosystem, ref.name);
    const facts = answers.get(id)?.facts;
    if (facts?.status !== 'exists' || !facts.versions) continue;
    if (Object.values(facts.versions).some((version) => version.requires)) continue;
    if (!wanted.has(id)) wanted.set(id, ref);
  }
  const work = [...wanted.entries()].slice(0, MAX_REQUIREMENT_LOOKUPS);
  await pool(work, concurrency, async ([id, ref]) => {
    const all = await clients.get(ref.ecosystem)!.requirements!(ref.name);
    const answer = answers.get(id);
    if (!all || answer?.facts.status !== 'exists' || !answer.facts.versions) return;
    const versions = { ...answer.facts.versions };
    for (const [version, requires] of Object.entries(all)) {
      const known = versions[version];
      if (known) versions[version] = { ...known, requires, dependencies: Object.keys(requires) };
    }
    answers.set(id, { ...answer, facts: { ...answer.facts, versions } });
  });
}

/** Python import names per scan whose usual distribution names are asked: each costs up to eight requests. */
const MAX_GUESSED_IMPORTS = 25;

/**
 * For Python import names the index does not have and no table maps (`absl`, `skcuda`, `rpds`): asks the
 * distribution names such projects are usually published under, in order, and keeps the first the index
 * has (`MissingPackage.publishedAs`). A failed request counts as not found: the import stays missing.
 */
async function guessDistributions(
  refs: readonly PackageRef[],
  answers: Map<string, Sourced<PackageFacts>>,
  clients: ReadonlyMap<Ecosystem, RegistryClient>,
  concurrency: number,
): Promise<void> {
  const client = clients.get('PyPI');
  if (!client) return;
  const modules = new Map<string, string[]>();
  for (const ref of refs) {
    if (ref.ecosystem !== 'PyPI' || ref.source !== 'imported' || ref.inferred !== true) continue;
    const id = idOf(ref.ecosystem, ref.name);
    if (answers.get(id)?.facts.status !== 'missing') continue;
    const list = modules.get(id) ?? [];
    const module = ref.importName ?? ref.name;
    if (!list.includes(module)) list.push(module);
    modules.set(id, list);
  }
  const work = [...modules.entries()].slice(0, MAX_GUESSED_IMPORTS);
  await pool(work, concurrency, async ([id, names]) => {
    const answer = answers.get(id)!;
    if (answer.facts.status !== 'missing') return;
    // The longest module first: `google.cloud.tasks` is more telling than `google.cloud`.
    const ordered = [...names].sort((a, b) => b.split('.').length - a.split('.').length);
    const candidates = [...new Set(ordered.flatMap(distributionCandidates))].slice(
      0,
      MAX_DISTRIBUTION_GUESSES,
    );
    const asked: string[] = [];
    for (const candidate of candidates) {
      asked.push(candidate);
      const found = await client.facts(candidate);
      if (found.facts.status !== 'exists') continue;
      answers.set(id, {
        ...answer,
        facts: { ...answer.facts, publishedAs: { name: found.facts.name, asked } },
      });
      return;
    }
  });
}

/**
 * Other names that provide the module an import names: its declared alternatives (a `types` entry's own
 * package for `@types/x`, another distribution of a Python module) and, for a type-only npm import,
 * DefinitelyTyped's package (`import type { Node } from 'estree'` is `@types/estree`'s).
 */
function providers(ref: PackageRef): string[] {
  if (ref.source !== 'imported') return [];
  const names = [...(ref.alternatives ?? [])];
  if (ref.ecosystem === 'npm' && ref.typeOnly && !ref.name.startsWith('@types/'))
    names.push(typesPackage(ref.name));
  return names.filter((name) => name !== ref.name);
}

/**
 * An import whose name the registry does not have, but which another name provides (see `providers`), is
 * no hallucination: the providers are asked (only then, so the common case costs no request), and such a
 * reference is left to the provider's own references (its manifest entry): the registry checks are not
 * about the name as written. Returns those references.
 */
async function askProviders(
  eligible: readonly PackageRef[],
  answers: Map<string, Sourced<PackageFacts>>,
  clients: ReadonlyMap<Ecosystem, RegistryClient>,
  concurrency: number,
): Promise<Set<PackageRef>> {
  const waiting = new Map<PackageRef, string[]>();
  const ask = new Map<string, { ecosystem: Ecosystem; name: string }>();
  for (const ref of eligible) {
    if (answers.get(idOf(ref.ecosystem, ref.name))?.facts.status !== 'missing') continue;
    const names = providers(ref);
    if (names.length === 0 || !clients.has(ref.ecosystem)) continue;
    waiting.set(ref, names);
    for (const name of names) {
      const id = idOf(ref.ecosystem, name);
      if (!answers.has(id)) ask.set(id, { ecosystem: ref.ecosystem, name });
    }
  }
  // Kept apart from `answers`: nothing references a provider under its own name, so a missing one must
  // not use up the searches for did-you-mean suggestions.
  const asked = new Map<string, Sourced<PackageFacts>>();
  await pool([...ask.entries()], concurrency, async ([id, { ecosystem, name }]) => {
    asked.set(id, await clients.get(ecosystem)!.facts(name));
  });
  const exists = (id: string) => (answers.get(id) ?? asked.get(id))?.facts.status === 'exists';
  const provided = new Set<PackageRef>();
  for (const [ref, names] of waiting)
    if (names.some((name) => exists(idOf(ref.ecosystem, name)))) provided.add(ref);
  return provided;
}

/** Searches per scan for names a registry does not have: a flood of made-up names must not flood it. */
const MAX_SEARCHES = 25;

/**
 * For names a registry does not have (not npm's security placeholders), what its own search finds for
 * their words, kept in the facts for "did you mean" (`MissingPackage.searched`).
 */
async function searchMissing(
  answers: Map<string, Sourced<PackageFacts>>,
  clients: ReadonlyMap<Ecosystem, RegistryClient>,
  concurrency: number,
): Promise<void> {
  const work = [...answers.entries()]
    .filter(([, answer]) => {
      const facts = answer.facts;
      return (
        facts.status === 'missing' &&
        facts.why !== 'security-holding' &&
        !facts.publishedAs &&
        clients.get(facts.ecosystem)?.search
      );
    })
    .slice(0, MAX_SEARCHES);
  await pool(work, concurrency, async ([id, answer]) => {
    const facts = answer.facts;
    if (facts.status !== 'missing') return;
    const searched = await clients.get(facts.ecosystem)!.search!(facts.name);
    answers.set(id, { ...answer, facts: { ...facts, searched } });
  });
}

/** Sources whose versions are dated for the `outdated` check (lockfiles list transitive packages too). */
const DATED_SOURCES: ReadonlySet<PackageRef['source']> = new Set(['declared', 'installed', 'executed']);

/**
 * Asks the clients that describe some versions one at a time (`RegistryClient.version`) about the versions
 * the references name that the package facts do not list or do not date, and about the latest version when
 * it is undated; the answers are merged into the facts. A version the registry could not be asked about and
 * that the facts do not list is kept as known, so that it is not called a hallucinated version, and is
 * listed as `unchecked` for `unknown-version`.
 */
async function completeVersions(
  refs: readonly PackageRef[],
  answers: Map<string, Sourced<PackageFacts>>,
  clients: Map<Ecosystem, RegistryClient>,
  unchecked: Unchecked[],
  concurrency: number,
): Promise<void> {
  const wanted = new Map<string, { id: string; ref: PackageRef; version: string }>();
  const want = (id: string, ref: PackageRef, version: string) => {
    const key = `${id}\0${version}`;
    if (!wanted.has(key)) wanted.set(key, { id, ref, version });
  };
  for (const ref of refs) {
    if (!clients.get(ref.ecosystem)?.version) continue;
    const id = idOf(ref.ecosystem, ref.name);
    const facts = answers.get(id)?.facts;
    if (facts?.status !== 'exists' || !facts.versions) continue;
    const latest = facts.latest ? facts.versions[facts.latest] : undefined;
    if (latest && !latest.published && DATED_SOURCES.has(ref.source)) want(id, ref, latest.version);
    if (ref.version === undefined) continue;
    const known = findVersion(facts, ref.version);
    if (!known || (!known.published && DATED_SOURCES.has(ref.source))) want(id, ref, ref.version);
  }
  const copied = new Set<string>();
  await pool([...wanted.values()], concurrency, async ({ id, ref, version }) => {
    const answer = answers.get(id)!;
    const facts = answer.facts as ExistingPackage;
    const reply = await clients.get(ref.ecosystem)!.version!(facts.name, version);
    const known = findVersion(facts, version);
    if (reply.status === 'missing' || (reply.status === 'unchecked' && known)) return;
    // The facts may be shared with other lookups: they are changed on a copy.
    if (!copied.has(id)) {
      copied.add(id);
      answers.set(id, { ...answer, facts: { ...facts, versions: { ...facts.versions } } });
    }
    const current = answers.get(id)!.facts as ExistingPackage;
    const versions = current.versions!;
    if (reply.status === 'unchecked') {
      versions[version] = { version };
      unchecked.push({
        ecosystem: ref.ecosystem,
        name: ref.name,
        version,
        check: 'unknown-version',
        reason: reply.reason,
      });
      return;
    }
    const key = known?.version ?? reply.facts.version;
    versions[key] = { ...versions[key], ...reply.facts, version: key };
    const published = reply.facts.published;
    if (published && current.datesTrusted && (!current.created || published < current.created))
      current.created = published;
  });
}

/** For answers with undeclared imports: the dependencies of each package the answer declares. */
async function answerDependencies(
  refs: readonly PackageRef[],
  answers: Map<string, Sourced<PackageFacts>>,
  clients: Map<Ecosystem, RegistryClient>,
  installsOf: (ref: PackageRef) => VersionFacts | undefined,
  isUndeclared: (ref: PackageRef) => boolean,
): Promise<Map<string, string[]>> {
  const scopes = new Set<string>();
  for (const ref of refs)
    if (ref.scope !== undefined && ref.source === 'imported' && isUndeclared(ref))
      scopes.add(`${ref.scope}\0${ref.ecosystem}`);
  const out = new Map<string, string[]>();
  for (const ref of refs) {
    if (ref.scope === undefined || (ref.source !== 'declared' && ref.source !== 'installed')) continue;
    if (!scopes.has(`${ref.scope}\0${ref.ecosystem}`)) continue;
    const key = `${ref.scope}\0${ref.ecosystem}\0${packageKey(ref.ecosystem, ref.name)}`;
    if (out.has(key)) continue;
    const facts = answers.get(idOf(ref.ecosystem, ref.name))?.facts;
    if (facts?.status !== 'exists') continue;
    const version = installsOf(ref) ?? (facts.latest ? facts.versions?.[facts.latest] : undefined);
    if (!version) continue;
    const names =
      version.dependencies ?? (await clients.get(ref.ecosystem)?.dependencies?.(ref.name, version.version));
    if (names)
      out.set(
        key,
        names.map((n) => packageKey(ref.ecosystem, n)),
      );
  }
  return out;
}

async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await run(items[next++]!);
  });
  await Promise.all(workers);
}
