import { basename } from '../../core/paths.js';
import type { Extractor } from '../types.js';
import { asArray, asString, asTable, readPypiLock, type SourcedTarget, type Table } from './common.js';

const ID = 'pypi/poetry-lock';

/** `optional = true` wins; `groups` with `main` (or the older `category = "main"`) is production. */
function poetryGroups(entry: Table): string[] {
  if (entry.optional === true) return ['optional'];
  const groups = asArray(entry.groups).filter((g): g is string => typeof g === 'string');
  if (groups.length > 0) return groups.includes('main') ? [] : groups;
  const category = asString(entry.category);
  return category === undefined || category === 'main' ? [] : [category];
}

function poetrySource(entry: Table): Omit<SourcedTarget, 'name'> {
  const source = asTable(entry.source);
  const url = asString(source?.url);
  switch (asString(source?.type)) {
    case 'git': {
      const out: Omit<SourcedTarget, 'name'> = { origin: 'git' };
      if (url !== undefined) out.url = url;
      const commit = asString(source?.resolved_reference);
      if (commit) out.commit = commit;
      return out;
    }
    case 'directory':
    case 'file':
      return url === undefined ? { origin: 'path' } : { origin: 'path', url };
    case 'url':
      return url === undefined ? { origin: 'url' } : { origin: 'url', url };
    default:
      // `legacy` is another package index: still a registry.
      return { origin: 'registry' };
  }
}

/**
 * poetry.lock: every `[[package]]` with its locked version, groups (`optional`, or the Poetry groups other
 * than `main`), git commits (`resolved_reference`), and the dependency graph from `[package.dependencies]`.
 */
export const poetryLock: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'poetry.lock',
  extract: (file) =>
    readPypiLock(file, ID, {
      from: poetrySource,
      groups: poetryGroups,
      dependencies: (entry) => Object.keys(asTable(entry.dependencies) ?? {}),
    }),
};
