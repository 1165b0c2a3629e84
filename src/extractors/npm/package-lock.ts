import ignore from 'ignore';
import { getNodeValue, type Node } from 'jsonc-parser';
import { isObject } from '../../core/json.js';
import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { PackageManager, ProjectFact, SourceFile } from '../../model/source.js';
import {
  entries,
  type JsonDocument,
  lineOf,
  parseJson,
  property,
  rootObject,
  stringValue,
} from '../json-tree.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { installedName } from './spec.js';

const ID = 'npm/package-lock';

/**
 * package-lock.json and npm-shrinkwrap.json (same format): v1 nests `dependencies` with `requires`;
 * v2/v3 list every installed copy under `packages`, keyed by its path (`node_modules/a/node_modules/b`).
 */
export const packageLock: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => {
    const name = basename(path);
    return name === 'package-lock.json' || name === 'npm-shrinkwrap.json';
  },
  extract: (file) => reportDeepNesting(() => extractPackageLock(file)),
};

function extractPackageLock(file: SourceFile): ExtractResult {
  return fastPackageLock(file) ?? positionedPackageLock(file);
}

/**
 * The lockfiles npm writes (v2/v3, two-space indentation) read with JSON.parse, and each entry's line found by
 * its key's indentation: a positioned parse of every value cost seconds on a repository with a dozen large
 * lockfiles. The lines are used only when the keys found are exactly the entries JSON.parse returned, in
 * order; anything else (v1, comments, another layout, duplicate keys, a broken file) is read by the
 * positioned parser, which also words the errors.
 */
function fastPackageLock(file: SourceFile): ExtractResult | undefined {
  let root: unknown;
  try {
    root = JSON.parse(file.text);
  } catch {
    return undefined;
  }
  if (!isObject(root) || !isObject(root.packages)) return undefined;
  const lines = entryLines(file.text, Object.keys(root.packages));
  if (!lines) return undefined;
  const result: ExtractResult = { refs: [], errors: [], facts: [] };
  const collected = new LockedRefs();
  const graph = new GraphBuilder('npm');
  const list = Object.entries(root.packages).map(
    ([path, value], i): LockEntry => ({ path, value, line: lines[i]! }),
  );
  readPackages(list, file.path, collected, graph, result);
  result.refs = collected.refs();
  result.facts.push(graph.fact());
  return result;
}

/** A `packages` key as npm writes it: four spaces in, on a line of its own, before its colon. */
const ENTRY_KEY = /\n {4}"((?:[^"\\\n]|\\.)*)":/g;

/**
 * The line of each key of `packages`, in order, when the text is laid out as npm writes it; undefined when
 * the keys found at that indentation inside `packages` are not exactly `keys`.
 */
