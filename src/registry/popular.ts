/**
 * Lists of popular package names, the targets of typosquatting and the source of "did you mean"
 * suggestions. npm's come from the maintained `npm-high-impact` package (the names npm itself calls
 * high-impact, most downloaded first) when it is installed; PyPI's from the public top-PyPI-packages list
 * (`{rows: [{project, download_count}]}`) that `vouch db update` downloads into the cache folder.
 */
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DownloadOptions, download } from '../core/download.js';
import type { Logger } from '../core/log.js';
import { cacheDir, type Env, makeFolders } from '../core/paths.js';
import { type PopularLoad, PopularNames } from '../model/popular.js';

/** hugovk's monthly top-PyPI-packages list (a statistics site, not a package registry). */
const DEFAULT_TOP_PYPI_URL = 'https://hugovk.github.io/top-pypi-packages/top-pypi-packages.min.json';
const TOP_PYPI_FILE = 'top-pypi-packages.json';
const NPM_POPULAR_PACKAGE = 'npm-high-impact';

let popularNpm: Promise<PopularLoad> | undefined;

/**
 * npm's high-impact names from the installed `npm-high-impact` package, read once per process: indexing the
 * list (and the look-alike targets built on it, cached per list) costs more than a warm check of ten
 * packages, and the MCP server checks package after package.
 */
export function loadPopularNpm(): Promise<PopularLoad> {
  popularNpm ??= readPopularNpm();
  return popularNpm;
}

async function readPopularNpm(): Promise<PopularLoad> {
  // A variable specifier: the package is optional, and its absence is a reason, not a build error.
  const specifier: string = NPM_POPULAR_PACKAGE;
  try {
    const module = (await import(specifier)) as { npmHighImpact?: unknown };
    const names = module.npmHighImpact;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))
      return { reason: `${NPM_POPULAR_PACKAGE} does not export the list of names Vouch expects` };
    return new PopularNames('npm', NPM_POPULAR_PACKAGE, names as string[]);
  } catch {
    return { reason: `no list of popular npm names: the ${NPM_POPULAR_PACKAGE} package is not installed` };
  }
}

export function popularPypiPath(env: Env = process.env, explicitCacheDir?: string): string {
  return join(cacheDir(env, explicitCacheDir), TOP_PYPI_FILE);
}

const popularPypi = new Map<string, { stamp: string; load: PopularLoad }>();

/**
 * Reads a top-PyPI-packages file; a reason when it is missing or not one. Kept while the file is unchanged
 * (its size and modification time), as a long-running server checks package after package.
 */
export function loadPopularPypi(path: string): PopularLoad {
  if (!existsSync(path)) return { reason: 'no list of popular PyPI names: run vouch db update' };
  let stamp: string;
  try {
    const stats = statSync(path);
    stamp = `${stats.size}:${stats.mtimeMs}`;
  } catch (error) {
    return { reason: `${path}: ${(error as Error).message}` };
  }
  const kept = popularPypi.get(path);
  if (kept?.stamp === stamp) return kept.load;
  let load: PopularLoad;
  try {
    load = parseTopPypi(readFileSync(path, 'utf8'), path);
  } catch (error) {
    load = { reason: `${path}: ${(error as Error).message}` };
  }
  popularPypi.set(path, { stamp, load });
  return load;
}

function parseTopPypi(text: string, source: string): PopularNames {
  const doc = JSON.parse(text) as { rows?: unknown };
  if (!Array.isArray(doc.rows)) throw new Error('not a top-PyPI-packages list (no rows)');
  const rows = doc.rows
    .filter(
      (r): r is { project: string; download_count: number } =>
        typeof r?.project === 'string' && typeof r?.download_count === 'number',
    )
    .sort((a, b) => b.download_count - a.download_count);
  if (rows.length === 0) throw new Error('not a top-PyPI-packages list (no projects)');
  return new PopularNames(
    'PyPI',
    source,
    rows.map((r) => r.project),
    rows.map((r) => r.download_count),
  );
}

export interface PopularUpdate {
  url: string;
  path: string;
  status: 'updated' | 'failed';
  projects?: number;
  error?: string;
  /** On failure: whether a list from an earlier update is still there (else typosquat has none for PyPI). */
  kept?: boolean;
}

/** Downloads the top-PyPI-packages list into the cache folder; a failed or invalid download keeps the old one. */
/** A file path or `file://` URL: the list is read from there (a machine without the network). */
function localPath(url: string): string | undefined {
  if (url.startsWith('file:')) return fileURLToPath(url);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? undefined : url;
}

/** What a failed update of the popular PyPI names leaves: the earlier list, or none yet. */
export function popularFailure(kept: boolean): string {
  return kept
    ? 'the previous list was kept'
    : 'no list yet, so PyPI names are not checked for typosquats (--top-pypi-url FILE loads one from a file)';
}

export async function updatePopularPypi(options: {
  url?: string;
  env?: Env;
  cacheDir?: string;
  http?: DownloadOptions;
  logger?: Logger;
}): Promise<PopularUpdate> {
  const env = options.env ?? process.env;
  const url = options.url ?? env.VOUCH_TOP_PYPI_URL ?? DEFAULT_TOP_PYPI_URL;
  const path = popularPypiPath(env, options.cacheDir);
  const partial = `${path}.partial`;
  makeFolders(dirname(path));
  try {
    const local = localPath(url);
    if (local !== undefined) copyFileSync(local, partial);
    else
      await download(url, partial, {
        ...options.http,
        ...(options.logger ? { logger: options.logger } : {}),
      });
    const list = parseTopPypi(readFileSync(partial, 'utf8'), url);
    renameSync(partial, path);
    return { url, path, status: 'updated', projects: list.names.length };
  } catch (error) {
    rmSync(partial, { force: true });
    const message = (error as Error).message;
    const kept = existsSync(path);
    options.logger?.warn(`popular PyPI names: ${message}; ${popularFailure(kept)}`);
    return { url, path, status: 'failed', error: message, kept };
  }
}
