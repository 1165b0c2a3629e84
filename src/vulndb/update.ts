/**
 * `vouch db update`: fetch OSV's per-ecosystem archives (`<base>/<Ecosystem>/all.zip`) for the ecosystems
 * Vouch supports and rebuild the database from the ones that changed. An archive is downloaded only when its
 * ETag changed, and imported only when its sha256 differs from the one the database was built from; the
 * archives are kept in the cache folder. An ecosystem whose download or archive fails keeps its previous data.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DownloadOptions, download } from '../core/download.js';
import { VouchError } from '../core/errors.js';
import { NetworkError } from '../core/http.js';
import { type Logger, silentLogger } from '../core/log.js';
import { archiveCacheDir, databasePath, type Env, makeFolders } from '../core/paths.js';
import { ECOSYSTEMS, type Ecosystem } from '../model/ecosystem.js';
import { type ImportLimits, type ImportSource, importOsv } from './import.js';
import { type SourceStatus, VulnDatabase } from './store.js';

/** OSV's public bucket of exports (OSV's own host, not a package registry). */
const DEFAULT_OSV_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

export interface UpdateOptions {
  /**
   * Archives are fetched from `<baseUrl>/<Ecosystem>/all.zip` (http, https, or a `file://` folder of them).
   * Default: `VOUCH_OSV_URL`, else OSV's bucket.
   */
  baseUrl?: string;
  /** Default: every ecosystem Vouch supports. */
  ecosystems?: readonly Ecosystem[];
  /** Default: `<cache>/osv.sqlite`. */
  database?: string;
  /** Default: `VOUCH_CACHE_DIR`, else the XDG cache folder. */
  cacheDir?: string;
  env?: Env;
  http?: DownloadOptions;
  limits?: Partial<ImportLimits>;
  logger?: Logger;
  /** Downloads at once. Default 4. */
  concurrency?: number;
  now?: () => Date;
}

export interface EcosystemUpdate {
  ecosystem: Ecosystem;
  url: string;
  /** `updated`: new records imported; `unchanged`: the archive was the one already imported; `failed`: see error. */
  status: 'updated' | 'unchanged' | 'failed';
  /** For a failed one: whether the database still has its earlier records (false: it has none of it yet). */
  kept?: boolean;
  /** Bytes downloaded (0 for a 304 answer). */
  downloaded: number;
  records?: number;
  skipped?: number;
  error?: string;
}

export interface UpdateReport {
  database: string;
  /** Whether a database existed before this update. */
  existed: boolean;
  ecosystems: EcosystemUpdate[];
  /** Whether a new database file was written. */
  written: boolean;
  durationMs: number;
}

/** What is known about a cached archive, kept beside it. */
interface ArchiveMeta {
  url: string;
  etag?: string;
  sha256: string;
  fetchedAt: string;
}

interface Plan {
  update: EcosystemUpdate;
  key: string;
  archive: string;
  /** A newly downloaded archive that replaces the cached one once imported. */
  partial?: string;
  meta?: ArchiveMeta;
  action: 'import' | 'touch' | 'none';
  /** The download failed without any answer from the host. */
  unreachable?: boolean;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function archiveSourceKey(ecosystem: Ecosystem): string {
  return `osv-archive:${ecosystem}`;
}

export async function updateDatabase(options: UpdateOptions = {}): Promise<UpdateReport> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const base = (options.baseUrl ?? env.VOUCH_OSV_URL ?? DEFAULT_OSV_URL).replace(/\/+$/, '');
  const database = options.database ?? databasePath(env, options.cacheDir);
  const archives = archiveCacheDir(env, options.cacheDir);
  const ecosystems = options.ecosystems ?? ECOSYSTEMS;

  const existed = existsSync(database);
  const imported = importedSources(database, logger);
  /** Origins that could not be reached at all: the other archives there are not tried. */
  const unreachable = new Map<string, string>();
  const plans: Plan[] = ecosystems.map((ecosystem) => {
    const url = `${base}/${encodeURIComponent(ecosystem)}/all.zip`;
    return {
      update: { ecosystem, url, status: 'unchanged', downloaded: 0 },
      key: archiveSourceKey(ecosystem),
      archive: join(archives, ecosystem, 'all.zip'),
      action: 'none',
    };
  });

