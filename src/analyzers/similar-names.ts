/**
 * Look-alike names: how a name may be confused with a popular one. Edit distance (with transposed letters
 * counting as one edit) allowed by length, and the confusions squatters use: separators (`-`, `_`, `.`),
 * `py`/`python` affixes, a `js` suffix, and an npm scope that looks like a popular one. Only a scope's owner
 * publishes in it, so a scoped name is compared with popular names of other scopes only (`@typescript_eslint/
 * parser`), never with its own scope's nor with unscoped names: `@tinyhttp/cors` is no squat of `cors`, and
 * `expand` none of `@inquirer/expand`.
 */
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { PopularNames } from '../model/popular.js';

export type Confusion =
  | 'edit-distance'
  | 'transposed-letters'
  | 'separators'
  | 'python-affix'
  | 'js-suffix'
  | 'scope';

export interface Lookalike {
  /** The popular name, as the list spells it. */
  name: string;
  confusion: Confusion;
  /** Edits between the two names (after the confusion's normalisation). */
  distance: number;
  /** Its place on the popular list, 1 the most popular. */
  rank: number;
}

export const CONFUSION_TEXT: Record<Confusion, string> = {
  'edit-distance': 'a letter or two different',
  'transposed-letters': 'two letters swapped',
  separators: 'only the separators differ',
  'python-affix': 'a py/python prefix or suffix added or dropped',
  'js-suffix': 'a js suffix added or dropped',
  scope: 'its npm scope looks like a popular one',
};

/** Only the most popular names are worth squatting; comparing with all would flag many honest names. */
export const SQUAT_TARGETS = 5000;

/** Edits a name of this length may be away from a popular one: none below 5 characters, 2 from 12 on. */
function allowedEdits(length: number): number {
  if (length < 5) return 0;
  return length < 12 ? 1 : 2;
}

const rows: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits), or max + 1 when above
 * max. Only the band of cells within `max` of the diagonal is computed, and it stops at the first row whose
 * every cell is above max: most pairs are rejected after two or three rows.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  if (rows[0]!.length < width) for (let r = 0; r < 3; r++) rows[r] = new Int32Array(width * 2);
  let [before, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  const big = max + 1;
  for (let j = 0; j < width; j++) previous[j] = j <= max ? j : big;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    current[0] = i <= max ? i : big;
    if (from > 1) current[from - 1] = big;
    let rowMin = current[0]!;
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      )
        value = Math.min(value, before[j - 2]! + 1);
      current[j] = Math.min(value, big);
      if (current[j]! < rowMin) rowMin = current[j]!;
    }
    if (to < b.length) current[to + 1] = big;
    if (rowMin > max) return big;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, big);
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  return (
    diff.length === 2 &&
    diff[1] === diff[0]! + 1 &&
    a[diff[0]!] === b[diff[1]!] &&
    a[diff[1]!] === b[diff[0]!]
  );
}

function comparable(ecosystem: Ecosystem, name: string): string {
  return packageKey(ecosystem, name).toLowerCase();
}

/** The names a confusion turns `key` into (for which the popular list is looked up directly). */
function confusionVariants(ecosystem: Ecosystem, key: string): { variant: string; confusion: Confusion }[] {
  const out: { variant: string; confusion: Confusion }[] = [];
  if (ecosystem === 'PyPI') {
    for (const prefix of ['python-', 'py-', 'python', 'py']) {
      if (key.startsWith(prefix) && key.length > prefix.length + 1)
        out.push({ variant: key.slice(prefix.length), confusion: 'python-affix' });
      out.push({ variant: `${prefix}${key}`, confusion: 'python-affix' });
    }
    for (const suffix of ['-python', '-py', 'python', 'py']) {
      if (key.endsWith(suffix) && key.length > suffix.length + 1)
        out.push({ variant: key.slice(0, -suffix.length), confusion: 'python-affix' });
      out.push({ variant: `${key}${suffix}`, confusion: 'python-affix' });
    }
  }
  if (ecosystem === 'npm') {
    for (const suffix of ['.js', '-js', 'js']) {
      if (key.endsWith(suffix) && key.length > suffix.length + 1)
        out.push({ variant: key.slice(0, -suffix.length), confusion: 'js-suffix' });
      out.push({ variant: `${key}${suffix}`, confusion: 'js-suffix' });
    }
  }
  return out;
}

/** `@scope` of `@scope/name`; undefined for an unscoped name or another ecosystem. */
function scopeOf(ecosystem: Ecosystem, key: string): string | undefined {
  if (ecosystem !== 'npm' || !key.startsWith('@')) return undefined;
  const slash = key.indexOf('/');
  return slash === -1 ? undefined : key.slice(0, slash);
}

