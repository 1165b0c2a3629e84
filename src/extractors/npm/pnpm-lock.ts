import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import type { PlainMap } from '../yaml-lite.js';
import { parseYamlPlain } from '../yaml-tree.js';
import { commitOfResolved, GraphBuilder, LockedRefs } from './package-lock.js';

const ID = 'npm/pnpm-lock';

const EDGE_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'];
const ROOT_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'];

/**
 * pnpm-lock.yaml, lockfile versions 5.x (`/name/1.0.0_peer@1`), 6.x (`/name@1.0.0(peer@1)`) and 9.x
 * (`name@1.0.0` in `packages`, the peer variants in `snapshots`).
 */
export const pnpmLock: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'pnpm-lock.yaml',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const doc = parseYamlPlain(file.text, 'pnpm-lock.yaml', result.errors);
    if (!doc) return result;
    const { root } = doc;

    const versionText = text(root.lockfileVersion) ?? '0';
    let major = Math.floor(Number.parseFloat(versionText));
    if (Number.isNaN(major)) {
      result.errors.push({
        line: doc.lineOf(root, 'lockfileVersion'),
        message: `unknown lockfileVersion ${quoted(versionText)}`,
      });
      major = 0;
    }

    const collected = new LockedRefs();
    const graph = new GraphBuilder('pnpm');
    const packages = root.packages;
    for (const [key, entry] of pairs(packages)) {
      const line = isMap(packages) ? doc.lineOf(packages, key) : 1;
      const parsed = parseDependencyPath(key, major);
      if (parsed === 'invalid') {
        result.errors.push({ line, message: `invalid dependency path: ${quoted(key)}` });
        continue;
      }
      // `name` and `version` are written when the path does not carry them (file:, git, tarballs).
      const name = text(field(entry, 'name')) || parsed.name;
      const version = text(field(entry, 'version')) || parsed.version;
      if (!name || !version) continue;
      collected.add(lockedRef(name, version, entry, file.path, line));
      graph.addEdges(name, major < 9 ? dependencyNames(entry, EDGE_FIELDS, major) : []);
    }
    // From v9 the resolved dependencies of each peer variant live in `snapshots`.
    for (const [key, entry] of pairs(root.snapshots)) {
      const parsed = parseDependencyPath(key, major);
      if (parsed !== 'invalid' && parsed.name)
        graph.addEdges(parsed.name, dependencyNames(entry, EDGE_FIELDS, major));
    }

    const importers = root.importers;
    if (isMap(importers)) {
      for (const [dir, importer] of pairs(importers))
        graph.addRoots(dependencyNames(importer, ROOT_FIELDS, major), dir);
    } else if (ROOT_FIELDS.some((f) => f in root)) {
      graph.addRoots(dependencyNames(root, ROOT_FIELDS, major), '.');
    }

    result.refs = collected.refs();
    result.facts.push(graph.fact());
    return result;
  },
};

function lockedRef(
  name: string,
  version: string,
  entry: unknown,
  filePath: string,
  line: number,
): PackageRef {
  const ref: PackageRef = {
    ecosystem: 'npm',
    name,
    version,
    source: 'locked',
    extractor: ID,
    location: { file: filePath, line },
    origin: 'registry',
  };
  const resolution = field(entry, 'resolution');
  const tarball = text(field(resolution, 'tarball'));
  const directory = text(field(resolution, 'directory'));
  const commit = text(field(resolution, 'commit')) || (tarball ? commitOfResolved(tarball) : undefined);
  if (commit) {
    ref.origin = 'git';
    ref.commit = commit;
    const url = text(field(resolution, 'repo')) || tarball;
    if (url) ref.url = url;
  } else if (directory !== undefined) {
    ref.origin = 'path';
    ref.url = directory;
  } else if (tarball?.startsWith('file:')) {
    ref.origin = 'path';
    ref.url = tarball;
  }
  if (text(field(entry, 'dev')) === 'true') ref.groups = ['dev'];
  return ref;
}

/**
 * The name and version in a dependency path. v5: `/name/1.0.0_peer@1`, v6: `/name@1.0.0(peer@1)`, both
 * optionally behind a registry host (`registry.example.org/name/1.0.0`); v9: `name@1.0.0(peer@1)`. A path
 * whose version is not a version (a git host path, `file:`) yields no version: the entry's fields say it.
 */
function parseDependencyPath(path: string, major: number): { name?: string; version?: string } | 'invalid' {
  if (path.startsWith('file:')) return {};
  const paren = path.indexOf('(');
  const bare = paren === -1 ? path : path.slice(0, paren);
  if (major >= 9) {
    const at = bare.indexOf('@', bare.startsWith('@') ? 1 : 0);
    if (at === -1) return { name: bare };
    return { name: bare.slice(0, at), version: versionOrUndefined(bare.slice(at + 1)) };
  }
  const parts = bare.split('/');
  if (parts.length < 2) return 'invalid';
  const scoped = parts[1]?.startsWith('@') ?? false;
  let name = scoped ? `${parts[1]}/${parts[2] ?? ''}` : (parts[1] ?? '');
  let version = parts[scoped ? 3 : 2] ?? '';
  if (version === '') {
    const at = name.lastIndexOf('@');
    if (at > 0) {
      version = name.slice(at + 1);
      name = name.slice(0, at);
    }
  }
  // v5 appends the peers after an underscore: `1.0.0_react@18.2.0`.
  return { name, version: versionOrUndefined(version.split('_')[0] ?? '') };
}

function versionOrUndefined(version: string): string | undefined {
  return /^\d[\w.+-]*$/.test(version) ? version : undefined;
}

/**
 * The package names a map of dependencies installs. A value that is itself a dependency path
 * (`/real/1.0.0`, `real@1.0.0`) is an alias for another package.
 */
function dependencyNames(owner: unknown, fields: string[], major: number): string[] {
  const names: string[] = [];
  for (const fieldName of fields) {
    for (const [key, value] of pairs(field(owner, fieldName))) {
      // Importers of v6+ write `{specifier, version}`; older lockfiles the version alone.
      const resolved = isMap(value) ? text(value.version) : text(value);
      names.push(aliasTarget(key, resolved ?? '', major));
    }
  }
  return names;
}

function aliasTarget(key: string, resolved: string, major: number): string {
  if (resolved === '' || /^\d/.test(resolved)) return key;
  if (major < 9 && !resolved.startsWith('/')) return key;
  const parsed = parseDependencyPath(resolved, major);
  return parsed !== 'invalid' && parsed.name && parsed.version ? parsed.name : key;
}

function isMap(node: unknown): node is PlainMap {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function* pairs(node: unknown): Generator<[string, unknown]> {
  if (!isMap(node)) return;
  for (const key of Object.keys(node)) yield [key, node[key]];
}

function field(node: unknown, key: string): unknown {
  return isMap(node) ? node[key] : undefined;
}

function text(node: unknown): string | undefined {
  return typeof node === 'string' ? node : undefined;
}
