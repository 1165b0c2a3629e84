/**
 * The persistent registry cache: one SQLite file (`<cache>/registry.sqlite`) of normalised answers with
 * per-answer lifetimes, their validators (ETag, Last-Modified) for revalidation, and imported snapshots of
 * every existing name for offline existence checks.
 *
 * It survives a kill at any moment: the file is in WAL mode, every answer is one statement and a snapshot
 * import one transaction, so a killed writer leaves the previous state. It is a cache: an unreadable file
 * is set aside and rebuilt, at worst an entry is fetched again.
 */
import { existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { RegistryHttpError } from '../core/http.js';
import type { Logger } from '../core/log.js';
import { cacheDir, type Env, makeFolders } from '../core/paths.js';
import { openDatabase } from '../core/sqlite.js';
import type { Ecosystem } from '../model/ecosystem.js';
import type { CacheMode } from './cache-modes.js';

export { CACHE_MODES, type CacheMode } from './cache-modes.js';

const REGISTRY_CACHE_FILE = 'registry.sqlite';

export interface CacheLifetimes {
  /** How long an answer that a package exists stays fresh. Default 24 h. */
  foundMs: number;
  /** How long a 404 stays fresh: shorter, since a hallucinated name may be registered any day. Default 1 h. */
  missingMs: number;
}

export const DEFAULT_LIFETIMES: CacheLifetimes = { foundMs: 24 * 3_600_000, missingMs: 3_600_000 };

/** Bumped when the stored facts change shape; an older cache is emptied, not migrated. */
const SCHEMA_VERSION = '2';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS answers (
  key TEXT PRIMARY KEY,
  found INTEGER NOT NULL,
  value TEXT NOT NULL,
  etag TEXT,
  last_modified TEXT,
  fetched_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
  ecosystem TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  names INTEGER NOT NULL,
  imported_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshot_names (
  ecosystem TEXT NOT NULL,
  name_key TEXT NOT NULL,
  PRIMARY KEY (ecosystem, name_key)
) WITHOUT ROWID;
`;

export interface CachedAnswer {
  found: boolean;
  value: string;
  etag?: string;
  lastModified?: string;
  fetchedAt: number;
  expiresAt: number;
}

/** What a fetcher reports: a document (found or a 404), or that the cached copy is still current. */
export type FetchOutcome<T> =
  | { status: 'found'; value: T; etag?: string; lastModified?: string }
  | { status: 'missing'; value: T }
  | { status: 'not-modified' };

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface SnapshotInfo {
  ecosystem: Ecosystem;
  source: string;
  names: number;
  importedAt: string;
}

export function registryCachePath(env: Env = process.env, explicitCacheDir?: string): string {
  return join(cacheDir(env, explicitCacheDir), REGISTRY_CACHE_FILE);
}

export class RegistryCache {
  private readonly selectAnswer: BetterSqlite3.Statement<[string], AnswerRow>;
  private readonly upsertAnswer: BetterSqlite3.Statement<
    [string, number, string, string | null, string | null, number, number]
  >;
  private readonly touchAnswer: BetterSqlite3.Statement<[number, number, string]>;
  private readonly hasName: BetterSqlite3.Statement<[string, string], { one: number }>;
  private readonly snapshotRow: BetterSqlite3.Statement<[string], SnapshotRow>;

  private constructor(
    readonly path: string,
    private readonly db: BetterSqlite3.Database,
  ) {
    this.selectAnswer = db.prepare(
      'SELECT found, value, etag, last_modified, fetched_at, expires_at FROM answers WHERE key = ?',
    );
    this.upsertAnswer = db.prepare(
      'INSERT OR REPLACE INTO answers (key, found, value, etag, last_modified, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.touchAnswer = db.prepare('UPDATE answers SET fetched_at = ?, expires_at = ? WHERE key = ?');
    this.hasName = db.prepare('SELECT 1 AS one FROM snapshot_names WHERE ecosystem = ? AND name_key = ?');
    this.snapshotRow = db.prepare(
      'SELECT ecosystem, source, names, imported_at FROM snapshots WHERE ecosystem = ?',
    );
  }

  /**
   * Opens (creating when `create`) the cache. A file that is not a usable database is moved aside as
   * `<file>.broken` and, when creating, replaced by an empty cache. Undefined when there is none to read.
   */
  static open(path: string, options: { create: boolean; logger?: Logger }): RegistryCache | undefined {
    if (!options.create && !existsSync(path)) return undefined;
    try {
      return RegistryCache.openFile(path, options.create);
    } catch (error) {
      options.logger?.warn(
        `the registry cache ${path} is unreadable (${(error as Error).message}); starting a new one`,
      );
      try {
        renameSync(path, `${path}.broken`);
      } catch {
        return undefined;
      }
      return options.create ? RegistryCache.openFile(path, true) : undefined;
    }
  }

  private static openFile(path: string, create: boolean): RegistryCache {
    if (create) makeFolders(dirname(path));
    const db = openDatabase(path, { fileMustExist: !create });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      const version = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
      if (version?.value !== SCHEMA_VERSION) {
        db.transaction(() => {
          db.exec('DROP TABLE answers');
          db.exec(SCHEMA);
          db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
        })();
      }
      db.prepare('SELECT count(*) FROM answers').get();
    } catch (error) {
      db.close();
      throw error;
    }
    return new RegistryCache(path, db);
  }

  get(key: string): CachedAnswer | undefined {
    const row = this.selectAnswer.get(key);
    if (!row) return undefined;
    const answer: CachedAnswer = {
      found: row.found === 1,
      value: row.value,
      fetchedAt: row.fetched_at,
      expiresAt: row.expires_at,
    };
    if (row.etag) answer.etag = row.etag;
    if (row.last_modified) answer.lastModified = row.last_modified;
    return answer;
  }

  put(key: string, answer: CachedAnswer): void {
    this.upsertAnswer.run(
      key,
      answer.found ? 1 : 0,
      answer.value,
      answer.etag ?? null,
      answer.lastModified ?? null,
      answer.fetchedAt,
      answer.expiresAt,
    );
  }

  /** The registry said the cached copy is current (304): it is fresh again. */
  touch(key: string, fetchedAt: number, expiresAt: number): void {
    this.touchAnswer.run(fetchedAt, expiresAt, key);
  }

  /** Replaces the ecosystem's snapshot with these names (already normalised keys), all or nothing. */
  importSnapshot(ecosystem: Ecosystem, keys: Iterable<string>, source: string, now: Date): number {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO snapshot_names (ecosystem, name_key) VALUES (?, ?)',
    );
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM snapshot_names WHERE ecosystem = ?').run(ecosystem);
      let count = 0;
      for (const key of keys) count += insert.run(ecosystem, key).changes;
      this.db
        .prepare(
          'INSERT OR REPLACE INTO snapshots (ecosystem, source, names, imported_at) VALUES (?, ?, ?, ?)',
        )
        .run(ecosystem, source, count, now.toISOString());
      return count;
    })();
  }

  snapshot(ecosystem: Ecosystem): SnapshotInfo | undefined {
    const row = this.snapshotRow.get(ecosystem);
    if (!row) return undefined;
    return {
      ecosystem: row.ecosystem as Ecosystem,
      source: row.source,
      names: row.names,
      importedAt: row.imported_at,
    };
  }

  /** Whether the ecosystem's snapshot lists the name key; undefined when there is no snapshot. */
  snapshotHas(ecosystem: Ecosystem, key: string): boolean | undefined {
    if (!this.snapshot(ecosystem)) return undefined;
    return this.hasName.get(ecosystem, key) !== undefined;
  }

  close(): void {
    this.db.close();
  }
}

interface AnswerRow {
  found: number;
  value: string;
  etag: string | null;
  last_modified: string | null;
  fetched_at: number;
  expires_at: number;
}

interface SnapshotRow {
  ecosystem: string;
  source: string;
  names: number;
  imported_at: string;
}

export interface LookupOptions {
  mode: CacheMode;
  lifetimes: CacheLifetimes;
  now: () => number;
}

export interface Lookup<T> {
  value: T;
  found: boolean;
  via: 'network' | 'cache' | 'stale-cache';
}

/**
 * One answer by the cache's rules: from the cache when the mode allows, else from `fetcher` (given the
 * cached validators for a conditional request), stored with the lifetime its kind deserves. A registry
 * that cannot be asked falls back to a stale answer that the package exists, never to a stale 404.
 * Throws RegistryHttpError when there is no answer to give.
 */
export async function cachedLookup<T>(
  cache: RegistryCache | undefined,
  key: string,
  options: LookupOptions,
  fetcher: (validators: Validators) => Promise<FetchOutcome<T>>,
): Promise<Lookup<T>> {
  const now = options.now();
  const cached = cache?.get(key);
  const parse = (entry: CachedAnswer) => JSON.parse(entry.value) as T;
  if (cached) {
    const fresh = cached.expiresAt > now;
    if (
      options.mode === 'offline' ||
      options.mode === 'prefer-offline' ||
      (options.mode === 'default' && fresh)
    )
      return { value: parse(cached), found: cached.found, via: 'cache' };
  }
  if (options.mode === 'offline')
    throw new RegistryHttpError('unavailable', 'offline, and the registry cache has no answer for it');
  const validators: Validators = {};
  if (cached?.found) {
    if (cached.etag) validators.etag = cached.etag;
    if (cached.lastModified) validators.lastModified = cached.lastModified;
  }
  let outcome: FetchOutcome<T>;
  try {
    outcome = await fetcher(validators);
  } catch (error) {
    if (cached?.found && error instanceof RegistryHttpError && error.kind === 'unavailable')
      return { value: parse(cached), found: true, via: 'stale-cache' };
    throw error;
  }
  const fetchedAt = options.now();
  if (outcome.status === 'not-modified') {
    if (!cached) throw new RegistryHttpError('invalid', 'HTTP 304 to an unconditional request');
    cache?.touch(key, fetchedAt, fetchedAt + options.lifetimes.foundMs);
    return { value: parse(cached), found: cached.found, via: 'cache' };
  }
  const found = outcome.status === 'found';
  if (cache) {
    const entry: CachedAnswer = {
      found,
      value: JSON.stringify(outcome.value),
      fetchedAt,
      expiresAt: fetchedAt + (found ? options.lifetimes.foundMs : options.lifetimes.missingMs),
    };
    if (outcome.status === 'found' && outcome.etag) entry.etag = outcome.etag;
    if (outcome.status === 'found' && outcome.lastModified) entry.lastModified = outcome.lastModified;
    cache.put(key, entry);
  }
  return { value: outcome.value, found, via: 'network' };
}