function withoutSeparators(key: string): string {
  return key.replace(/[-_.]/g, '');
}

interface Entry {
  key: string;
  name: string;
  rank: number;
  /** Which characters occur (`letterMask`): an edit changes at most two bits, which rejects most pairs cheaply. */
  mask: number;
}

function letterMask(key: string): number {
  let mask = 0;
  for (let i = 0; i < key.length; i++) mask |= 1 << (key.charCodeAt(i) % 31);
  return mask;
}

function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The squat targets grouped for quick lookups: by length, and without separators. */
interface Targets {
  /** Entries by key length, with their character masks side by side for a tight first filter. */
  byLength: Map<number, { entries: Entry[]; masks: Int32Array }>;
  bySkeleton: Map<string, Entry[]>;
}

const targetCache = new WeakMap<PopularNames, Map<number, Targets>>();

function targetsOf(popular: PopularNames, limit: number): Targets {
  let byLimit = targetCache.get(popular);
  if (!byLimit) {
    byLimit = new Map();
    targetCache.set(popular, byLimit);
  }
  let targets = byLimit.get(limit);
  if (targets) return targets;
  targets = { byLength: new Map(), bySkeleton: new Map() };
  const lengths = new Map<number, Entry[]>();
  const push = (map: Map<string | number, Entry[]>, key: string | number, entry: Entry) => {
    const list = map.get(key);
    if (list) list.push(entry);
    else map.set(key, [entry]);
  };
  for (const bucket of popular.byLength.values())
    for (const listed of bucket) {
      if (listed.rank > limit) continue;
      const entry: Entry = { ...listed, mask: letterMask(listed.key) };
      push(lengths as Map<string | number, Entry[]>, entry.key.length, entry);
      push(targets.bySkeleton as Map<string | number, Entry[]>, withoutSeparators(entry.key), entry);
    }
  for (const [length, entries] of lengths)
    targets.byLength.set(length, { entries, masks: Int32Array.from(entries, (e) => e.mask) });
  byLimit.set(limit, targets);
  return targets;
}

/**
 * Popular names `name` may be mistaken for, closest and most popular first. A name on the popular list
 * itself is no squat: `popular.rank(name)` should be checked by the caller.
 */
export function lookalikes(
  ecosystem: Ecosystem,
  name: string,
  popular: PopularNames,
  limit = 3,
  targets = SQUAT_TARGETS,
): Lookalike[] {
  const key = comparable(ecosystem, name);
  const index = targetsOf(popular, targets);
  const found = new Map<string, Lookalike>();
  const add = (candidate: Lookalike) => {
    const previous = found.get(candidate.name);
    if (!previous || candidate.distance < previous.distance) found.set(candidate.name, candidate);
  };
  const scope = scopeOf(ecosystem, key);
  /** npm: a scoped name against other scopes' names only; an unscoped one against unscoped ones only. */
  const comparableTo = (other: string): boolean => {
    if (ecosystem !== 'npm') return true;
    const otherScope = scopeOf(ecosystem, other);
    return scope === undefined ? otherScope === undefined : otherScope !== undefined && otherScope !== scope;
  };
  /** A scoped look-alike differs in its scope: say so rather than "a letter different". */
  const named = (confusion: Confusion): Confusion => (scope === undefined ? confusion : 'scope');
  for (const { variant, confusion } of confusionVariants(ecosystem, key)) {
    const rank = popular.rank(variant);
    if (rank !== undefined && rank <= targets && variant !== key && comparableTo(variant))
      add({ name: popular.names[rank - 1]!, confusion, distance: 0, rank });
  }
  if (ecosystem === 'npm') {
    for (const entry of index.bySkeleton.get(withoutSeparators(key)) ?? [])
      if (entry.key !== key && comparableTo(entry.key))
        add({ name: entry.name, confusion: named('separators'), distance: 0, rank: entry.rank });
  }
  const mask = letterMask(key);
  for (let length = key.length - 2; length <= key.length + 2; length++) {
    const bucket = index.byLength.get(length);
    if (!bucket) continue;
    const { entries, masks } = bucket;
    for (let i = 0; i < masks.length; i++) {
      if (bitCount(masks[i]! ^ mask) > 4) continue;
      const entry = entries[i]!;
      if (entry.key === key || found.has(entry.name) || !comparableTo(entry.key)) continue;
      if (isTransposition(key, entry.key)) {
        add({ name: entry.name, confusion: named('transposed-letters'), distance: 1, rank: entry.rank });
        continue;
      }
      const allowed = allowedEdits(entry.key.length);
      if (allowed === 0 || Math.abs(length - key.length) > allowed) continue;
      const distance = editDistance(key, entry.key, allowed);
      if (distance <= allowed)
        add({ name: entry.name, confusion: named('edit-distance'), distance, rank: entry.rank });
    }
  }
  return [...found.values()].sort((a, b) => a.distance - b.distance || a.rank - b.rank).slice(0, limit);
}

