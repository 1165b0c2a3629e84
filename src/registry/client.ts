/**
 * What every registry client shares: the HTTP client, the cache and its mode, and the rule that turns a
 * failure into `unchecked` (or into the imported snapshot's answer) and never into `missing`.
 */
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import {
  type CacheLifetimes,
  type CacheMode,
  cachedLookup,
  type FetchOutcome,
  type RegistryCache,
  type Validators,
} from './cache.js';
import { type HttpClient, RegistryHttpError } from './http.js';
import type { PackageFacts, Sourced } from './types.js';

export interface ClientContext {
  http: HttpClient;
  cache?: RegistryCache;
  mode: CacheMode;
  lifetimes: CacheLifetimes;
  now: () => number;
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
      fetcher,
    );
    return { facts: answer.value, registry, via: answer.via };
  } catch (error) {
    const reason =
      error instanceof RegistryHttpError
        ? error.message
        : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    return (
      snapshotAnswer(context, ecosystem, name) ??
      unchecked(ecosystem, name, `${registry}: ${reason}`, registry)
    );
  }
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

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
