/**
 * What every registry client shares: the HTTP client, the cache and its mode, and the rule that turns a
 * failure into `unchecked` (or into the imported snapshot's answer) and never into `missing`.
 */

import { type HttpClient, RegistryHttpError, redactUrl } from '../core/http.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { ExistingPackage, PackageFacts, Sourced, VersionFacts } from '../model/registry-facts.js';
import {
  type CacheLifetimes,
  type CacheMode,
  cachedLookup,
  type FetchOutcome,
  type RegistryCache,
  type Validators,
} from './cache.js';
import type { RegistrySource, RegistrySources } from './sources.js';
import type { RegistryClient, VersionAnswer } from './types.js';

export interface ClientContext {
  http: HttpClient;
  cache?: RegistryCache;
  mode: CacheMode;
  lifetimes: CacheLifetimes;
  now: () => number;
}

/** Text a registry writes about a package (descriptions, deprecation and yank notices), at most. */
const MAX_TEXT = 1000;
/** A repository URL, a version string, at most: longer ones are not what they claim to be. */
const MAX_SHORT_TEXT = 500;
/** Dependencies kept per version, at most. */
const MAX_DEPENDENCIES = 1000;

function cut(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A version's facts with every text a registry wrote bounded. */
function boundVersion(version: VersionFacts): VersionFacts {
  const out = { ...version };
  if (out.deprecated !== undefined) out.deprecated = cut(out.deprecated);
  if (out.yankedReason !== undefined) out.yankedReason = cut(out.yankedReason);
  if (out.dependencies && out.dependencies.length > MAX_DEPENDENCIES)
    out.dependencies = out.dependencies.slice(0, MAX_DEPENDENCIES);
  if (out.requires) {
    const requires: Record<string, string> = {};
    let kept = 0;
    for (const [name, spec] of Object.entries(out.requires)) {
      if (kept++ >= MAX_DEPENDENCIES) break;
      if (name.length <= MAX_SHORT_TEXT && spec.length <= MAX_SHORT_TEXT) requires[name] = spec;
    }
    out.requires = requires;
  }
  return out;
}

/**
 * The facts as they are kept and cached: texts cut to a few hundred characters (a registry may answer with
 * megabytes of description), versions whose string is too long to be one dropped.
 */
export function boundFacts(facts: PackageFacts): PackageFacts {
  if (facts.status === 'missing')
    return facts.detail === undefined ? facts : { ...facts, detail: cut(facts.detail) };
  if (facts.status !== 'exists') return facts;
  const out: ExistingPackage = { ...facts };
  if (out.description !== undefined) out.description = cut(out.description);
  if (out.repository !== undefined && out.repository.length > MAX_SHORT_TEXT) out.repository = '';
  if (out.versions) {
    const versions: Record<string, VersionFacts> = {};
    for (const [key, version] of Object.entries(out.versions))
      if (key.length <= MAX_SHORT_TEXT) versions[key] = boundVersion(version);
    out.versions = versions;
  }
  return out;
}

/**
 * The facts for one name: from the cache or `fetcher` by the cache's rules; when neither can answer, from
 * the ecosystem's imported snapshot of names; else `unchecked` with the reason.
 */
export async function lookupFacts(
  context: ClientContext,
  ecosystem: Ecosystem,
  name: string,
  key: string,
  registry: string,
  fetcher: (validators: Validators) => Promise<FetchOutcome<PackageFacts>>,
): Promise<Sourced<PackageFacts>> {
  try {
    const answer = await cachedLookup(
      context.cache,
      key,
      { mode: context.mode, lifetimes: context.lifetimes, now: context.now },
      async (validators) => {
        const outcome = await fetcher(validators);
        return outcome.status === 'not-modified' ? outcome : { ...outcome, value: boundFacts(outcome.value) };
      },
    );
    return { facts: answer.value, registry, via: answer.via };
  } catch (error) {
    const reason = failureReason(error);
    return (
      snapshotAnswer(context, ecosystem, name) ??
      unchecked(ecosystem, name, `${registry}: ${reason}`, registry)
    );
  }
}

/** What an `unchecked` answer says of a failed lookup. */
function failureReason(error: unknown): string {
  return error instanceof RegistryHttpError
    ? error.message
    : `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

/** One version's facts by the cache's rules (`fetcher` resolves undefined when the registry says there is none). */
export async function lookupVersion(
  context: ClientContext,
  key: string,
  fetcher: () => Promise<VersionFacts | undefined>,
): Promise<VersionAnswer> {
  try {
    const answer = await cachedLookup<VersionFacts | null>(
      context.cache,
      key,
      { mode: context.mode, lifetimes: context.lifetimes, now: context.now },
      async () => {
        const found = await fetcher();
        return found ? { status: 'found', value: boundVersion(found) } : { status: 'missing', value: null };
      },
    );
    return answer.value ? { status: 'found', facts: answer.value } : { status: 'missing' };
  } catch (error) {
    const reason = failureReason(error);
    return { status: 'unchecked', reason };
  }
}

/**
 * Each version's requirements by the cache's rules (`fetcher` resolves undefined when the registry has no
 * such document); undefined too when the registry cannot be asked: the fix advice then stays generic.
 */
export async function lookupRequirements(
  context: ClientContext,
  key: string,
  fetcher: () => Promise<Record<string, Record<string, string>> | undefined>,
): Promise<Record<string, Record<string, string>> | undefined> {
  try {
    const answer = await cachedLookup<Record<string, Record<string, string>> | null>(
      context.cache,
      key,
      { mode: context.mode, lifetimes: context.lifetimes, now: context.now },
      async () => {
        const found = await fetcher();
        return found
          ? { status: 'found', value: boundRequirements(found) }
          : { status: 'missing', value: null };
      },
    );
    return answer.value ?? undefined;
  } catch {
    return undefined;
  }
}

/** The same bounds as a version's requirements in `boundVersion`, for every version. */
function boundRequirements(
  all: Record<string, Record<string, string>>,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [version, requires] of Object.entries(all))
    if (version.length <= MAX_SHORT_TEXT) out[version] = boundVersion({ version, requires }).requires ?? {};
  return out;
}

/** Existence from an imported snapshot of every name (`vouch registry snapshot`), when there is one. */
export function snapshotAnswer(
  context: Pick<ClientContext, 'cache'>,
  ecosystem: Ecosystem,
  name: string,
): Sourced<PackageFacts> | undefined {
  const listed = context.cache?.snapshotHas(ecosystem, packageKey(ecosystem, name));
  if (listed === undefined) return undefined;
  const facts: PackageFacts = listed
    ? { status: 'exists', ecosystem, name, datesTrusted: false }
    : { status: 'missing', ecosystem, name, why: 'not-found' };
  return { facts, registry: 'snapshot', via: 'snapshot' };
}

export function unchecked(
  ecosystem: Ecosystem,
  name: string,
  reason: string,
  registry = 'none',
): Sourced<PackageFacts> {
  return { facts: { status: 'unchecked', ecosystem, name, reason }, registry, via: 'network' };
}

/** JSON or a RegistryHttpError saying the answer was not usable. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new RegistryHttpError(
      'invalid',
      `the registry answered with invalid JSON (${(error as Error).message})`,
    );
  }
}

/** An ISO time when the value is one a Date can read; anything else counts as unknown. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Mirrors re-stamp what they sync: several versions all published the same second are the mirror's
 * times, not the registry's.
 */
export function datesLookReal(times: readonly string[]): boolean {
  if (times.length === 0) return false;
  if (times.length < 3) return true;
  const seconds = new Set(times.map((t) => t.slice(0, 19)));
  return seconds.size > 1;
}

/**
 * Asks each source in turn for something (`ask` resolves undefined for "not found" and throws
 * RegistryHttpError when the source could not be asked): the first source that has it answers. Undefined
 * only when every source said "not found" and nothing else could have the package (`inconclusive` says
 * what else the tool would ask); otherwise a failure is thrown, which makes the package `unchecked`.
 */
async function firstFound<T>(
  sources: readonly RegistrySource[],
  ask: (source: RegistrySource) => Promise<T | undefined>,
  inconclusive?: string,
): Promise<T | undefined> {
  const failures: string[] = [];
  let invalid = false;
  for (const source of sources) {
    try {
      const found = await ask(source);
      if (found !== undefined) return found;
    } catch (error) {
      if (!(error instanceof RegistryHttpError)) throw error;
      if (error.kind === 'invalid') invalid = true;
      failures.push(sources.length > 1 ? `${redactUrl(source.url)}: ${error.message}` : error.message);
    }
  }
  if (failures.length > 0)
    throw new RegistryHttpError(
      invalid && failures.length === 1 ? 'invalid' : 'unavailable',
      failures.join('; '),
    );
  if (inconclusive)
    throw new RegistryHttpError(
      'unavailable',
      `not found in the ${sources.length === 1 ? 'registry' : `${sources.length} registries`} configured, but ${inconclusive}`,
    );
  return undefined;
}

/** The headers of a request to a source: its credentials, and what the caller adds. */
export function sourceHeaders(
  source: RegistrySource,
  headers: Record<string, string> = {},
): Record<string, string> {
  return source.auth ? { ...headers, authorization: source.auth } : headers;
}

/** A GET to a source: the body, or undefined when the source answers that there is no such thing. */
async function fetchText(
  http: HttpClient,
  source: RegistrySource,
  url: string,
  accept?: string,
  notFound: readonly number[] = [],
): Promise<string | undefined> {
  const answer = await http.get(url, sourceHeaders(source, accept ? { accept } : {}), notFound);
  if (answer.status === 404) return undefined;
  if (answer.status === 304) throw new RegistryHttpError('invalid', 'HTTP 304 to an unconditional request');
  return answer.body;
}

/**
 * A client for the registries configured as a list of sources (Maven, Go, crates.io, RubyGems, Packagist,
 * NuGet): no source configured → the snapshot or `unchecked` with the configuration's reason; a name the
 * registry cannot be asked about → `unchecked`; else the first source that has the package answers, and
 * it is missing only when every source says so (`firstFound`). A subclass reads one source.
 */
export abstract class SourcesClient<Config extends RegistrySources = RegistrySources>
  implements RegistryClient
{
  abstract readonly ecosystem: Ecosystem;
  /** The first source, as shown to the user; undefined when none is configured. */
  readonly registry: string | undefined;
  private readonly perSource = new Map<string, Promise<unknown>>();

  constructor(
    protected readonly config: Config,
    protected readonly context: ClientContext,
  ) {
    this.registry = config.sources[0] ? redactUrl(config.sources[0].url) : undefined;
  }

  /** The package as one source has it; undefined when that source does not have it. */
  protected abstract fromSource(source: RegistrySource, name: string): Promise<ExistingPackage | undefined>;

  /** Why the registry cannot be asked about `name` (not a name of the ecosystem, a private module), if so. */
  protected refusal(_name: string): string | undefined {
    return undefined;
  }

  /** The name as the registry folds it (case, separators): one cache entry for its spellings. */
  protected cacheName(name: string): string {
    return name;
  }

  async facts(name: string): Promise<Sourced<PackageFacts>> {
    const { ecosystem, registry } = this;
    if (!registry)
      return (
        snapshotAnswer(this.context, ecosystem, name) ??
        unchecked(ecosystem, name, this.config.reason ?? `no ${ecosystem} registry configured`)
      );
    const refusal = this.refusal(name);
    if (refusal) return unchecked(ecosystem, name, refusal, registry);
    const key = `${ecosystem}:${registry}:${this.cacheName(name)}`;
    return lookupFacts(this.context, ecosystem, name, key, registry, async () => {
      const facts = await this.fromSources((source) => this.fromSource(source, name));
      return facts
        ? { status: 'found', value: facts }
        : { status: 'missing', value: { status: 'missing', ecosystem, name, why: 'not-found' } };
    });
  }

  /**
   * What `load` reads from a source (a service index, a root document), once per source and scan; a
   * failure is not remembered: the next package asks again.
   */
  protected oncePerSource<T>(
    source: RegistrySource,
    load: (source: RegistrySource) => Promise<T>,
  ): Promise<T> {
    let loaded = this.perSource.get(source.url) as Promise<T> | undefined;
    if (!loaded) {
      loaded = load(source);
      loaded.catch(() => this.perSource.delete(source.url));
      this.perSource.set(source.url, loaded);
    }
    return loaded;
  }

  /** `firstFound` over the configured sources. */
  protected fromSources<T>(ask: (source: RegistrySource) => Promise<T | undefined>): Promise<T | undefined> {
    return firstFound(this.config.sources, ask, this.config.inconclusive);
  }

  /** `fetchText` with this client's HTTP client. */
  protected fetchText(
    source: RegistrySource,
    url: string,
    accept?: string,
    notFound?: readonly number[],
  ): Promise<string | undefined> {
    return fetchText(this.context.http, source, url, accept, notFound);
  }
}
