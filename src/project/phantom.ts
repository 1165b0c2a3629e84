import { type Ecosystem, packageKey, typesPackage } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import type { Severity } from '../model/severity.js';
import type { PackageManager } from '../model/source.js';
import {
  ancestorsOf,
  type InstallLayout,
  type LockInfo,
  type ManifestInfo,
  type ProjectIndex,
} from './index.js';

/** What the finding needs to say how to declare the package with the project's own tool. */
export interface InstallTarget {
  manager?: PackageManager;
  /** The nearest manifest of the importing file (the project the package belongs in). */
  manifest?: ManifestInfo;
  /** Whether that manifest is a workspace member (not the root, not a standalone project). */
  workspaceMember: boolean;
  /** The version the lockfile installs, for a package to declare at the version already in use. */
  version?: string;
  /** The lockfile, or for Python the manifest kind, that decides the tool (`uv.lock`, `requirements.txt`). */
  via?: string;
  /**
   * npm: the importing file is published code of a package that ships type declarations, so even its
   * type-only imports reach the package's users (through the emitted `.d.ts`): a dependency, not a dev one.
   */
  shipsTypes?: boolean;
}

interface PhantomDetails {
  /** `manifests`: the files that were consulted (none when no manifest covers the file). */
  manifests: string[];
  /** A severity the layout decides over the kind's own (pnpm refuses what npm's hoisting lets load). */
  severity?: Severity;
  /** Why it loads anyway, or why it fails, in words. */
  note?: string;
  /** Other projects of the workspace that declare it. */
  declaredBy?: string[];
  install?: InstallTarget;
}

