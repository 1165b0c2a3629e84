import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A module loaded on first use. Parsers and clients are heavy to load (tens of milliseconds each), and a
 * scan needs only the ones its files call for; `vouch --version` needs none.
 */
export function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(id) as T;
    return loaded;
  };
}