function entryLines(text: string, keys: readonly string[]): number[] | undefined {
  const start = /\n {2}"packages": \{/.exec(text);
  if (!start) return undefined;
  // The object closes at the next line that is a two-space `}`: deeper lines are indented further.
  const end = text.indexOf('\n  }', start.index + 1);
  if (end === -1) return undefined;
  const lines: number[] = [];
  let line = 1;
  let counted = 0;
  ENTRY_KEY.lastIndex = start.index + 1;
  for (let match = ENTRY_KEY.exec(text); match && match.index < end; match = ENTRY_KEY.exec(text)) {
    const i = lines.length;
    if (i >= keys.length || keyText(match[1]!) !== keys[i]) return undefined;
    for (
      let at = text.indexOf('\n', counted);
      at !== -1 && at <= match.index;
      at = text.indexOf('\n', at + 1)
    ) {
      line++;
      counted = at + 1;
    }
    lines.push(line);
  }
  return lines.length === keys.length ? lines : undefined;
}

/** A key as written (escapes and all) → its value. */
function keyText(raw: string): string | undefined {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
}

function positionedPackageLock(file: SourceFile): ExtractResult {
  const doc = parseJson(file.text);
  const result: ExtractResult = { refs: [], errors: doc.errors, facts: [] };
  const root = rootObject(doc, basename(file.path), result.errors);
  if (!root) return result;
  const collected = new LockedRefs();
  const graph = new GraphBuilder('npm');
  const packages = property(root, 'packages');
  const dependencies = property(root, 'dependencies');
  if (packages !== undefined) {
    if (packages.type === 'object')
      readPackages(
        [...entries(packages)].map(([path, node, offset]) => ({
          path,
          value: getNodeValue(node),
          line: lineOf(doc, offset),
        })),
        file.path,
        collected,
        graph,
        result,
      );
    else result.errors.push({ line: lineOf(doc, packages.offset), message: '"packages" is not an object' });
  } else if (dependencies !== undefined) {
    if (dependencies.type === 'object')
      readV1Dependencies(doc, [dependencies], file.path, collected, graph, result);
    else
      result.errors.push({
        line: lineOf(doc, dependencies.offset),
        message: '"dependencies" is not an object',
      });
  }
  result.refs = collected.refs();
  result.facts.push(graph.fact());
  return result;
}

// ─── v2 / v3: `packages` keyed by install path ─────────────────────────────────────────────────────────

/** One entry of `packages`: its key (the install path), its value and the line of its key. */
interface LockEntry {
  path: string;
  value: unknown;
  line: number;
}

interface InstalledEntry {
  path: string;
  value: Record<string, unknown>;
  line: number;
  /** The real package name: the `name` field (set for aliases and local packages) or the path's last name. */
  name: string;
  /** The name it is installed under, when that is an alias. */
  alias?: string;
  isLocal: boolean;
  isLink: boolean;
}

/** Dependency fields read for edges; the projects themselves (root, workspaces) also install dev. */
const INSTALLED_DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'];
const PROJECT_DEPENDENCY_FIELDS = [...INSTALLED_DEPENDENCY_FIELDS, 'devDependencies'];

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function readPackages(
  list: readonly LockEntry[],
  filePath: string,
  collected: LockedRefs,
  graph: GraphBuilder,
  result: ExtractResult,
) {
  const installed = new Map<string, InstalledEntry>();
  for (const { path, value, line } of list) {
    const installName = nameFromPath(path);
    const name = (isObject(value) ? text(value.name) : undefined) || installName;
    const problem = !isObject(value)
      ? 'is not an object'
      : path !== '' && name === ''
        ? 'names no package'
        : undefined;
    if (problem || !isObject(value)) {
      result.errors.push({ line, message: `${quoted(path)} ${problem}` });
      continue;
    }
    const isLocal = !path.split('/').includes('node_modules');
    const entry: InstalledEntry = { path, value, line, name, isLocal, isLink: value.link === true };
    if (!isLocal && name !== installName) entry.alias = installName;
    installed.set(path, entry);
  }

  const rootValue = installed.get('')?.value;
  const workspaceGlobs = stringList(rootValue?.workspaces);
  const isWorkspace = workspaceGlobs.length > 0 ? ignore().add(workspaceGlobs) : undefined;

  /** npm's lookup: the nearest `node_modules/<key>` from `fromPath` up to the project root. */
  const resolveName = (fromPath: string, key: string, spec: string | undefined): string => {
    let base = fromPath;
    for (;;) {
      const target = installed.get(base === '' ? `node_modules/${key}` : `${base}/node_modules/${key}`);
      if (target) {
        const linked = target.isLink ? installed.get(text(target.value.resolved) ?? '') : undefined;
        return (linked ?? target).name;
      }
      if (base === '') return installedName(key, spec);
      const parent = base.lastIndexOf('/node_modules/');
      base = parent === -1 ? '' : base.slice(0, parent);
    }
  };
  const dependencyNames = (entry: InstalledEntry, fields: string[]): string[] =>
    fields.flatMap((field) => {
      const dependencies = entry.value[field];
      return isObject(dependencies)
        ? Object.entries(dependencies).map(([key, spec]) => resolveName(entry.path, key, text(spec)))
        : [];
    });

  for (const entry of installed.values()) {
    // A link stands for the local folder it points at, which has its own entry.
    if (entry.isLink) continue;
    if (entry.path === '') {
      graph.addRoots(dependencyNames(entry, PROJECT_DEPENDENCY_FIELDS), '.');
      continue;
    }
    const workspace = entry.isLocal && isWorkspace?.ignores(entry.path) === true;
    if (workspace) graph.addRoots(dependencyNames(entry, PROJECT_DEPENDENCY_FIELDS), entry.path);
    graph.addEdges(
      entry.name,
      dependencyNames(entry, workspace ? PROJECT_DEPENDENCY_FIELDS : INSTALLED_DEPENDENCY_FIELDS),
    );

    const ref: PackageRef = {
      ecosystem: 'npm',
      name: entry.name,
      source: 'locked',
      extractor: ID,
      location: { file: filePath, line: entry.line },
      origin: 'registry',
    };
    const version = text(entry.value.version);
    if (version) ref.version = version;
    const resolved = text(entry.value.resolved);
    const commit = resolved === undefined ? undefined : commitOfResolved(resolved);
    if (entry.isLocal) {
      ref.origin = workspace ? 'workspace' : 'path';
      ref.url = entry.path;
    } else if (commit !== undefined) {
      ref.origin = 'git';
      ref.commit = commit;
      ref.url = resolved;
    } else if (resolved?.startsWith('file:')) {
      ref.origin = 'path';
      ref.url = resolved;
    }
    if (entry.alias !== undefined) ref.alias = entry.alias;
    const groups = packageGroups((key) => entry.value[key] === true);
    if (groups.length > 0) ref.groups = groups;
    collected.add(ref);
  }
}

/** `node_modules/a/node_modules/@s/b` → `@s/b`; a local folder `packages/x` → `x`. */
function nameFromPath(path: string): string {
  const parts = path.split('/');
  const last = parts.at(-1) ?? path;
  const parent = parts.at(-2);
  return parent?.startsWith('@') ? `${parent}/${last}` : last;
}

/** `flag(key)`: whether the entry sets `key` to true. */
function packageGroups(flag: (key: string) => boolean): string[] {
  const groups = flag('inBundle') ? ['bundled'] : [];
  if (flag('devOptional')) return [...groups, 'dev', 'optional'];
  if (flag('dev')) groups.push('dev');
  if (flag('optional')) groups.push('optional');
  return groups;
}

// ─── v1: nested `dependencies` ───────────────────────────────────────────────────────────────────────

/**
 * `scopes` is the chain of `dependencies` objects from the top level down to the current one: npm resolves a
 * `requires` key in the nearest of them, which is how an alias key finds the real package it installs.
 */
function readV1Dependencies(
  doc: JsonDocument,
  scopes: Node[],
  filePath: string,
  collected: LockedRefs,
  graph: GraphBuilder,
  result: ExtractResult,
) {
  const current = scopes.at(-1);
  for (const [key, node, offset] of entries(current)) {
    const problem = node.type !== 'object' ? 'is not an object' : key === '' ? 'names no package' : undefined;
    if (problem) {
      result.errors.push({ line: lineOf(doc, offset), message: `${quoted(key)} ${problem}` });
      continue;
    }
    const nested = property(node, 'dependencies');
    const chain = nested?.type === 'object' ? [...scopes, nested] : scopes;
    const written = stringValue(property(node, 'version')) ?? '';
    const ref: PackageRef = {
      ecosystem: 'npm',
      ...v1Target(key, written),
      source: 'locked',
      extractor: ID,
      location: { file: filePath, line: lineOf(doc, offset) },
    };
    const groups = packageGroups((key) => property(node, key)?.value === true);
    if (groups.length > 0) ref.groups = groups;
    collected.add(ref);

    const requires = [...entries(property(node, 'requires'))].map(([name, value]) =>
      resolveV1Name(chain, name, stringValue(value)),
    );
    const installedBelow = [...entries(nested)].map(([name]) => resolveV1Name(chain, name, undefined));
    graph.addEdges(ref.name, [...requires, ...installedBelow]);
    if (chain !== scopes) readV1Dependencies(doc, chain, filePath, collected, graph, result);
  }
}

type V1Target = Pick<PackageRef, 'name' | 'version' | 'origin' | 'url' | 'commit' | 'alias'>;

/** What a v1 `version` says: a version, `npm:real@version` (an alias), `file:`, a git URL or a tarball URL. */
function v1Target(key: string, written: string): V1Target {
  if (written.startsWith('npm:')) {
    const at = written.lastIndexOf('@');
    if (at > 4) return { ...v1Target(written.slice(4, at), written.slice(at + 1)), alias: key };
  }
  if (written.startsWith('file:')) return { name: key, origin: 'path', url: written };
  const commit = commitOfResolved(written);
  if (commit !== undefined) return { name: key, origin: 'git', url: written, commit };
  if (/^https?:/.test(written)) return { name: key, origin: 'url', url: written };
  return written ? { name: key, version: written, origin: 'registry' } : { name: key, origin: 'registry' };
}

/** Each `dependencies` object by key, built once: lookups from every package would otherwise be quadratic. */
const v1ScopeIndex = new WeakMap<Node, Map<string, Node>>();

function resolveV1Name(scopes: Node[], key: string, spec: string | undefined): string {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope === undefined) continue;
    let index = v1ScopeIndex.get(scope);
    if (!index) {
      index = new Map([...entries(scope)].map(([name, node]) => [name, node]));
      v1ScopeIndex.set(scope, index);
    }
    const found = index.get(key);
    if (found) return v1Target(key, stringValue(property(found, 'version')) ?? '').name;
  }
  return installedName(key, spec);
}

