/**
 * Advisories from the OSV API (https://google.github.io/osv.dev/api/), for a scan with no local database:
 * one `querybatch` per thousand queries (exact versions as locked or pinned, whole packages for ranges and
 * bare names), then each advisory id not cached yet hydrated with `GET /v1/vulns/{id}`. The records are
 * matched here with the same code as the local database's, so both paths answer alike. Answers are cached in
 * `<cache>/osv-api.sqlite`: a query for an hour, a record until a query lists it with a newer `modified`.
 */
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { VouchError } from '../core/errors.js';
import { HttpPool, InvalidBodyError, NetworkError } from '../core/http.js';
import { isObject } from '../core/json.js';
import { cacheDir, type Env, makeFolders } from '../core/paths.js';
import { openDatabase } from '../core/sqlite.js';
import type { AdvisoryGroup, AffectedEntry } from '../model/advisory-facts.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { OsvRecord } from '../model/osv.js';
import type { PackageRef } from '../model/package-ref.js';
import { compareVersions } from '../versions/index.js';
import { equalSpellings, isAffected, prepareAffected } from '../versions/osv-match.js';
import { isValidVersion } from '../versions/valid.js';
import { isMaliciousId, osvShapeProblem, vouchEcosystem } from './osv.js';
import { advisoryOf, groupAdvisories } from './store.js';

/** The OSV project's public API, the documented default (osv-scanner asks it the same way). */
export const DEFAULT_OSV_API_URL = 'https://api.osv.dev';
/** The API takes at most 1,000 queries per batch. */
const BATCH_SIZE = 1000;
/** Pages of one query's answer followed at most (a package with thousands of advisories). */
const MAX_PAGES = 10;
const QUERY_MAX_AGE_MS = 3_600_000;
/** A query batch's answer (a thousand queries' ids) larger than this is not an answer. */
const MAX_BODY_BYTES = 64 * 1024 ** 2;
/** One advisory record: the largest real ones are a few hundred KiB. */
const MAX_RECORD_BYTES = 4 * 1024 ** 2;
/**
 * Advisories hydrated for one scan at most. A whole ecosystem holds tens of thousands; a scan's packages a
 * few thousand at the very most. An API that lists more is not answering the scan's questions.
 */
const MAX_ADVISORIES = 20_000;
const HYDRATE_CONCURRENCY = 8;
/** One request, however steadily its answer trickles in. */
const REQUEST_DEADLINE_MS = 60_000;
/** All of a scan's questions to the API, then the advisory checks are skipped with the reason. */
export const DEFAULT_OSV_API_DEADLINE_MS = 300_000;

export interface OsvApiOptions {
  /** Default: `VOUCH_OSV_API_URL`, else DEFAULT_OSV_API_URL. */
  baseUrl?: string;
  env?: Env;
  /** Where `osv-api.sqlite` is kept; false for no cache. Default: the cache folder. */
  cacheDir?: string | false;
  /** A cached query answer older than this is asked again. Default one hour. */
  maxAgeMs?: number;
  /** No headers, or no body data, for this long fails a request. Default 30 s. */
  timeoutMs?: number;
  /** One request taking longer than this fails, however steadily it streams. Default 60 s. */
  requestDeadlineMs?: number;
  /** All the requests of one scan taking longer than this fail it. Default 300 s. */
  deadlineMs?: number;
  now?: () => number;
}

export interface OsvApiStats {
  url: string;
  queries: number;
  /** Queries answered from the cache. */
  cachedQueries: number;
  /** HTTP requests: query batches and hydrated records. */
  requests: number;
  records: number;
}

interface Query {
  key: string;
  ecosystem: Ecosystem;
  name: string;
  version?: string;
}

/** The scan's advisories, read from the API's answers: what `resolveAdvisories` needs of a database. */
export class OsvApiLookup {
  private readonly byPackage = new Map<string, AffectedEntry[]>();
  private readonly byId = new Map<string, OsvRecord>();

  constructor(records: readonly OsvRecord[]) {
    for (const record of records) {
      this.byId.set(record.id, record);
      if (record.withdrawn) continue;
      const advisory = advisoryOf(record);
      for (const affected of record.affected ?? []) {
        const ecosystem = affected.package && vouchEcosystem(affected.package.ecosystem);
        if (!ecosystem || !affected.package) continue;
        const key = `${ecosystem}\0${packageKey(ecosystem, affected.package.name)}`;
        const entry: AffectedEntry = {
          advisory,
          name: affected.package.name,
          prepared: prepareAffected(ecosystem, affected, { emptyMeansAll: isMaliciousId(record.id) }),
        };
        const list = this.byPackage.get(key);
        if (list) list.push(entry);
        else this.byPackage.set(key, [entry]);
      }
    }
  }

  affectedFor(ecosystem: Ecosystem, name: string): readonly AffectedEntry[] {
    return this.byPackage.get(`${ecosystem}\0${packageKey(ecosystem, name)}`) ?? [];
  }