export type PhantomStatus =
  /**
   * `enclosing`: the file's own manifest does not declare it, an enclosing one does (this file); it loads
   * through the node_modules folder above (npm, yarn's node-modules linker, pnpm's links of that project).
   */
  | { status: 'declared'; enclosing?: string }
  | ({ status: 'undeclared' } & PhantomDetails)
  /**
   * Installed only because another package depends on it: `chain` runs from the project to the import,
   * per the lockfile, or for an answer (no lockfile) from the package it declares, per the registry.
   */
  | ({ status: 'transitive-only'; lockfile?: string; chain: string[] } & PhantomDetails);

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
    const declaring = manifests.find((m) => candidates.some((k) => m.declared.has(k)));
    const files = manifests.map((m) => m.file);
    const lock = this.index.nearestLock(ref.location.file, ref.ecosystem);
    if (declaring) {
      return ref.ecosystem === 'npm'
        ? this.enclosingStatus(ref, key, manifests, declaring, lock)
        : { status: 'declared' };
    }
    if (ref.ecosystem === 'npm') return this.npmStatus(ref, key, manifests, lock);
    const install = this.installTarget(ref, manifests, lock, key);
    if (lock?.keys.has(key) && !REFUSES_UNDECLARED_IMPORTS.has(ref.ecosystem)) {
      return {
        status: 'transitive-only',
        manifests: files,
        lockfile: lock.file,
        chain: this.chain(lock, this.rootKeys(lock, manifests, ref.location.file), manifests, key),
        install,
      };
    }
    return { status: 'undeclared', manifests: files, install };
  }

  /**
   * npm packages resolve the way the package manager laid node_modules out. With a hoisted layout (npm,
   * yarn classic, node-modules linkers) every locked package sits in the root node_modules, so a package
   * another workspace declares, or a dependency of a dependency, loads by accident (low). With pnpm's
   * isolated layout or yarn's Plug'n'Play, a file sees only what its own project and the projects above it
   * declare (and pnpm's publicly hoisted packages): anything else fails to load (medium).
   */
  private npmStatus(
    ref: PackageRef,
    key: string,
    manifests: ManifestInfo[],
    lock: LockInfo | undefined,
  ): PhantomStatus {
    const file = ref.location.file;
    const files = manifests.map((m) => m.file);
    const owner = this.index.unlinkedWorkspaceImport(ref);
    if (owner) {
      return {
        status: 'undeclared',
        manifests: files,
        install: this.installTarget(ref, manifests, lock, key),
        severity: 'medium',
        note: `a package of this workspace: it loads here through the workspace link, but ${owner.name ?? owner.file} is published without it, so its users do not get it`,
      };
    }
    const layout = this.index.installLayout(lock);
    const publiclyHoisted = layout.publicHoist.some((pattern) => globMatches(pattern, ref.name));
    const strict = layout.linker !== 'hoisted' && !publiclyHoisted;
    const tool = strictLoader(layout);
    const covering = new Set(files);
    const declaredBy = this.index
      .npmManifests()
      .filter((m) => !covering.has(m.file) && m.declared.has(key) && (!lock || isBelow(m.dir, lock.dir)))
      .map((m) => m.file)
      .sort();
    const install = this.installTarget(ref, manifests, lock, key);
    const details = { manifests: files, install };
    if (lock?.keys.has(key)) {
      const own = this.rootKeys(lock, manifests, file);
      const parents = this.parents(lock, own);
      if (parents.has(key)) {
        return {
          status: 'transitive-only',
          ...details,
          lockfile: lock.file,
          chain: this.pathTo(lock, parents, manifests, key),
          ...(strict
            ? { severity: 'medium', note: `${tool} does not let a package load what it does not declare` }
            : {}),
        };
      }
    }
    if (declaredBy.length > 0) {
      return {
        status: 'undeclared',
        ...details,
        declaredBy,
        severity: strict ? 'medium' : 'low',
        note: strict
          ? `only ${declaredBy.join(', ')} declare${declaredBy.length === 1 ? 's' : ''} it, and ${tool} does not let other packages load it`
          : `${declaredBy.join(', ')} declare${declaredBy.length === 1 ? 's' : ''} it; it loads here only because the install hoists it`,
      };
    }
    if (lock?.keys.has(key)) {
      if (strict)
        return {
          status: 'undeclared',
          ...details,
          note: `${lock.file} installs it only for other packages, and ${tool} does not let this one load it`,
        };
      const everyRoot = new Set<string>(lock.roots);
      for (const keys of lock.importers.values()) for (const k of keys) everyRoot.add(k);
      return {
        status: 'transitive-only',
        ...details,
        lockfile: lock.file,
        chain: this.pathTo(lock, this.parents(lock, everyRoot), manifests, key),
      };
    }
    return { status: 'undeclared', ...details };
  }

  /**
   * An npm import declared by a manifest that covers the file. When that is not the file's own manifest but
   * an enclosing one, the package loads through the node_modules above, except under Plug'n'Play (yarn's
   * default; pnpm's `node-linker=pnp` runs the same resolver), where a workspace loads only what its own
   * manifest declares: there it is undeclared (medium).
   */
  private enclosingStatus(
    ref: PackageRef,
    key: string,
    manifests: ManifestInfo[],
    declaring: ManifestInfo,
    lock: LockInfo | undefined,
  ): PhantomStatus {
    const own = manifests.find((m) => this.index.isManifestFile(m.file));
    if (!own || own === declaring) return { status: 'declared' };
    const layout = this.index.installLayout(lock);
    const workspace = lock?.importers.has(own.dir) === true;
    if (layout.linker === 'pnp' && workspace) {
      return {
        status: 'undeclared',
        manifests: manifests.map((m) => m.file),
        install: this.installTarget(ref, manifests, lock, key),
        declaredBy: [declaring.file],
        severity: 'medium',
        note: `declared by the enclosing ${declaring.file}, but ${strictLoader(layout)} lets ${own.name ?? own.dir} load only what ${own.file} declares`,
      };
    }
    return { status: 'declared', enclosing: declaring.file };
  }

  /** The project the fix goes into, and with which tool. */
  private installTarget(
    ref: PackageRef,
    manifests: ManifestInfo[],
    lock: LockInfo | undefined,
    key: string,
  ): InstallTarget {
    const manifest =
      ref.ecosystem === 'npm' ? manifests.find((m) => this.index.isManifestFile(m.file)) : manifests[0];
    const target: InstallTarget = {
      workspaceMember:
        manifest !== undefined && manifests.some((m) => m.isWorkspaceRoot && m.dir !== manifest.dir),
    };
    if (manifest) target.manifest = manifest;
    if (ref.ecosystem === 'npm') {
      const manager = this.index.installLayout(lock).manager;
      if (manager) target.manager = manager;
      if (this.index.publishedBy(ref.location.file)?.publishesTypes) target.shipsTypes = true;
    }
    if (lock) {
      target.via = lock.file;
      const version = lock.versions.get(key);
      if (version) target.version = version;
    } else if (manifest) target.via = manifest.file;
    return target;
  }

  /**
   * For a package locked in a lockfile, the chain through which the project gets it when it is not a direct
   * dependency: `[project, direct dependency, …, the package]`. Undefined for a direct dependency, a ref
   * outside a lockfile, or a package the lockfile's graph does not reach.
   */
  introducedBy(ref: PackageRef): string[] | undefined {
    if (ref.source !== 'locked') return undefined;
    const lock = this.index.nearestLock(ref.location.file, ref.ecosystem);
    const key = packageKey(ref.ecosystem, ref.name);
    if (!lock) return undefined;
    const manifests = this.index.coveringManifests(ref.location.file, ref.ecosystem);
    if (manifests.some((m) => m.declared.has(key))) return undefined;
    // A lockfile's own package: every importer of the lockfile (each workspace's direct dependencies) leads to it.
    const rootKeys = new Set(lock.roots);
    for (const keys of lock.importers.values()) for (const direct of keys) rootKeys.add(direct);
    // A lockfile that names no roots (composer.lock) starts from what the manifests around it declare.
    if (rootKeys.size === 0)
      for (const manifest of manifests) for (const direct of manifest.declared) rootKeys.add(direct);
    // A direct dependency's chain is [project, package]; one the graph does not reach has a gap.
    const chain = this.chain(lock, rootKeys, manifests, key);
    return chain.includes('…') || chain.length < 3 ? undefined : chain;
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

  /**
   * The direct dependencies a file's chains start from: those of the lockfile's importers that contain the
   * file (its own workspace and the root), and what the manifests covering it declare. A lockfile that keeps
   * no importers (npm v1, yarn classic, other ecosystems) gives its one set of roots.
   */
  private rootKeys(lock: LockInfo, manifests: ManifestInfo[], file: string): Set<string> {
    const keys = new Set<string>();
    if (lock.importers.size === 0) for (const key of lock.roots) keys.add(key);
    for (const dir of ancestorsOf(file)) for (const key of lock.importers.get(dir) ?? []) keys.add(key);
    // A declared package the lockfile does not hold leads nowhere: no edges start from it.
    for (const manifest of manifests) for (const key of manifest.declared) keys.add(key);
    return keys;
  }

  private parents(lock: LockInfo, rootKeys: Set<string>): Map<string, string | null> {
    const cacheKey = `${lock.file}\0${[...rootKeys].sort().join('\0')}`;
    let parents = this.parentsCache.get(cacheKey);
    if (!parents) {
      parents = breadthFirstParents(lock.edges, rootKeys);
      this.parentsCache.set(cacheKey, parents);
    }
    return parents;
  }

  /** Shortest path in the lockfile graph from the given direct dependencies to `target`. */
  private chain(lock: LockInfo, rootKeys: Set<string>, manifests: ManifestInfo[], target: string): string[] {
    return this.pathTo(lock, this.parents(lock, rootKeys), manifests, target);
  }

  private pathTo(
    lock: LockInfo,
    parents: Map<string, string | null>,
    manifests: ManifestInfo[],
    target: string,
  ): string[] {
    let project = manifests[0]?.name ?? (manifests[0] ? manifests[0].dir : lock.dir);
    if (!parents.has(target)) return [project, '…', lock.names.get(target) ?? target];
    const path: string[] = [];
    let first = target;
    // Every node on the way up is in `parents`: the walk ends at a root, whose parent is null.
    for (let node: string | null = target; node !== null; node = parents.get(node) ?? null) {
      path.unshift(lock.names.get(node) ?? node);
      first = node;
    }
    // A chain that starts in another workspace (hoisted there) names that workspace, not the importing one.
    const ownRoot = manifests.some((m) => m.declared.has(first));
    if (!ownRoot) {
      const importer = [...lock.importers].find(([, keys]) => keys.has(first))?.[0];
      if (importer !== undefined)
        project =
          this.index.manifests.get(importer)?.find((m) => m.ecosystem === lock.ecosystem)?.name ?? importer;
    }
    return [project, ...path];
  }
}

