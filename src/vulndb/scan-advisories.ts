/**
 * The vulnerability-database stage of a scan: open the database once, resolve every reference against it,
 * close it. Without a database the advisory checks are skipped, with the reason and how to get one. A
 * database that is there but cannot be read (corrupt pages, another version's layout) is an error of the
 * scan, like a file that could not be parsed: the gate must not pass on advisories it could not read.
 */
import { statSync } from 'node:fs';
import { VouchError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { DEFAULT_MAX_DATABASE_AGE_MS, databasePath, type Env } from '../core/paths.js';
import { describeStorageTrouble, storageTrouble } from '../core/sqlite.js';
import type { AdvisoryFacts } from '../model/advisory-facts.js';
import type { PackageRef } from '../model/package-ref.js';
import type { FileError } from '../model/result.js';
import { fetchOsvAdvisories, type OsvApiOptions, queriesFor } from './osv-api.js';
import { resolveAdvisories } from './resolve.js';
import { VulnDatabase } from './store.js';

export const NO_DATABASE_REASON = 'no vulnerability database: run vouch db update (or vouch db import FILE)';

export interface AdvisoryStageOptions {
  /** Path of the database, or false for none. Default: `<cache>/osv.sqlite`. */
  database?: string | false;
  /** Older than this (ms) makes the scan warn. Default 7 days. */
  maxDatabaseAge?: number;
  env?: Env;
  now?: Date;
  /**
   * The OSV API: `auto` asks it when there is no local database, `always` instead of the local database.
   * Absent: never (the library asks no service it was not told to; the CLI says `auto`).
   */
  osvApi?: OsvApiOptions & { use: 'auto' | 'always' };
  /** Never touch the network: the OSV API is not asked. */
  offline?: boolean;
  /** Kept by a long-running caller across scans: the database stays open (`AdvisorySession`). */
  databaseSession?: AdvisorySession;
}

/**
 * The vulnerability database of a long-running caller, opened once and opened again when the file was
 * replaced (`vouch db update` swaps in a new file: an open handle would go on reading the old one).
 */
export class AdvisorySession {
  private kept: { path: string; stamp: string; db: VulnDatabase } | undefined;

  database(path: string): VulnDatabase | undefined {
    let stamp: string;
    try {
      const stat = statSync(path);
      stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      this.close();
      return undefined;
    }
    if (this.kept?.path === path && this.kept.stamp === stamp) return this.kept.db;
    this.close();
    const db = VulnDatabase.open(path);
    if (db) this.kept = { path, stamp, db };
    return db;
  }

  close(): void {
    this.kept?.db.close();
    this.kept = undefined;
  }
}

export interface AdvisoryStage {
  /** Undefined when the advisory checks cannot run; `skipReason` says why. */
  facts?: AdvisoryFacts;
  skipReason?: string;
  /** Where the advisories came from: the local database or the OSV API (with what was cached). */
  source?: string;
  warnings: string[];
  /** The database could not be read: the scan is incomplete. */
  errors?: FileError[];
}

function unreadable(path: string, message: string): AdvisoryStage {
  return { skipReason: message, warnings: [], errors: [{ file: path, message }] };
}

/** `installs(ref)`: the version a fresh install of a range picks today, when the registry checks know it. */
export async function adviseRefs(
  refs: readonly PackageRef[],
  options: AdvisoryStageOptions,
  logger: Logger,
  installs?: (ref: PackageRef) => string | undefined,
): Promise<AdvisoryStage> {
  if (options.database === false)
    return { skipReason: 'vulnerability database turned off (--no-database)', warnings: [] };
  const online = options.osvApi && !options.offline ? options.osvApi : undefined;
  if (online?.use === 'always') return adviseOnline(refs, online, logger, installs);
  const path = options.database ?? databasePath(options.env);
  let db: VulnDatabase | undefined;
  try {
    db = options.databaseSession ? options.databaseSession.database(path) : VulnDatabase.open(path);
  } catch (error) {
    if (!(error instanceof VouchError)) throw error;
    return unreadable(path, error.message);
  }
  if (!db) {
    if (online) return adviseOnline(refs, online, logger, installs);
    const why =
      options.osvApi && options.offline
        ? `${NO_DATABASE_REASON}; offline, the OSV API was not asked`
        : NO_DATABASE_REASON;
    return { skipReason: why, warnings: [] };
  }
  try {
    const warnings: string[] = [];
    const updatedAt = db.updatedAt();
    const age = updatedAt ? (options.now ?? new Date()).getTime() - Date.parse(updatedAt) : Number.NaN;
    if (age > (options.maxDatabaseAge ?? DEFAULT_MAX_DATABASE_AGE_MS)) {
      const days = Math.floor(age / 86_400_000);
      const warning = `the vulnerability database is ${days} day${days === 1 ? '' : 's'} old (last updated ${updatedAt}); run vouch db update`;
      logger.warn(warning);
      warnings.push(warning);
    }
    return {
      facts: resolveAdvisories(refs, db, installs),
      source: `the local database ${path}${updatedAt ? ` (updated ${updatedAt})` : ''}`,
      warnings,
    };
  } catch (error) {
    // Damaged pages are met only when a lookup reads them.
    const trouble = storageTrouble(error);
    if (!trouble) throw error;
    // A damaged file is not kept open for the next scan.
    options.databaseSession?.close();
    return unreadable(
      path,
      `${describeStorageTrouble(trouble, error)}; the vulnerability checks could not run: run vouch db update (or vouch db import) to rebuild it`,
    );
  } finally {
    if (!options.databaseSession) db.close();
  }
}

/** The advisory facts from the OSV API; the checks are skipped, with the reason, when it cannot be asked. */
async function adviseOnline(
  refs: readonly PackageRef[],
  options: OsvApiOptions,
  logger: Logger,
  installs?: (ref: PackageRef) => string | undefined,
): Promise<AdvisoryStage> {
  const queries = queriesFor(refs, installs);
  try {
    logger.progress({ task: 'advisories', done: 0, total: queries.length, detail: 'OSV API' });
    const { lookup, stats } = await fetchOsvAdvisories(queries, options);
    logger.progress({ task: 'advisories', done: queries.length, total: queries.length, detail: 'OSV API' });
    return {
      facts: resolveAdvisories(refs, lookup, installs),
      source: `the OSV API ${stats.url} (${stats.queries} queries, ${stats.cachedQueries} from the cache; ${stats.records} advisories)`,
      warnings: [],
    };
  } catch (error) {
    if (!(error instanceof VouchError)) throw error;
    const reason = `${error.message}; run vouch db update (or vouch db import FILE) for a local database`;
    logger.warn(reason);
    return { skipReason: reason, warnings: [reason] };
  }
}
