import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ProjectFact } from '../../model/source.js';
import { addEdges, asArray, asString, namedPackages, parseToml } from '../pypi/common.js';
import type { Extractor, ExtractResult } from '../types.js';

const ID = 'rust/cargo-lock';

/** Where a locked package comes from, by its `source` (`registry+…`, `sparse+…`, `git+URL#commit`, none). */
function origin(source: string | undefined): Pick<PackageRef, 'origin' | 'url' | 'commit'> {
  // No source: a crate of the workspace itself (or a path dependency), built from the local tree.
  if (source === undefined) return { origin: 'path' };
  if (source.startsWith('git+')) {
    const hash = source.indexOf('#');
    const url = source.slice(4, hash === -1 ? undefined : hash);
    const commit = hash === -1 ? '' : source.slice(hash + 1);
    return commit ? { origin: 'git', url, commit } : { origin: 'git', url };
  }
  if (source.startsWith('path+')) return { origin: 'path', url: source.slice(5) };
  return { origin: 'registry' };
}

/**
 * Cargo.lock: every `[[package]]` with its locked version (the workspace's own crates, which have no
 * `source`, with origin `path`), git sources with their commit, and the dependency graph from each
 * package's `dependencies` (`"name"`, or `"name version"` / `"name version (source)"` when several versions
 * are locked). The roots are what the workspace's own crates depend on.
 */
export const cargoLock: Extractor = {
  id: ID,
  ecosystem: 'crates.io',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'Cargo.lock',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const doc = parseToml(file.text, result.errors);
    if (!doc) return result;
    const entries = asArray(doc.package);
    const edges: Record<string, string[]> = {};
    const roots = new Set<string>();
    for (const { entry, name, line } of namedPackages(entries, file.text, result.errors)) {
      const source = asString(entry.source);
      const ref: PackageRef = {
        ecosystem: 'crates.io',
        name,
        source: 'locked',
        extractor: ID,
        location: { file: file.path, line },
        ...origin(source),
      };
      const version = asString(entry.version);
      if (version) ref.version = version;
      result.refs.push(ref);
      const dependencies = asArray(entry.dependencies)
        .map((d) => (typeof d === 'string' ? d.trim().split(/\s+/)[0] : undefined))
        .filter((d): d is string => d !== undefined && d !== '');
      addEdges(edges, name, dependencies);
      if (source === undefined) for (const d of dependencies) roots.add(d);
    }
    if (entries.length > 0) {
      const graph: ProjectFact = { kind: 'dependency-graph', ecosystem: 'crates.io', edges };
      if (roots.size > 0) graph.roots = [...roots];
      result.facts.push(graph);
    }
    return result;
  },
};