// ─── shared ──────────────────────────────────────────────────────────────────────────────────────────

function stringList(value: unknown): string[] {
  // `workspaces` is an array, or (yarn classic style) an object with a `packages` array.
  const list = isObject(value) ? value.packages : value;
  if (!Array.isArray(list)) return [];
  return list.filter((s): s is string => typeof s === 'string');
}

/**
 * JSON parsing (and the v1 walk) recurse once per nesting level: input nested deeper than the stack allows is
 * reported as an error instead of thrown.
 */
export function reportDeepNesting(extract: () => ExtractResult): ExtractResult {
  try {
    return extract();
  } catch (error) {
    if (!(error instanceof RangeError && error.message.includes('call stack'))) throw error;
    return { refs: [], errors: [{ line: 1, message: 'nested too deeply to read' }], facts: [] };
  }
}

/**
 * One ref per name, version and commit: a package installed at several places is one package. Groups merge
 * the way npm means them: any production occurrence makes it production, otherwise the union.
 */
export class LockedRefs {
  private readonly byKey = new Map<string, PackageRef>();

  add(ref: PackageRef): void {
    const key = `${ref.name}@${ref.version ?? ''}#${ref.commit ?? ''}`;
    const existing = this.byKey.get(key);
    if (!existing) {
      this.byKey.set(key, ref);
      return;
    }
    const merged = mergeGroups(existing.groups, ref.groups);
    if (merged) existing.groups = merged;
    else delete existing.groups;
  }