/** "Did you mean": the closest popular names, a little further afield than squats. */
export function suggestions(ecosystem: Ecosystem, name: string, popular: PopularNames, limit = 3): string[] {
  const key = comparable(ecosystem, name);
  const close = lookalikes(ecosystem, name, popular, limit, popular.names.length).map((l) => l.name);
  if (close.length >= limit) return close;
  const max = key.length < 5 ? 1 : key.length < 9 ? 2 : 3;
  const more: { name: string; distance: number; rank: number }[] = [];
  for (let length = key.length - max; length <= key.length + max; length++) {
    for (const entry of popular.byLength.get(length) ?? []) {
      if (close.includes(entry.name) || entry.key === key) continue;
      const distance = editDistance(key, entry.key, max);
      if (distance <= max) more.push({ name: entry.name, distance, rank: entry.rank });
    }
  }
  more.sort((a, b) => a.distance - b.distance || a.rank - b.rank);
  return [...close, ...more.map((m) => m.name)].slice(0, limit);
}

/** Words of a name beyond which its stems are not enumerated (2^8 subsequences at most). */
const MAX_STEM_WORDS = 8;
/** Where names off the popular list rank. */
const UNRANKED = 1_000_000_000;

/** The words of a name without its npm scope: `express-jwt-auth-middleware` → express, jwt, auth, middleware. */
function wordsOf(ecosystem: Ecosystem, name: string): string[] {
  const key = comparable(ecosystem, name);
  const bare = key.startsWith('@') && key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  return bare.split(/[-_.]+/).filter((word) => word !== '');
}

/** Whether `part` is `whole` with some words left out, in order (`axios-retry` of `axios-retry-plus`). */
function isStemOf(part: readonly string[], whole: readonly string[]): boolean {
  if (part.length === 0 || part.length >= whole.length) return false;
  let at = 0;
  for (const word of whole) if (word === part[at]) at++;
  return at === part.length;
}

/**
 * Stems of a made-up name that are real packages: the name with some of its words left out, in order,
 * on the popular list (`axios-retry-plus` → `axios-retry`, `express-jwt-auth-middleware` → `express-jwt`)
 * or among the registry's search results for it. The most words kept first; a single word only when it
 * is the name's first (`express`, not `middleware`).
 */
export function stemSuggestions(
  ecosystem: Ecosystem,
  name: string,
  popular: PopularNames | undefined,
  searched: readonly string[],
  limit = 3,
): string[] {
  const words = wordsOf(ecosystem, name);
  if (words.length < 2) return [];
  const found: { name: string; kept: number; rank: number }[] = [];
  const add = (candidate: string, kept: readonly string[], rank: number) => {
    if (kept.length === 1 && kept[0] !== words[0]) return;
    if (!found.some((f) => f.name === candidate)) found.push({ name: candidate, kept: kept.length, rank });
  };
  if (popular && words.length <= MAX_STEM_WORDS) {
    for (let mask = 1; mask < (1 << words.length) - 1; mask++) {
      const kept = words.filter((_, i) => mask & (1 << i));
      const rank = popular.rank(kept.join('-'));
      if (rank !== undefined) add(popular.names[rank - 1]!, kept, rank);
    }
  }
  // Search results off the popular list keep the registry's order, after the popular ones.
  for (const [i, result] of searched.entries()) {
    const kept = wordsOf(ecosystem, result);
    if (isStemOf(kept, words)) add(result, kept, popular?.rank(result) ?? UNRANKED + i);
  }
  found.sort((a, b) => b.kept - a.kept || a.rank - b.rank);
  return found.slice(0, limit).map((f) => f.name);
}

/**
 * "Did you mean" for a name the registry does not have: its stems that are real packages (a semantic
 * hallucination built on a real name), then the popular names spelled closest (a typo).
 */
export function didYouMean(
  ecosystem: Ecosystem,
  name: string,
  popular: PopularNames | undefined,
  searched: readonly string[],
  limit = 3,
): string[] {
  const stems = stemSuggestions(ecosystem, name, popular, searched, limit);
  const close = popular ? suggestions(ecosystem, name, popular, limit) : [];
  return [...new Set([...stems, ...close])].slice(0, limit);
}