  advisoriesFor(ecosystem: Ecosystem, name: string, version: string): AdvisoryGroup[] {
    const entries = this.affectedFor(ecosystem, name);
    const listed = [...new Set(entries.flatMap((e) => e.prepared.versions))];
    const spellings = equalSpellings(
      ecosystem,
      listed.sort((a, b) => compareVersions(ecosystem, a, b)),
      version,
    );
    const matched = entries.filter((e) =>
      isAffected(e.prepared, version, spellings.length ? spellings : undefined),
    );
    return matched.length === 0 ? [] : this.group(matched);
  }

  group(entries: readonly AffectedEntry[]): AdvisoryGroup[] {
    return groupAdvisories(entries, (id) => {
      const record = this.byId.get(id);
      return record && !record.withdrawn ? advisoryOf(record) : undefined;
    });
  }
}

/** The queries a scan needs: each exact version once, each package named by a range or bare name once. */
export function queriesFor(
  refs: readonly PackageRef[],
  installs?: (ref: PackageRef) => string | undefined,
): Query[] {
  const queries = new Map<string, Query>();
  const add = (ecosystem: Ecosystem, name: string, version?: string) => {
    const key = `${ecosystem}\0${packageKey(ecosystem, name)}\0${version ?? ''}`;
    if (!queries.has(key))
      queries.set(key, { key, ecosystem, name, ...(version === undefined ? {} : { version }) });
  };
  for (const ref of refs) {
    if (ref.origin !== undefined && ref.origin !== 'registry') continue;
    if (ref.version !== undefined) {
      if (isValidVersion(ref.ecosystem, ref.version)) add(ref.ecosystem, ref.name, ref.version);
    } else if (ref.source !== 'imported') {
      // A range is evaluated against every advisory of the package, as with the local database.
      add(ref.ecosystem, ref.name);
      const today = installs?.(ref);
      if (today !== undefined) add(ref.ecosystem, ref.name, today);
    }
  }
  return [...queries.values()];
}

/**
 * Asks the API about the scan's packages; throws a VouchError (`UNAVAILABLE`) when it cannot be asked, so
 * that the advisory checks are skipped with the reason rather than reported clean.
 */
export async function fetchOsvAdvisories(
  queries: readonly Query[],
  options: OsvApiOptions = {},
): Promise<{ lookup: OsvApiLookup; stats: OsvApiStats }> {
  const env = options.env ?? process.env;
  const base = (options.baseUrl ?? env.VOUCH_OSV_API_URL ?? DEFAULT_OSV_API_URL).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const cache =
    options.cacheDir === false
      ? undefined
      : ApiCache.open(join(options.cacheDir ?? cacheDir(env), 'osv-api.sqlite'));
  const pool = new HttpPool({ maxRedirections: 2, env });
  const stats: OsvApiStats = {
    url: base,
    queries: queries.length,
    cachedQueries: 0,
    requests: 0,
    records: 0,
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  // The API is untrusted like a registry: a trickling answer is cut off per request and for the whole scan.
  const deadlineMs = options.deadlineMs ?? DEFAULT_OSV_API_DEADLINE_MS;
  const budget = new AbortController();
  const timer = setTimeout(
    () =>
      budget.abort(
        new Error(`no complete answers within ${Math.round(deadlineMs / 100) / 10} s for the scan`),
      ),
    deadlineMs,
  );
  timer.unref();
  const call = async (path: string, body?: string): Promise<unknown> => {
    stats.requests++;
    const unavailable = (error: unknown) =>
      new VouchError(
        'UNAVAILABLE',
        `the OSV API (${base}) could not be asked: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    let text: string;
    let status: number;
    try {
      const response = await pool.send(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: timeoutMs,
        deadlineMs: options.requestDeadlineMs ?? REQUEST_DEADLINE_MS,
        signal: budget.signal,
      });
      status = response.status;
      text = await response.text(body === undefined ? MAX_RECORD_BYTES : MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof NetworkError || error instanceof InvalidBodyError) throw unavailable(error);
      throw error;
    }
    if (status !== 200)
      throw new VouchError('UNAVAILABLE', `the OSV API (${base}) answered HTTP ${status} to ${path}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new VouchError(
        'UNAVAILABLE',
        `the OSV API (${base}) answered ${path} with something that is not JSON`,
      );
    }
  };
  try {
    // Which ids (and their modified times) each query found: from the cache when fresh enough.
    const found = new Map<string, string>();
    const ask: Query[] = [];
    for (const query of queries) {
      const cached = cache?.get(`query:${base}:${query.key}`, now() - (options.maxAgeMs ?? QUERY_MAX_AGE_MS));
      if (!Array.isArray(cached)) ask.push(query);
      else {
        stats.cachedQueries++;
        for (const entry of cached)
          if (Array.isArray(entry) && typeof entry[0] === 'string')
            found.set(entry[0], typeof entry[1] === 'string' ? entry[1] : '');
      }
    }
    for (let start = 0; start < ask.length; start += BATCH_SIZE) {
      const batch = ask.slice(start, start + BATCH_SIZE);
      const answers = await queryBatch(call, batch);
      for (const [i, query] of batch.entries()) {
        const vulns = answers[i] ?? [];
        for (const [id, modified] of vulns) found.set(id, modified);
        cache?.put(`query:${base}:${query.key}`, JSON.stringify(vulns), now());
      }
    }
    const records: OsvRecord[] = [];
    const hydrate: string[] = [];
    for (const [id, modified] of found) {
      const cached = cache?.get(`vuln:${base}:${id}`, Number.NEGATIVE_INFINITY);
      const record = osvShapeProblem(cached) ? undefined : (cached as OsvRecord);
      if (record && (modified === '' || record.modified >= modified)) records.push(record);
      else hydrate.push(id);
    }
    if (found.size > MAX_ADVISORIES)
      throw new VouchError(
        'UNAVAILABLE',
        `the OSV API (${base}) listed ${found.size} advisories for ${queries.length} queries, more than the ${MAX_ADVISORIES} a scan can need`,
      );
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(HYDRATE_CONCURRENCY, hydrate.length) }, async () => {
        for (let id = hydrate[next++]; id !== undefined; id = hydrate[next++]) {
          const record = await call(`/v1/vulns/${encodeURIComponent(id)}`);
          const problem = osvShapeProblem(record);
          if (problem) throw new VouchError('UNAVAILABLE', `the OSV API (${base}) sent ${id} as ${problem}`);
          records.push(record as OsvRecord);
          cache?.put(`vuln:${base}:${id}`, JSON.stringify(record), now());
        }
      }),
    );
    stats.records = records.length;
    return { lookup: new OsvApiLookup(records), stats };
  } finally {
    // Requests still in flight when one failed are stopped, not waited for.
    budget.abort(new Error('the OSV API questions were given up'));
    clearTimeout(timer);
    cache?.close();
    await pool.close();
  }
}

