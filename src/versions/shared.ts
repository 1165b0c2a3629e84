import type { Ecosystem } from '../model/ecosystem.js';
import type { VersionScheme } from './types.js';

/** Enough for the distinct versions of one scan's advisories; beyond it the oldest entries are dropped. */
const KEY_CACHE_LIMIT = 8192;

/**
 * Builds a scheme from a key function (total: every string gets a key) and an order on keys. Keys are
 * cached because compare runs for every advisory range bound against every package version.
 */
export function defineScheme<Parsed, Key>(options: {
  ecosystem: Ecosystem;
  parse: (version: string) => Parsed | undefined;
  key: (version: string) => Key;
  compareKeys: (a: Key, b: Key) => number;
}): VersionScheme<Parsed> {
  const cache = new Map<string, Key>();
  const keyOf = (version: string): Key => {
    let key = cache.get(version);
    if (key === undefined) {
      key = options.key(version);
      if (cache.size >= KEY_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(version, key);
    }
    return key;
  };
  return {
    ecosystem: options.ecosystem,
    parse: options.parse,
    compare: (a, b) => (a === b ? 0 : Math.sign(options.compareKeys(keyOf(a), keyOf(b)))),
  };
}

/** Digits without leading zeros (`"0"` stays `"0"`), so that numbers of any size compare exactly. */
export function canonicalDigits(digits: string): string {
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start++;
  return digits.slice(start);
}

/** Compares two canonical digit strings as numbers. */
export function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** UTF-16 code unit order, the tie-breaker for strings no scheme can read. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isDigits(text: string): boolean {
  return /^[0-9]+$/.test(text);
}