/** pnpm's hoist patterns: `*` matches any run of characters, everything else itself. */
function globMatches(pattern: string, name: string): boolean {
  // split gives at least one part.
  const [first, ...rest] = pattern.split('*') as [string, ...string[]];
  const last = rest.pop();
  if (last === undefined) return pattern === name;
  if (!name.startsWith(first)) return false;
  let at = first.length;
  for (const part of rest) {
    const found = name.indexOf(part, at);
    if (found === -1) return false;
    at = found + part.length;
  }
  return name.length - last.length >= at && name.endsWith(last);
}

/**
 * Whether a manifest's folder is below a lockfile's (paths are relative to the scanned folder, or absolute
 * outside it). The lockfile's own folder is never asked: its manifest covers every file the lockfile serves.
 */
function isBelow(dir: string, root: string): boolean {
  return root === '.' ? !dir.startsWith('/') : dir.startsWith(`${root}/`);
}

/** What refuses an undeclared import under a strict layout, as a note names it. */
function strictLoader(layout: InstallLayout): string {
  const yarn = layout.manager === 'yarn-berry';
  if (layout.linker === 'pnp') return yarn ? "yarn's Plug'n'Play" : "pnpm's Plug'n'Play";
  return yarn ? "yarn's pnpm linker" : 'pnpm';
}

/** Each package's parent on a shortest path from the roots (null for a root); ties go to the first root by name. */
function breadthFirstParents(edges: Map<string, string[]>, roots: Set<string>): Map<string, string | null> {
  const queue = [...roots].sort();
  const parents = new Map<string, string | null>(queue.map((root) => [root, null]));
  // The queue grows while it is read: a for-of over an array visits what is pushed during the loop.
  for (const node of queue) {
    for (const next of edges.get(node) ?? []) {
      if (parents.has(next)) continue;
      parents.set(next, node);
      queue.push(next);
    }
  }
  return parents;
}
