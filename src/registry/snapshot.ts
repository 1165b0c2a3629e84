/**
 * `vouch registry snapshot`: a list of every existing name, imported into the registry cache so that
 * existence is checked without the network (air-gapped machines, offline mode, a registry that is down).
 * PyPI's is the Simple API's project list (PEP 691 JSON: `{"projects": [{"name": …}]}`); npm's a JSON
 * array of names, a CouchDB `_all_docs` answer (`{"rows": [{"id": …}]}`), or one name per line.
 */
import { readFileSync } from 'node:fs';
import { VouchError } from '../core/errors.js';
import { isObject } from '../core/json.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import { RegistryCache } from './cache.js';

export interface SnapshotReport {
  ecosystem: Ecosystem;
  file: string;
  cache: string;
  names: number;
}

/** The names in a snapshot file's text; throws a VouchError (`INPUT`) when it is not one. */
function snapshotNames(ecosystem: Ecosystem, text: string, file: string): string[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new VouchError('INPUT', `${file}: not valid JSON (${(error as Error).message})`);
    }
    const names = namesOf(doc);
    if (!names)
      throw new VouchError(
        'INPUT',
        `${file}: expected ${ecosystem === 'PyPI' ? '{"projects": [{"name": …}]}' : 'a JSON array of names or {"rows": [{"id": …}]}'}`,
      );
    return names;
  }
  if (ecosystem === 'PyPI')
    throw new VouchError('INPUT', `${file}: expected the Simple API's JSON project list`);
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function namesOf(doc: unknown): string[] | undefined {
  const list = Array.isArray(doc) ? doc : isObject(doc) ? (doc.projects ?? doc.rows) : undefined;
  if (!Array.isArray(list)) return undefined;
  const names: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') names.push(item);
    else if (isObject(item)) {
      const name = item.name ?? item.id ?? item.key;
      if (typeof name === 'string') names.push(name);
    }
  }
  return names;
}

export function importSnapshot(
  ecosystem: Ecosystem,
  file: string,
  cachePath: string,
  now = new Date(),
): SnapshotReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new VouchError('INPUT', `${file}: ${(error as Error).message}`, { cause: error });
  }
  const names = snapshotNames(ecosystem, text, file);
  if (names.length === 0) throw new VouchError('INPUT', `${file}: the list has no names`);
  const cache = RegistryCache.open(cachePath, { create: true });
  if (!cache) throw new VouchError('INPUT', `${cachePath}: the registry cache cannot be opened`);
  try {
    const count = cache.importSnapshot(
      ecosystem,
      names.map((n) => packageKey(ecosystem, n)),
      file,
      now,
    );
    return { ecosystem, file, cache: cachePath, names: count };
  } finally {
    cache.close();
  }
}
