import { basename, type Extractor, type ExtractResult } from '../types.js';
import {
  addEdges,
  asArray,
  asString,
  asTable,
  isTable,
  makeRef,
  packageLines,
  parseToml,
  type SourcedTarget,
  type Table,
  TomlLines,
} from './common.js';

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
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const parsed = parseToml(file.text);
    if (!parsed.ok) {
      result.errors.push(parsed.error);
      return result;
    }
    const entries = asArray(parsed.doc.package);
    const toml = new TomlLines(file.text);
    const lines = packageLines(
      toml,
      entries.map((entry) => (isTable(entry) ? (asString(entry.name) ?? '') : '')),
    );
    const edges: Record<string, string[]> = {};
    for (const [i, entry] of entries.entries()) {
      const line = lines[i] ?? 1;
      const name = isTable(entry) ? asString(entry.name) : undefined;
      if (!isTable(entry) || !name) {
        result.errors.push({ line, message: 'a [[package]] entry has no name' });
        continue;
      }
      const target: SourcedTarget = { name, ...poetrySource(entry) };
      const version = asString(entry.version);
      if (version) target.version = version;
      result.refs.push(
        makeRef({
          target,
          extractor: ID,
          source: 'locked',
          location: { file: file.path, line },
          groups: poetryGroups(entry),
        }),
      );
      addEdges(edges, name, Object.keys(asTable(entry.dependencies) ?? {}));
    }
    if (entries.length > 0) result.facts.push({ kind: 'dependency-graph', ecosystem: 'PyPI', edges });
    return result;
  },
};