  refs(): PackageRef[] {
    return [...this.byKey.values()];
  }
}

function mergeGroups(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a?.length || !b?.length) return undefined;
  return [...new Set([...a, ...b])].sort();
}

/**
 * Collects a lockfile's dependency graph: every package appears as a key, even without dependencies. Roots
 * are kept per importer (the project folder, relative to the lockfile, that declares them), so that a
 * workspace's chains start from its own dependencies rather than from every workspace's.
 */
export class GraphBuilder {
  private readonly edges = new Map<string, Set<string>>();
  private readonly roots = new Set<string>();
  private readonly importers = new Map<string, Set<string>>();
  private hasRoots = false;

  constructor(private readonly manager: PackageManager) {}

  addEdges(from: string, to: Iterable<string>): void {
    let set = this.edges.get(from);
    if (!set) {
      set = new Set();
      this.edges.set(from, set);
    }
    for (const name of to) if (name !== from) set.add(name);
  }

  /** `importer`: the folder of the project that declares them, relative to the lockfile (`.` for its own). */
  addRoots(names: Iterable<string>, importer?: string): void {
    this.hasRoots = true;
    let own: Set<string> | undefined;
    if (importer !== undefined) {
      const dir = normaliseImporter(importer);
      own = this.importers.get(dir) ?? new Set();
      this.importers.set(dir, own);
    }
    for (const name of names) {
      this.roots.add(name);
      own?.add(name);
    }
  }