/** One batch, following each query's pages; per query, the `[id, modified]` pairs found. */
async function queryBatch(
  call: (path: string, body?: string) => Promise<unknown>,
  batch: readonly Query[],
): Promise<[string, string][][]> {
  const results: [string, string][][] = batch.map(() => []);
  let pending = batch.map((query, index) => ({ index, query, token: undefined as string | undefined }));
  for (let page = 0; pending.length > 0 && page < MAX_PAGES; page++) {
    const body = {
      queries: pending.map(({ query, token }) => ({
        package: { ecosystem: query.ecosystem, name: query.name },
        ...(query.version === undefined ? {} : { version: query.version }),
        ...(token === undefined ? {} : { page_token: token }),
      })),
    };
    const answer = await call('/v1/querybatch', JSON.stringify(body));
    const list = isObject(answer) && Array.isArray(answer.results) ? answer.results : undefined;
    if (!list || list.length !== pending.length)
      throw new VouchError(
        'UNAVAILABLE',
        'the OSV API answered a query batch with a different number of results',
      );
    const more: typeof pending = [];
    for (const [i, result] of list.entries()) {
      const item = pending[i]!;
      const vulns = isObject(result) && Array.isArray(result.vulns) ? result.vulns : [];
      for (const vuln of vulns)
        if (isObject(vuln) && typeof vuln.id === 'string')
          results[item.index]!.push([vuln.id, typeof vuln.modified === 'string' ? vuln.modified : '']);
      const token =
        isObject(result) && typeof result.next_page_token === 'string' ? result.next_page_token : undefined;
      if (token) more.push({ ...item, token });
    }
    pending = more;
  }
  return results;
}

/** A small key/value cache of API answers, beside the registry's. */
class ApiCache {
  private constructor(private readonly db: BetterSqlite3.Database) {}

  static open(path: string): ApiCache | undefined {
    try {
      makeFolders(dirname(path));
      const db = openDatabase(path);
      db.pragma('journal_mode = WAL');
      db.exec(
        'CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)',
      );
      return new ApiCache(db);
    } catch {
      // No cache is slower, not wrong.
      return undefined;
    }
  }

  /** The JSON value kept under `key`; undefined when it is missing, too old, or unreadable (damaged pages). */
  get(key: string, notBefore: number): unknown {
    try {
      const row = this.db.prepare('SELECT body, at FROM answers WHERE key = ?').get(key) as
        | { body: string; at: number }
        | undefined;
      return row && row.at >= notBefore ? JSON.parse(row.body) : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: string, body: string, at: number): void {
    try {
      this.db.prepare('INSERT OR REPLACE INTO answers (key, body, at) VALUES (?, ?, ?)').run(key, body, at);
    } catch {
      // A cache that cannot be written (full disk, damaged pages) makes the next scan ask again.
    }
  }

  close(): void {
    this.db.close();
  }
}
