/**
 * How the registry cache is used (`--registry-mode`), apart from the cache itself so that the command line
 * can offer the choices without loading SQLite.
 *
 * `offline`: never the network; `prefer-offline`: any cached answer however old, the network only for
 * misses; `default`: fresh answers from the cache, stale ones revalidated; `prefer-online`: every cached
 * answer revalidated. When the registry cannot be asked, a stale answer that a package exists is used.
 */
export const CACHE_MODES = ['offline', 'prefer-offline', 'default', 'prefer-online'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];
