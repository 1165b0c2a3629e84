/**
 * Building the vulnerability database from OSV sources, atomically: the new database is written to a temp
 * file in the same folder (a copy of the current one, or a fresh one) and renamed over the old file only once
 * it is complete and on disk. A process killed at any moment leaves the previous database as it was; the
 * temp files such a process leaves behind are removed by the next import. Imports of one database take
 * turns (a lock file beside it, `<database>.lock`, naming the process that holds it): each one starts from
 * the database the previous one wrote, so concurrent imports and updates never lose each other's records.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import { type DownloadOptions, download } from '../core/download.js';
import { describeError, VouchError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/log.js';
import { makeFolders } from '../core/paths.js';
import { describeStorageTrouble, openDatabase, storageTrouble } from '../core/sqlite.js';
import type { OsvRecord } from '../model/osv.js';
import { osvShapeProblem } from './osv.js';
import { DEFAULT_LIMITS, type ImportLimits, readPath, SourceError } from './read.js';
import { DatabaseWriter, type ImportProblem, SCHEMA_VERSION, type SourceMeta } from './store.js';

export type { ImportLimits } from './read.js';

/** A source to import: a path or URL, with what `db update` knows about it. */
export interface ImportSource {
  /** A file, a folder, or an http(s) URL: what reports and `db status` show. */
  location: string;
  /** A local copy to read instead of `location` (an archive `db update` has just downloaded). */
  file?: string;
  /** What makes a later import replace this one's records. Default: the absolute path or the URL. */
  key?: string;
  /** For an OSV per-ecosystem archive. */
  ecosystem?: string;
  url?: string;
  etag?: string;
  sha256?: string;
}

export interface ImportOptions {
  limits?: Partial<ImportLimits>;
  logger?: Logger;
  /** Build from nothing instead of adding to the current database (sources with the same key are replaced). */
  replace?: boolean;
  /** Sources `db update` found unchanged: only the time they were checked is recorded. */
  unchanged?: string[];
  /** For URL sources. */
  http?: DownloadOptions;
  /** Problems kept per source for the report (all are counted). Default 100. */
  maxProblems?: number;
  /** How long to wait for another import or update of the same database to finish. Default 10 minutes. */
  lockWaitMs?: number;
  now?: () => Date;
}

export interface SourceReport {
  location: string;
  key: string;
  /** Records stored. */
  records: number;
  /** Records skipped: invalid JSON, not OSV-shaped, too large, unsafe archive entry names. */
  skipped: number;
  problems: ImportProblem[];
  /** GIT ranges, which Vouch cannot evaluate without the repository. */
  gitRanges: number;
  /** Records that name no package of an ecosystem Vouch supports (not stored). */
  otherEcosystems: number;
  /** Set when the source as a whole could not be read; its previous records, if any, were kept. */
  error?: string;
}

export interface ImportReport {
  database: string;
  sources: SourceReport[];
  /** False when nothing was written (every source failed): the previous database is untouched. */
  written: boolean;
  sizeBytes: number;
  durationMs: number;
}

const TEMP_MARK = '.tmp-';
const LOCK_SUFFIX = '.lock';
const DEFAULT_LOCK_WAIT_MS = 10 * 60_000;
const LOCK_POLL_MS = 100;

interface ImportSettings {
  started: number;
  logger: Logger;
  limits: ImportLimits;
  now: () => Date;
  maxProblems: number;
}

function justCreated(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 5000;
  } catch {
    return false;
  }
}

