/**
 * The registry stage of a scan: ask each registry once per distinct package (with a concurrency limit,
 * through the cache), then hand the analyzers `RegistryFacts`: what the registry says about each
 * reference, the version a fresh install of a range picks today, popular names, and for answers the
 * dependencies of the packages they declare.
 */
import type { Logger } from '../core/log.js';
import type { Env } from '../core/paths.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import type { Unchecked } from '../model/result.js';
import {
  type CacheLifetimes,
  type CacheMode,
  DEFAULT_LIFETIMES,
  RegistryCache,
  registryCachePath,
} from './cache.js';
import type { ClientContext } from './client.js';
import { type NpmConfig, npmConfig, type PipConfig, pipConfig } from './config.js';
import { HttpClient, type HttpSettings } from './http.js';
import { NpmClient, type NpmDocument } from './npm.js';
import { findVersion, installedToday } from './pick.js';
import { loadPopularNpm, loadPopularPypi, type PopularLoad, popularPypiPath } from './popular.js';
import { PypiClient } from './pypi.js';
import type { PackageFacts, RegistryClient, Sourced, VersionFacts } from './types.js';

const DAY_MS = 86_400_000;
export const DEFAULT_NEW_PACKAGE_DAYS = 30;
export const DEFAULT_OUTDATED_DAYS = 730;
export const DEFAULT_REGISTRY_CONCURRENCY = 16;

export interface RegistryOptions {
  /** How the cache is used; `offline` never touches the network. Default `default`. */
  mode?: CacheMode;
  /** Overrides the npm registry of npm's configuration (scoped registries still apply). */
  npmRegistry?: string;
  /** Overrides the PyPI index of pip's configuration. */
  pypiIndex?: string;
  /** The cache file, or false to keep answers for this scan only. Default `<cache>/registry.sqlite`. */
  cache?: string | false;
  cacheDir?: string;
  /** npm and pip configuration, proxies and home folders are read from it. Default process.env. */
  env?: Env;
  /** The project folder whose `.npmrc` applies. Default process.cwd(). */
  cwd?: string;
  http?: HttpSettings;
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

export interface RegistryStage {
  facts: RegistryFacts;
  warnings: string[];
}

/** References a registry is asked about: from the registry (not git, URL, path or workspace). */
export function registryEligible(ref: PackageRef): boolean {
  return ref.origin === undefined || ref.origin === 'registry';
}

function idOf(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}\0${packageKey(ecosystem, name)}`;
}

/**
 * Resolves every eligible reference. `wantsDependencies(ref)` marks the imports of answers that need the
 * declared packages' dependencies (undeclared imports that may come in transitively).
 */
export async function resolveRegistry(
  refs: readonly PackageRef[],
  options: RegistryOptions,
  logger: Logger,
  wantsDependencies: (ref: PackageRef) => boolean = () => false,
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

  let npm: NpmConfig | undefined;
  if (ecosystems.has('npm')) {
    npm = npmConfig(cwd, env);
    if (options.npmRegistry) {
      npm.registry = options.npmRegistry.endsWith('/') ? options.npmRegistry : `${options.npmRegistry}/`;
      npm.source = 'option';
    }
  }
  let pip: PipConfig | undefined;
  if (ecosystems.has('PyPI'))
    pip = options.pypiIndex
      ? { index: options.pypiIndex, source: 'option', extra: [] }
      : await pipConfig(env);

  const cachePath =
    options.cache === false ? undefined : (options.cache ?? registryCachePath(env, options.cacheDir));
  // Nothing will be fetched without a registry or in offline mode: then an absent cache is not created.
  const willFetch = mode !== 'offline' && (npm?.registry !== undefined || pip?.index !== undefined);
  const cache = cachePath ? RegistryCache.open(cachePath, { create: willFetch, logger }) : undefined;
  const http = new HttpClient({ ...options.http, env, logger });
  const context: ClientContext = {
    http,
    ...(cache ? { cache } : {}),
    mode,
    lifetimes: { ...DEFAULT_LIFETIMES, ...options.lifetimes },
    now: () => options.now?.getTime() ?? Date.now(),
  };
  const clients = new Map<Ecosystem, RegistryClient>();
  if (npm) clients.set('npm', new NpmClient(npm, context, options.npmDocument ?? 'full'));
  if (pip) clients.set('PyPI', new PypiClient(pip, context));

  const answers = new Map<string, Sourced<PackageFacts>>();
  const unchecked: Unchecked[] = [];
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

    const dependencies = await answerDependencies(eligible, answers, clients, installsOf, wantsDependencies);

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

    const warnings = [...failures].map(
      ([registry, count]) =>
        `${registry} could not be asked about ${count} package${count === 1 ? '' : 's'}; they are listed as not checked`,
    );
    for (const warning of warnings) logger.warn(warning);
    return {
      warnings,
      facts: {
        forRef: (ref) => (registryEligible(ref) ? answers.get(idOf(ref.ecosystem, ref.name)) : undefined),
        installs: (ref) => (registryEligible(ref) ? installsOf(ref) : undefined),
        popular: (ecosystem) => popular.get(ecosystem) ?? { reason: `no list of popular ${ecosystem} names` },
        dependenciesIn: (scope, ecosystem, key) => dependencies.get(`${scope}\0${ecosystem}\0${key}`),
        settings,
        unchecked,
      },
    };
  } finally {
    cache?.close();
    await http.close();
  }
}

/** For answers with undeclared imports: the dependencies of each package the answer declares. */
async function answerDependencies(
  refs: readonly PackageRef[],
  answers: Map<string, Sourced<PackageFacts>>,
  clients: Map<Ecosystem, RegistryClient>,
  installsOf: (ref: PackageRef) => VersionFacts | undefined,
  wantsDependencies: (ref: PackageRef) => boolean,
): Promise<Map<string, string[]>> {
  const scopes = new Set<string>();
  for (const ref of refs)
    if (ref.scope !== undefined && ref.source === 'imported' && wantsDependencies(ref))
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
