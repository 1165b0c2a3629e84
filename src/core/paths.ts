import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** The environment variables Vouch reads, passed in so that tests and in-process callers can set their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A scan warns when the vulnerability database was last built longer ago than this. */
export const DEFAULT_MAX_DATABASE_AGE_MS = 7 * 24 * 60 * 60 * 1000;

const DATABASE_FILE = 'osv.sqlite';

/**
 * Vouch's cache folder: the explicit option, else `VOUCH_CACHE_DIR`, else `$XDG_CACHE_HOME/vouch`, else
 * `~/.cache/vouch`. A relative XDG_CACHE_HOME is ignored, as the XDG Base Directory specification requires.
 */
export function cacheDir(env: Env = process.env, explicit?: string): string {
  if (explicit) return resolve(explicit);
  if (env.VOUCH_CACHE_DIR) return resolve(env.VOUCH_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'vouch');
  return join(env.HOME || homedir(), '.cache', 'vouch');
}

/** `<cache>/osv.sqlite`, where `vouch db update|import` write and `vouch scan` reads. */
export function databasePath(env: Env = process.env, explicitCacheDir?: string): string {
  return join(cacheDir(env, explicitCacheDir), DATABASE_FILE);
}

/** Where `vouch db update` keeps the archives it downloaded, one folder per ecosystem. */
export function archiveCacheDir(env: Env = process.env, explicitCacheDir?: string): string {
  return join(cacheDir(env, explicitCacheDir), 'osv');
}
/** The last segment of a `/`-separated path. */
export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/**
 * `mkdir -p` that fails fast: Node's recursive mkdir loops forever under a folder where mkdir answers ENOENT
 * for a parent that exists (`/proc/x/y`), and a user-chosen output path may lead anywhere. The missing
 * folders are made one at a time from the nearest one that exists; the first refusal is thrown.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  while (!existsSync(current)) {
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing.reverse()) mkdirSync(folder);
}