  fact(): Extract<ProjectFact, { kind: 'dependency-graph' }> {
    const edges: Record<string, string[]> = {};
    for (const [from, to] of this.edges) edges[from] = [...to];
    const fact: Extract<ProjectFact, { kind: 'dependency-graph' }> = {
      kind: 'dependency-graph',
      ecosystem: 'npm',
      edges,
      manager: this.manager,
    };
    if (this.hasRoots) fact.roots = [...this.roots];
    if (this.importers.size > 0)
      fact.importers = Object.fromEntries([...this.importers].map(([dir, names]) => [dir, [...names]]));
    return fact;
  }
}

/** `''`, `./`, `packages/a/` → `.`, `.`, `packages/a`. */
function normaliseImporter(dir: string): string {
  const trimmed = dir.replace(/^\.\//, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

const GIT_URL_SCHEME = /(?:^|@)(?:git(?:\+(?:ssh|https))?|ssh):\/\/./;
const HTTPS_AFTER_AT_OR_START = /(?:^|@)https:\/\/./;
const CODELOAD_TARBALL = /https:\/\/codeload\.github\.com(?:\/[\w.-]+){2}\/tar\.gz\/(\w+)$/;
const WORD = /^\w+$/;
const GIT_HOSTS = new Set(['bitbucket.org', 'github.com', 'gitlab.com']);

/**
 * The commit a resolved git source pins (`git+ssh://…#sha`, `…#commit=sha`, a GitHub codeload tarball,
 * `github:user/repo#sha`, `https://github.com/…?ref=sha`): the same cases osv-scalibr recognises. Written as
 * fragment checks rather than one backtracking pattern so that a megabyte-long value stays linear.
 */
export function commitOfResolved(resolved: string): string | undefined {
  const hash = resolved.lastIndexOf('#');
  if (hash > 0) {
    const before = resolved.slice(0, hash);
    const fragment = resolved.slice(hash + 1);
    if (WORD.test(fragment)) {
      if (GIT_URL_SCHEME.test(before)) return fragment;
      if (before.endsWith('.git') && HTTPS_AFTER_AT_OR_START.test(before)) return fragment;
    }
    const commitParam = /^commit[:=](\w+)$/.exec(fragment);
    if (commitParam) return commitParam[1];
    if (WORD.test(fragment) && /^(?:github|gitlab|bitbucket):./.test(before)) return fragment;
  }
  const codeload = CODELOAD_TARBALL.exec(resolved);
  if (codeload) return codeload[1];
  // canParse first: a thrown error per plain version would dominate the time on a large lockfile.
  if (!URL.canParse(resolved)) return undefined;
  const url = new URL(resolved);
  if (!GIT_HOSTS.has(url.host)) return undefined;
  if (url.search === '') return url.hash.slice(1) || undefined;
  return url.searchParams.get('ref') || undefined;
}