  let done = 0;
  const fetchOne = async (plan: Plan) => {
    const origin = originOf(plan.update.url);
    const reason = unreachable.get(origin);
    if (reason !== undefined) {
      plan.update.status = 'failed';
      plan.update.error = `not tried: ${reason}`;
    } else {
      await fetchArchive(plan, imported.get(plan.key), options, logger, now);
      if (plan.unreachable) unreachable.set(origin, plan.update.error ?? 'unreachable');
    }
    if (plan.update.status === 'failed') plan.update.kept = imported.has(plan.key);
    logger.progress({ task: 'download', done: ++done, total: plans.length, detail: plan.update.ecosystem });
  };
  const queue = [...plans];
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
      for (let plan = queue.shift(); plan; plan = queue.shift()) await fetchOne(plan);
    }),
  );

  const toImport = plans.filter((p) => p.action === 'import');
  const toTouch = plans.filter((p) => p.action === 'touch');
  let written = false;
  if (toImport.length > 0 || toTouch.length > 0) {
    const sources: ImportSource[] = toImport.map((p) => {
      const source: ImportSource = {
        location: p.update.url,
        file: p.partial ?? p.archive,
        key: p.key,
        ecosystem: p.update.ecosystem,
        url: p.update.url,
        sha256: p.meta!.sha256,
      };
      if (p.meta?.etag) source.etag = p.meta.etag;
      return source;
    });
    const report = await importOsv(sources, database, {
      unchanged: toTouch.map((p) => p.key),
      logger,
      ...(options.limits ? { limits: options.limits } : {}),
      now,
    });
    written = report.written;
    for (const [i, plan] of toImport.entries()) {
      const source = report.sources[i]!;
      if (source.error) {
        plan.update.status = 'failed';
        plan.update.error = source.error;
        plan.update.kept = imported.has(plan.key);
        if (plan.partial) rmSync(plan.partial, { force: true });
        continue;
      }
      plan.update.status = 'updated';
      plan.update.records = source.records;
      plan.update.skipped = source.skipped;
      if (plan.partial) promote(plan.partial, plan.archive, plan.meta!);
    }
  }
  return {
    database,
    existed,
    ecosystems: plans.map((p) => p.update),
    written,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The archive sources the current database was built from, by key. */
function importedSources(database: string, logger: Logger): Map<string, SourceStatus> {
  const sources = new Map<string, SourceStatus>();
  let db: VulnDatabase | undefined;
  try {
    db = VulnDatabase.open(database);
    for (const source of db?.status().sources ?? []) sources.set(source.key, source);
  } catch (error) {
    logger.warn(`${(error as Error).message}; every archive will be imported again`);
  } finally {
    db?.close();
  }
  return sources;
}

async function fetchArchive(
  plan: Plan,
  imported: SourceStatus | undefined,
  options: UpdateOptions,
  logger: Logger,
  now: () => Date,
): Promise<void> {
  const { update } = plan;
  if (update.url.startsWith('file:')) return localArchive(plan, imported, logger, now);
  const cached = readArchiveMeta(plan.archive);
  const usable = cached && cached.url === update.url ? cached : undefined;
  const partial = `${plan.archive}.partial`;
  makeFolders(dirname(plan.archive));
  try {
    const result = await download(update.url, partial, {
      ...options.http,
      logger,
      ...(usable?.etag ? { etag: usable.etag } : {}),
    });
    if (result.status === 'not-modified') {
      plan.meta = { ...usable!, fetchedAt: now().toISOString() };
      // The database may have lost the archive's records (rebuilt, or a failed import): the cache has them.
      plan.action = imported?.sha256 === usable!.sha256 ? 'touch' : 'import';
      writeArchiveMeta(plan.archive, plan.meta);
      return;
    }
    update.downloaded = result.bytes;
    plan.meta = { url: update.url, sha256: result.sha256, fetchedAt: now().toISOString() };
    if (result.etag) plan.meta.etag = result.etag;
    if (imported?.sha256 === result.sha256) {
      promote(partial, plan.archive, plan.meta);
      plan.action = 'touch';
      return;
    }
    plan.partial = partial;
    plan.action = 'import';
  } catch (error) {
    rmSync(partial, { force: true });
    update.status = 'failed';
    update.error = (error as Error).message;
    const cause = error instanceof VouchError ? error.cause : undefined;
    plan.unreachable = cause instanceof NetworkError && cause.unreachable;
    logger.warn(
      `${update.ecosystem}: ${update.error}; ${imported ? 'its previous data was kept' : 'the database has none of it yet'}`,
    );
  }
}

/** A `file://` archive: imported in place (never moved), when its sha256 differs from the one imported. */
async function localArchive(
  plan: Plan,
  imported: SourceStatus | undefined,
  logger: Logger,
  now: () => Date,
): Promise<void> {
  const { update } = plan;
  let path: string;
  try {
    path = fileURLToPath(update.url);
  } catch (error) {
    update.status = 'failed';
    update.error = `${update.url}: ${(error as Error).message}`;
    return;
  }
  if (!existsSync(path)) {
    update.status = 'failed';
    update.error = `${path}: no such file`;
    logger.warn(`${update.ecosystem}: ${update.error}`);
    return;
  }
  const sha256 = await fileSha256(path);
  plan.archive = path;
  plan.meta = { url: update.url, sha256, fetchedAt: now().toISOString() };
  plan.action = imported?.sha256 === sha256 ? 'touch' : 'import';
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function promote(partial: string, archive: string, meta: ArchiveMeta): void {
  renameSync(partial, archive);
  writeArchiveMeta(archive, meta);
}

function readArchiveMeta(archive: string): ArchiveMeta | undefined {
  if (!existsSync(archive)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(`${archive}.json`, 'utf8')) as ArchiveMeta;
    return typeof meta.url === 'string' && typeof meta.sha256 === 'string' ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temp file and renamed, so that a killed update never leaves half a record. */
function writeArchiveMeta(archive: string, meta: ArchiveMeta): void {
  const path = `${archive}.json`;
  writeFileSync(`${path}.partial`, `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(`${path}.partial`, path);
}