/** The process named in a lock file; undefined when the file is gone or names none. */
function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<target>.lock` (created exclusively, holding this process's id), waiting while another live
 * process (or another import in this one) holds it, saying once that it waits; a lock left by a process
 * that is gone is removed. Returns the release. Gives up with a clear error after `waitMs`.
 */
async function lockDatabase(target: string, logger: Logger, waitMs: number): Promise<() => void> {
  const lock = `${target}${LOCK_SUFFIX}`;
  const deadline = performance.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      const token = `${process.pid}\n${randomBytes(8).toString('hex')}\n`;
      try {
        writeSync(fd, token);
      } finally {
        closeSync(fd);
      }
      return () => {
        // Only our own lock is removed: a stale-lock cleanup elsewhere may have replaced it.
        let current: string | undefined;
        try {
          current = readFileSync(lock, 'utf8');
        } catch {}
        if (current === token) rmSync(lock, { force: true });
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(lock);
    // A lock that names no process yet may be one being written this instant.
    if (holder === undefined ? !justCreated(lock) : !isRunning(holder)) {
      // Re-read right before removing, so that a lock just taken by a live process is left alone.
      if (lockHolder(lock) === holder) rmSync(lock, { force: true });
      logger.debug(`removed ${lock}, left by an import whose process is gone`);
      continue;
    }
    if (performance.now() >= deadline)
      throw new VouchError(
        'UNAVAILABLE',
        `another vouch db import or update${holder === undefined ? '' : ` (process ${holder})`} has been writing ${target} for over ${Math.round(waitMs / 1000)} s; run the command again once it has finished (or remove ${lock} if that process is not Vouch)`,
      );
    if (!told && holder !== undefined) {
      logger.warn(
        `another vouch db import or update (process ${holder}) is writing ${target}; waiting for it to finish`,
      );
      told = true;
    }
    await sleep(LOCK_POLL_MS);
  }
}

/**
 * Imports OSV records into the database at `target`. Each source is read in its own transaction: a source
 * that fails (missing, a corrupt archive, a zip bomb, a failed download) leaves its previous records in place
 * and is reported with `error`; bad records inside a good source are skipped and reported.
 */
export async function importOsv(
  sources: readonly (string | ImportSource)[],
  target: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const limits: ImportLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? (() => new Date());
  const maxProblems = options.maxProblems ?? 100;
  const dir = dirname(resolve(target));
  makeFolders(dir);
  const unlock = await lockDatabase(target, logger, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  try {
    return await importLocked(sources, target, dir, options, { started, logger, limits, now, maxProblems });
  } finally {
    unlock();
  }
}

async function importLocked(
  sources: readonly (string | ImportSource)[],
  target: string,
  dir: string,
  options: ImportOptions,
  { started, logger, limits, now, maxProblems }: ImportSettings,
): Promise<ImportReport> {
  removeStaleTempFiles(target, logger);
  const temp = `${target}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
  let writer: DatabaseWriter | undefined;
  try {
    seedTemp(target, temp, options.replace === true, logger);
    writer = new DatabaseWriter(openDatabase(temp));
    const reports: SourceReport[] = [];
    let changed = false;
    for (const given of sources) {
      const source = typeof given === 'string' ? { location: given } : given;
      const report = await importSource(writer, source, dir, limits, maxProblems, now, logger, options.http);
      reports.push(report);
      if (!report.error) changed = true;
    }
    for (const key of options.unchanged ?? []) {
      writer.touchSource(key, now().toISOString());
      changed = true;
    }
    writer.finish(now().toISOString());
    // Nothing imported: never replace a database by a copy of itself, nor create an empty one that would
    // make scans believe they had advisories to check against.
    if (!changed) {
      rmSync(temp, { force: true });
      return {
        database: target,
        sources: reports,
        written: false,
        sizeBytes: existsSync(target) ? statSync(target).size : 0,
        durationMs: elapsed(started),
      };
    }
    commitFile(temp, target);
    return {
      database: target,
      sources: reports,
      written: true,
      sizeBytes: statSync(target).size,
      durationMs: elapsed(started),
    };
  } catch (error) {
    if (writer?.db.open) writer.db.close();
    rmSync(temp, { force: true });
    throw storageFailure(error, target);
  }
}

/**
 * A disk that filled up or failed while the new database was written is the user's to fix, not a bug: it
 * becomes an INPUT error (exit 2) that says what happened and that nothing was lost.
 */
function storageFailure(error: unknown, target: string): unknown {
  const trouble = storageTrouble(error);
  if (!trouble || trouble === 'corrupt') return error;
  const remedy =
    trouble === 'full'
      ? 'free some space in that folder (or pass --database on another disk) and run the command again'
      : 'check the disk and run the command again';
  return new VouchError(
    'INPUT',
    `could not write the new vulnerability database beside ${target}: ${describeStorageTrouble(trouble, error)}; ${remedy}. The previous database is unchanged.`,
    { cause: error },
  );
}

/** The temp file starts as a copy of the current database, so that sources not imported now are kept. */
function seedTemp(target: string, temp: string, replace: boolean, logger: Logger): void {
  if (replace || !existsSync(target)) return;
  let old: BetterSqlite3.Database | undefined;
  try {
    old = openDatabase(target, { readonly: true, fileMustExist: true });
    const schema = DatabaseWriter.schemaOf(old);
    if (schema !== SCHEMA_VERSION) {
      logger.warn(`${target} has an incompatible layout; building a new database from the sources given`);
      return;
    }
    old.prepare('VACUUM INTO ?').run(temp);
  } catch (error) {
    rmSync(temp, { force: true });
    // A copy that could not be written (a full disk) must not turn into a new database without the old
    // one's records: only an old database that cannot be read is rebuilt from the sources given.
    const trouble = storageTrouble(error);
    if (trouble === 'full' || trouble === 'io') throw error;
    logger.warn(
      `${target} could not be read (${describeError(error)}); building a new database from the sources given`,
    );
  } finally {
    old?.close();
  }
}

