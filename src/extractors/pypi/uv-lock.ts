import { basename } from '../../core/paths.js';
import { normalizePypiName } from '../../model/ecosystem.js';
import type { ProjectFact } from '../../model/source.js';
import type { Extractor, ExtractResult } from '../types.js';
import {
  addEdges,
  asArray,
  asString,
  asTable,
  isTable,
  lockedRef,
  namedPackages,
  parseToml,
  type SourcedTarget,
  type Table,
} from './common.js';

const ID = 'pypi/uv-lock';

/** Names in a uv dependency list (`[{ name = "click", marker = "…" }, …]`). */
function dependencyNames(list: unknown): string[] {
  return asArray(list)
    .map((dep) => (isTable(dep) ? asString(dep.name) : undefined))
    .filter((name): name is string => name !== undefined);
}

/** Every dependency list of a package: `dependencies`, then its extras' and its groups' lists by name. */
function dependencyLists(entry: Table): { group?: string; names: string[] }[] {
  const lists: { group?: string; names: string[] }[] = [{ names: dependencyNames(entry.dependencies) }];
  for (const field of ['optional-dependencies', 'dev-dependencies']) {
    for (const [group, list] of Object.entries(asTable(entry[field]) ?? {})) {
      lists.push({ group, names: dependencyNames(list) });
    }
  }
  return lists;
}

function uvSource(entry: Table, members: Set<string>): Omit<SourcedTarget, 'name'> {
  const source = asTable(entry.source) ?? {};
  const git = asString(source.git);
  if (git !== undefined) {
    // `https://host/repo?rev=v1#<commit>`: the fragment is the commit uv resolved.
    const hash = git.indexOf('#');
    const out: Omit<SourcedTarget, 'name'> = { origin: 'git', url: hash === -1 ? git : git.slice(0, hash) };
    if (hash !== -1) out.commit = git.slice(hash + 1);
    return out;
  }
  const local = asString(source.editable) ?? asString(source.virtual);
  if (local !== undefined && members.has(normalizePypiName(asString(entry.name) ?? '')))
    return { origin: 'workspace' };
  const path = local ?? asString(source.path) ?? asString(source.directory);
  if (path !== undefined) return { origin: 'path', url: path };
  const url = asString(source.url);
  if (url !== undefined) return { origin: 'url', url };
  return { origin: 'registry' };
}

function isProjectItself(entry: Table): boolean {
  const source = asTable(entry.source);
  return source?.virtual === '.' || source?.editable === '.';
}

/**
 * uv.lock: every `[[package]]` but the project itself, with its version, git commit and the dependency
 * graph; the direct dependencies of the project (and of its workspace members) are the graph's roots.
 * Groups follow those entries: a package they list directly under an extra or a dependency group gets
 * those names, one listed under `dependencies` is production, and anything reached only through other
 * packages is production too (osv-scalibr reads uv.lock the same way).
 */
export const uvLock: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'uv.lock',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const doc = parseToml(file.text, result.errors);
    if (!doc) return result;
    const entries = asArray(doc.package);
    const members = new Set(
      asArray(asTable(doc.manifest)?.members)
        .filter((m): m is string => typeof m === 'string')
        .map(normalizePypiName),
    );

    const production = new Set<string>();
    const groupsOf = new Map<string, Set<string>>();
    const roots = new Set<string>();
    for (const entry of entries) {
      if (!isTable(entry)) continue;
      const isMember = members.has(normalizePypiName(asString(entry.name) ?? ''));
      if (!isProjectItself(entry) && !isMember) continue;
      for (const { group, names } of dependencyLists(entry)) {
        for (const name of names) {
          roots.add(name);
          const key = normalizePypiName(name);
          if (group === undefined) production.add(key);
          else groupsOf.set(key, new Set([...(groupsOf.get(key) ?? []), group]));
        }
      }
    }

    const edges: Record<string, string[]> = {};
    for (const locked of namedPackages(entries, file.text, result.errors)) {
      const { entry, name } = locked;
      addEdges(
        edges,
        name,
        dependencyLists(entry).flatMap((list) => list.names),
      );
      if (isProjectItself(entry)) continue;
      const key = normalizePypiName(name);
      const groups = production.has(key) ? [] : [...(groupsOf.get(key) ?? [])].sort();
      result.refs.push(
        lockedRef({ locked, from: uvSource(entry, members), groups, extractor: ID, file: file.path }),
      );
    }
    if (entries.length > 0) {
      const fact: ProjectFact = { kind: 'dependency-graph', ecosystem: 'PyPI', edges };
      if (roots.size > 0) fact.roots = [...roots];
      result.facts.push(fact);
    }
    return result;
  },
};
