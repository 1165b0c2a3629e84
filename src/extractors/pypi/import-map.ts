import { readFileSync } from 'node:fs';
import { dataPath } from '../../core/package-root.js';
import { normalizePypiName } from '../../model/ecosystem.js';

// Both src/extractors/pypi/ and dist/extractors/pypi/ sit three levels below the project root.

let builtinMap: ReadonlyMap<string, string> | undefined;
let stdlib: ReadonlySet<string> | undefined;
let python2Stdlib: ReadonlySet<string> | undefined;
let alternatives: ReadonlyMap<string, string[]> | undefined;

function builtinImportMap(): ReadonlyMap<string, string> {
  builtinMap ??= new Map(
    Object.entries(
      JSON.parse(readFileSync(dataPath('python-import-map.json'), 'utf8')) as Record<string, string>,
    ),
  );
  return builtinMap;
}

function stdlibModules(): ReadonlySet<string> {
  if (!stdlib) {
    const data = JSON.parse(readFileSync(dataPath('python-stdlib.json'), 'utf8')) as {
      modules: string[];
    };
    stdlib = new Set(data.modules);
  }
  return stdlib;
}

/** Top-level modules of Python 2.7's standard library that Python 3 removed or renamed (data/python2-stdlib.json). */
function python2StdlibModules(): ReadonlySet<string> {
  if (!python2Stdlib) {
    const data = JSON.parse(readFileSync(dataPath('python2-stdlib.json'), 'utf8')) as { modules: string[] };
    python2Stdlib = new Set(data.modules);
  }
  return python2Stdlib;
}

/**
 * The other distributions that install the same import package (psycopg2 / psycopg2-binary), keyed by
 * PEP 503 name: declaring any of them satisfies the import.
 */
export function alternativeDistributions(name: string): string[] {
  if (!alternatives) {
    const data = JSON.parse(readFileSync(dataPath('python-alternatives.json'), 'utf8')) as {
      groups: string[][];
    };
    const byName = new Map<string, string[]>();
    for (const group of data.groups) {
      for (const member of group)
        byName.set(
          normalizePypiName(member),
          group.filter((other) => other !== member),
        );
    }
    alternatives = byName;
  }
  return alternatives.get(normalizePypiName(name)) ?? [];
}

function topLevel(module: string): string {
  const dot = module.indexOf('.');
  return dot === -1 ? module : module.slice(0, dot);
}

/** Whether a module (`os.path`, `xml.etree.ElementTree`) belongs to the standard library, by its top-level name. */
export function isStdlibModule(module: string): boolean {
  return stdlibModules().has(topLevel(module));
}

/**
 * Whether a module is one of Python 2.7's standard library that Python 3 no longer has (`urllib2`, `cPickle`, `md5`),
 * by its top-level name; those Python 3 kept are standard library anyway.
 */
export function isPython2StdlibModule(module: string): boolean {
  return python2StdlibModules().has(topLevel(module));
}

/** The key of `table` that is the longest dotted prefix of `module`: `google.cloud.storage` before `google`. */
function longestPrefixKey(table: ReadonlyMap<string, string>, module: string): string | undefined {
  let candidate = module;
  for (;;) {
    if (table.has(candidate)) return candidate;
    const dot = candidate.lastIndexOf('.');
    if (dot === -1) return undefined;
    candidate = candidate.slice(0, dot);
  }
}

/** The distribution an import maps to; `inferred` when no table knows the module and its own name is the guess. */
export interface ResolvedImport {
  name: string;
  inferred: boolean;
  /** The table key that decided it; absent when the name was inferred. */
  key?: string;
}

/**
 * The distribution that provides a module. The user's mappings win over the built-in table as a whole (a
 * user's `google` beats the built-in `google.cloud.storage`), so that a configured answer is never second-
 * guessed; within each table the longest dotted prefix wins. Unknown modules keep their top-level name.
 */
export function resolveImport(module: string, overrides: ReadonlyMap<string, string>): ResolvedImport {
  for (const table of [overrides, builtinImportMap()]) {
    const key = longestPrefixKey(table, module);
    if (key !== undefined) return { name: table.get(key)!, inferred: false, key };
  }
  return { name: topLevel(module), inferred: true };
}

/** At most this many distribution names are guessed for one import name (each guess is one registry request). */
export const MAX_DISTRIBUTION_GUESSES = 8;

/**
 * The distribution names a project imported as `module` is usually published under, most specific first,
 * for when the import name itself is no distribution: the dotted path dashed (`google.cloud.tasks` →
 * google-cloud-tasks, then its first two parts: google-cloud), `sk<x>` → scikit-<x> (skimage, skcuda), and the affixes
 * projects add to a taken or bare name (absl → absl-py, rpds → rpds-py, `py<x>`, `python-<x>`, `<x>-python`,
 * `py-<x>`). PEP 503 equal names are asked once; the import's own top-level name is never among them.
 */
export function distributionCandidates(module: string): string[] {
  const parts = module.split('.').filter((part) => part !== '');
  const top = parts[0];
  if (top === undefined) return [];
  const guesses: string[] = [];
  // A deep path keeps only its full and two-part forms, so that the affixes still fit in the bound.
  if (parts.length >= 2) guesses.push(parts.join('-'));
  if (parts.length > 2) guesses.push(parts.slice(0, 2).join('-'));
  if (/^sk[a-z]/i.test(top)) guesses.push(`scikit-${top.slice(2)}`);
  guesses.push(`${top}-py`, `py${top}`, `python-${top}`, `${top}-python`, `py-${top}`);
  const seen = new Set([normalizePypiName(top)]);
  const out: string[] = [];
  for (const guess of guesses) {
    const key = normalizePypiName(guess);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(guess);
  }
  return out.slice(0, MAX_DISTRIBUTION_GUESSES);
}