async function importSource(
  writer: DatabaseWriter,
  source: ImportSource,
  dir: string,
  limits: ImportLimits,
  maxProblems: number,
  now: () => Date,
  logger: Logger,
  http: DownloadOptions | undefined,
): Promise<SourceReport> {
  const isUrl = /^https?:\/\//i.test(source.location);
  const key = source.key ?? (isUrl ? source.location : resolve(source.location));
  const report: SourceReport = {
    location: source.location,
    key,
    records: 0,
    skipped: 0,
    problems: [],
    gitRanges: 0,
    otherEcosystems: 0,
  };
  const skip = (problem: ImportProblem) => {
    report.skipped++;
    if (report.problems.length < maxProblems) report.problems.push(problem);
  };
  let downloaded: string | undefined;
  const meta: SourceMeta = { key, location: source.location, fetchedAt: now().toISOString() };
  if (source.ecosystem) meta.ecosystem = source.ecosystem;
  if (source.url) meta.url = source.url;
  if (source.etag) meta.etag = source.etag;
  if (source.sha256) meta.sha256 = source.sha256;

  writer.begin();
  try {
    let path = source.file ?? source.location;
    const shown = source.location;
    if (isUrl && source.file === undefined) {
      downloaded = `${join(dir, basename(writer.db.name))}.download-${basenameOfUrl(source.location)}`;
      logger.progress({ task: 'download', done: 0, detail: source.location });
      const result = await download(source.location, downloaded, { ...http, logger });
      if (result.status === 'downloaded') {
        meta.url ??= source.location;
        if (result.etag) meta.etag = result.etag;
        meta.sha256 = result.sha256;
      }
      path = downloaded;
    }
    const sourceId = writer.addSource(meta);
    for await (const batch of readPath(path, shown, limits)) {
      for (const item of batch) {
        if ('problem' in item) {
          skip(item.problem);
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(item.text);
        } catch (error) {
          skip({ where: item.where, reason: `invalid JSON (${describeError(error)})` });
          continue;
        }
        const values = item.document && Array.isArray(value) ? value : [value];
        for (const [i, record] of values.entries()) {
          const where = values === value ? `${item.where}[${i}]` : item.where;
          const problem = osvShapeProblem(record);
          if (problem) {
            skip({ where, reason: `not an OSV record: ${problem}` });
            continue;
          }
          const osv = record as OsvRecord;
          const stored = writer.addRecord(sourceId, osv, values === value ? JSON.stringify(osv) : item.text);
          report.gitRanges += stored.gitRanges;
          if (stored.stored) report.records++;
          else report.otherEcosystems++;
        }
      }
      logger.progress({ task: 'import', done: report.records, detail: source.location });
    }
    writer.finishSource(sourceId, report);
    writer.replaceSource(key, sourceId);
    writer.commit();
    logger.progress({ task: 'import', done: report.records, total: report.records, detail: source.location });
  } catch (error) {
    writer.rollback();
    if (!(error instanceof SourceError) && !isExpectedFailure(error)) throw error;
    report.error = describeError(error);
    // The message names the source already (a path, a URL, an archive entry).
    logger.warn(
      `${report.error}; ${writer.hasSource(key) ? 'its previous records were kept' : 'nothing was imported from it'}`,
    );
  } finally {
    if (downloaded) rmSync(downloaded, { force: true });
  }
  return report;
}

/** Failures of one source that must not abort the others: downloads and unreadable files. */
function isExpectedFailure(error: unknown): boolean {
  if (error instanceof VouchError) return true;
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR';
}

function basenameOfUrl(url: string): string {
  try {
    const path = new URL(url).pathname;
    return path.split('/').filter(Boolean).at(-1) ?? 'download';
  } catch {
    return 'download';
  }
}

/** The temp file reaches the disk before it replaces the database, and the rename before we return. */
function commitFile(temp: string, target: string): void {
  const fd = openSync(temp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
  try {
    const dirFd = openSync(dirname(target), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Not every platform can open a folder for fsync; the rename itself is still atomic.
  }
}

/** Temp files of imports whose process is gone (killed mid-way). */
export function removeStaleTempFiles(target: string, logger: Logger = silentLogger): string[] {
  const dir = dirname(resolve(target));
  const prefix = `${basename(target)}${TEMP_MARK}`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && (pid === process.pid || isRunning(pid))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  if (removed.length > 0)
    logger.debug(`removed ${removed.length} temp file(s) left by an interrupted import`);
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
