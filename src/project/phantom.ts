import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import type { LockInfo, ManifestInfo, ProjectIndex } from './index.js';

export type PhantomStatus =
  | { status: 'declared' }
  /** `manifests`: the files that were consulted (none when no manifest covers the file). */
  | { status: 'undeclared'; manifests: string[] }
  /**
   * Installed only because another package depends on it: `chain` runs from the project to the import,
   * per the lockfile, or for an answer (no lockfile) from the package it declares, per the registry.
   */
  | { status: 'transitive-only'; manifests: string[]; lockfile?: string; chain: string[] };

/** Dependency keys of a package an answer (`scope`) declares, per the registry; undefined when unknown. */
export type DeclaredDependencies = (
  scope: string,
  ecosystem: Ecosystem,
  declaredKey: string,
) => readonly string[] | undefined;

/**
 * Cargo and the Go toolchain refuse to build an import of a crate or module the manifest does not require,
 * so there a package the lockfile holds only for others is as undeclared as an absent one.
 */
const REFUSES_UNDECLARED_IMPORTS: ReadonlySet<Ecosystem> = new Set<Ecosystem>(['crates.io', 'Go']);

/** `@types/node` for `node`, `@types/babel__core` for `@babel/core`. */
function typesPackage(name: string): string {
  return name.startsWith('@') ? `@types/${name.slice(1).replace('/', '__')}` : `@types/${name}`;
}

/**
 * Whether an imported package is declared where the importing file can see it; when not, whether the
 * nearest lockfile installs it anyway as a dependency of a dependency, and through which chain.
 */
export class PhantomResolver {
  private readonly parentsCache = new Map<string, Map<string, string | null>>();

  constructor(
    private readonly index: ProjectIndex,
    private readonly dependenciesOf?: DeclaredDependencies,
  ) {}

  status(ref: PackageRef): PhantomStatus | undefined {
    if (ref.source !== 'imported' || this.index.isLocal(ref)) return undefined;
    if (ref.ecosystem === 'Maven') return this.javaStatus(ref);
    const key = packageKey(ref.ecosystem, ref.name);
    const candidates = [key, ...(ref.alternatives ?? []).map((name) => packageKey(ref.ecosystem, name))];
    if (ref.ecosystem === 'npm' && ref.typeOnly) candidates.push(typesPackage(ref.name));

    const docDeclared = this.index.documentDeclarations(ref);
    if (docDeclared) {
      if (candidates.some((k) => docDeclared.has(k))) return { status: 'declared' };
      const scope = ref.scope;
      const via =
        scope === undefined || !this.dependenciesOf
          ? undefined
          : [...docDeclared]
              .sort()
              .find((declared) => this.dependenciesOf!(scope, ref.ecosystem, declared)?.includes(key));
      return via === undefined
        ? { status: 'undeclared', manifests: [] }
        : { status: 'transitive-only', manifests: [], chain: [via, ref.name] };
    }

    const manifests = this.index.coveringManifests(ref.location.file, ref.ecosystem);
    if (manifests.some((m) => candidates.some((k) => m.declared.has(k)))) return { status: 'declared' };
    const files = manifests.map((m) => m.file);
    const lock = this.index.nearestLock(ref.location.file, ref.ecosystem);
    if (lock?.keys.has(key) && !REFUSES_UNDECLARED_IMPORTS.has(ref.ecosystem)) {
      return {
        status: 'transitive-only',
        manifests: files,
        lockfile: lock.file,
        chain: this.chain(lock, manifests, key),
      };
    }
    return { status: 'undeclared', manifests: files };
  }

  /**
   * A Java import names a package, which no table maps to an artifact, so it cannot be matched against
   * declarations. Only an answer that imports a library while declaring no Maven or Gradle dependency at
   * all is reported (the ref is inferred); repositories are not checked.
   */
  private javaStatus(ref: PackageRef): PhantomStatus | undefined {
    const docDeclared = this.index.documentDeclarations(ref);
    if (!docDeclared) return undefined;
    return docDeclared.size > 0 ? { status: 'declared' } : { status: 'undeclared', manifests: [] };
  }

  /** Shortest path in the lockfile graph from the project's direct dependencies to `target`. */
  private chain(lock: LockInfo, manifests: ManifestInfo[], target: string): string[] {
    const rootKeys = new Set<string>(lock.roots);
    for (const manifest of manifests)
      for (const key of manifest.declared) if (lock.keys.has(key)) rootKeys.add(key);
    const cacheKey = `${lock.file}\0${[...rootKeys].sort().join('\0')}`;
    let parents = this.parentsCache.get(cacheKey);
    if (!parents) {
      parents = breadthFirstParents(lock.edges, rootKeys);
      this.parentsCache.set(cacheKey, parents);
    }
    const project = manifests[0]?.name ?? (manifests[0] ? manifests[0].dir : lock.dir);
    const path: string[] = [];
    let node: string | null | undefined = target;
    if (!parents.has(target)) return [project, '…', lock.names.get(target) ?? target];
    while (node !== null && node !== undefined) {
      path.unshift(lock.names.get(node) ?? node);
      node = parents.get(node);
    }
    return [project, ...path];
  }
}

function breadthFirstParents(edges: Map<string, string[]>, roots: Set<string>): Map<string, string | null> {
  const parents = new Map<string, string | null>();
  const queue: string[] = [];
  for (const root of [...roots].sort()) {
    parents.set(root, null);
    queue.push(root);
  }
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of edges.get(node) ?? []) {
      if (parents.has(next)) continue;
      parents.set(next, node);
      queue.push(next);
    }
  }
  return parents;
}
