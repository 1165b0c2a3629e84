import { packageKey } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import type { LockInfo, ManifestInfo, ProjectIndex } from './index.js';

export type PhantomStatus =
  | { status: 'declared' }
  /** `manifests`: the files that were consulted (none when no manifest covers the file). */
  | { status: 'undeclared'; manifests: string[] }
  /** Installed only because another package depends on it: `chain` runs from the project to the import. */
  | { status: 'transitive-only'; manifests: string[]; lockfile: string; chain: string[] };

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

  constructor(private readonly index: ProjectIndex) {}

  status(ref: PackageRef): PhantomStatus | undefined {
    if (ref.source !== 'imported' || this.index.isLocal(ref)) return undefined;
    const key = packageKey(ref.ecosystem, ref.name);
    const candidates = [key, ...(ref.alternatives ?? []).map((name) => packageKey(ref.ecosystem, name))];
    if (ref.ecosystem === 'npm' && ref.typeOnly) candidates.push(typesPackage(ref.name));

    const docDeclared = this.index.documentDeclarations(ref);
    if (docDeclared) {
      return candidates.some((k) => docDeclared.has(k))
        ? { status: 'declared' }
        : { status: 'undeclared', manifests: [] };
    }

    const manifests = this.index.coveringManifests(ref.location.file, ref.ecosystem);
    if (manifests.some((m) => candidates.some((k) => m.declared.has(k)))) return { status: 'declared' };
    const files = manifests.map((m) => m.file);
    const lock = this.index.nearestLock(ref.location.file, ref.ecosystem);
    if (lock?.keys.has(key)) {
      return {
        status: 'transitive-only',
        manifests: files,
        lockfile: lock.file,
        chain: this.chain(lock, manifests, key),
      };
    }
    return { status: 'undeclared', manifests: files };
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
