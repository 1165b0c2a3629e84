import type { Node } from 'jsonc-parser';
import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { SourceFile } from '../../model/source.js';
import { entries, lineOf, parseJson, property, rootObject, stringValue } from '../json-tree.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { GraphBuilder, LockedRefs, reportDeepNesting } from './package-lock.js';
import { classifyNpmSpec, installedName } from './spec.js';

const ID = 'npm/bun-lock';

const EDGE_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'];
const ROOT_FIELDS = [...EDGE_FIELDS, 'devDependencies'];

/**
 * bun.lock: JSON with trailing commas. `packages` maps an install path (`parent/child` when nested) to a
 * tuple whose first element is `name@version` (or `name@github:user/repo#ref`, `name@file:path`,
 * `name@workspace:path`) and whose first object element holds the package's dependencies.
 */
export const bunLock: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'bun.lock',
  extract: (file) => reportDeepNesting(() => extractBunLock(file)),
};

function extractBunLock(file: SourceFile): ExtractResult {
  const doc = parseJson(file.text, { allowTrailingComma: true });
  const result: ExtractResult = { refs: [], errors: doc.errors, facts: [] };
  const root = rootObject(doc, 'bun.lock', result.errors);
  if (!root) return result;
  const workspaces = property(root, 'workspaces');
  const collected = new LockedRefs();
  const graph = new GraphBuilder('bun');
  /** Install path → real name, for resolving dependency keys (which may be aliases) as bun does. */
  const installed = new Map<string, string>();
  const dependents: { path: string[]; name: string; owner: Node | undefined; fields: string[] }[] = [];

  for (const [key, tuple, offset] of entries(property(root, 'packages'))) {
    const line = lineOf(doc, offset);
    const problem = tupleProblem(tuple);
    if (problem) {
      result.errors.push({ line, message: `could not extract ${quoted(key)}: ${problem}` });
      continue;
    }
    const [head, ...rest] = tuple.children ?? [];
    const written = stringValue(head) ?? '';
    const at = written.indexOf('@', written.startsWith('@') ? 1 : 0);
    const name = at === -1 ? written : written.slice(0, at);
    const source = at === -1 ? '' : written.slice(at + 1);
    if (name === '') {
      result.errors.push({
        line,
        message: `could not extract ${quoted(key)}: the package tuple names no package`,
      });
      continue;
    }
    const target = classifyNpmSpec(name, source);
    const ref: PackageRef = {
      ecosystem: 'npm',
      name,
      source: 'locked',
      extractor: ID,
      location: { file: file.path, line },
      origin: target.origin,
    };
    // As written: semver's normalisation would drop build metadata (`2.1.6+git`).
    if (target.version !== undefined) ref.version = source;
    if (target.url !== undefined) ref.url = target.url;
    if (target.origin === 'git') {
      const hash = source.indexOf('#');
      if (hash !== -1 && hash < source.length - 1) ref.commit = source.slice(hash + 1);
    }
    const path = installPath(key);
    if (path.at(-1) !== name) ref.alias = path.at(-1);
    // A workspace's version and dependencies are recorded with the workspace, not in its tuple.
    const workspace =
      target.origin === 'workspace' ? property(workspaces, source.slice('workspace:'.length)) : undefined;
    if (target.origin === 'workspace') {
      const version = stringValue(property(workspace, 'version'));
      if (version) ref.version = version;
      ref.url = source;
    }
    collected.add(ref);
    installed.set(path.join('/'), name);
    dependents.push(
      workspace
        ? { path, name, owner: workspace, fields: ROOT_FIELDS }
        : { path, name, owner: rest.find((node) => node.type === 'object'), fields: EDGE_FIELDS },
    );
  }

  /** bun's lookup: `parent/child` shadows `child` for the packages under `parent`. */
  const resolveName = (fromPath: string[], key: string, spec: string): string => {
    for (let depth = fromPath.length; depth >= 0; depth--) {
      const found = installed.get([...fromPath.slice(0, depth), key].join('/'));
      if (found !== undefined) return found;
    }
    return installedName(key, spec);
  };
  for (const [key, workspace] of entries(workspaces)) {
    // Versions that only one workspace needs are nested under that workspace's name.
    const name = stringValue(property(workspace, 'name'));
    const from = key === '' || !name ? [] : installPath(name);
    graph.addRoots(
      dependencyNames(workspace, ROOT_FIELDS, (dep, spec) => resolveName(from, dep, spec)),
      key,
    );
  }
  for (const { path, name, owner, fields } of dependents) {
    graph.addEdges(
      name,
      dependencyNames(owner, fields, (dep, spec) => resolveName(path, dep, spec)),
    );
  }
  result.refs = collected.refs();
  result.facts.push(graph.fact());
  return result;
}

function tupleProblem(tuple: Node): string | undefined {
  if (tuple.type !== 'array') return 'the package entry is not a tuple';
  const head = tuple.children?.[0];
  if (head === undefined) return 'empty package tuple';
  if (head.type !== 'string') return 'first element of the package tuple is not a string';
  return undefined;
}

/** `parent/@scope/child` → [`parent`, `@scope/child`]: the install names along a nested path. */
function installPath(key: string): string[] {
  const names: string[] = [];
  for (const part of key.split('/')) {
    const last = names.at(-1);
    if (last?.startsWith('@') && !last.includes('/')) names[names.length - 1] = `${last}/${part}`;
    else names.push(part);
  }
  return names;
}

function dependencyNames(
  owner: Node | undefined,
  fields: string[],
  resolve: (key: string, spec: string) => string,
): string[] {
  return fields.flatMap((field) =>
    [...entries(property(owner, field))].map(([key, value]) => resolve(key, stringValue(value) ?? '')),
  );
}
