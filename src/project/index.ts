import { pushAll } from '../core/arrays.js';
import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { PackageRef, RefOrigin } from '../model/package-ref.js';
import type { NodeLinker, PackageManager, ProjectFact } from '../model/source.js';
import { isDevFile } from './dev-files.js';
import { FRAMEWORK_MODULES, isFrameworkModule } from './frameworks.js';
import { goModuleOf } from './go-modules.js';

/** The facts one file contributed, with the file they came from. */
export interface FileFacts {
  file: string;
  facts: ProjectFact[];
}

export interface ManifestInfo {
  file: string;
  dir: string;
  ecosystem: Ecosystem;
  name?: string;
  isWorkspaceRoot: boolean;
  /** npm: never published (`"private": true`). */
  private?: boolean;
  /** npm: the `files` entries of a published package. */
  files?: string[];
  /** npm: the package publishes type declarations (`types`, `typings`, a `types` condition of `exports`). */
  publishesTypes?: boolean;
  /** Package keys declared (production, dev, peer, optional; overrides are not declarations). */
  declared: Set<string>;
}

export interface LockInfo {
  file: string;
  dir: string;
  ecosystem: Ecosystem;
  edges: Map<string, string[]>;
  roots: string[];
  /** Every package key the lockfile holds. */
  keys: Set<string>;
  /** Display names by key. */
  names: Map<string, string>;
  /** The package manager that wrote it, when the format says. */
  manager?: PackageManager;
  /** Direct dependency keys of each project it installs, by the project's folder (as paths are shown). */
  importers: Map<string, Set<string>>;
  /** A version it installs of each package (the first it lists). */
  versions: Map<string, string>;
}

/**
 * What code next to a lockfile can import. `hoisted` (npm, yarn classic, yarn's and pnpm's node-modules
 * linkers, bun): every locked package sits in an ancestor node_modules, so an undeclared one still loads.
 * `isolated` (pnpm) and `pnp` (yarn berry's default): a project sees what it and its enclosing projects
 * declare, plus pnpm's publicly hoisted packages.
 */
export interface InstallLayout {
  manager?: PackageManager;
  linker: NodeLinker;
  /** Patterns of packages pnpm links into the root node_modules whoever depends on them. */
  publicHoist: string[];
}

/** pnpm's default `public-hoist-pattern` (before pnpm 10 made it empty): lint and format plugins. */
const PNPM_PUBLIC_HOIST = ['*eslint*', '*prettier*'];

/** A self-contained document (an assistant's answer): its declarations are its own. */
interface DocumentScope {
  declared: Map<Ecosystem, Set<string>>;
  ownNames: Set<string>;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

/** `a/b/c.py` → [`a/b`, `a`, `.`]; absolute paths end at `/`. */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  let dir = dirOf(path);
  for (;;) {
    out.push(dir);
    if (dir === '.' || dir === '/' || dir === '') return out;
    const parent = dirOf(dir);
    if (parent === dir) return out;
    dir = parent === '' ? '/' : parent;
  }
}

const DECLARING_SOURCES = new Set(['declared', 'installed']);
/**
 * Version facts that install nothing themselves: overrides, pip constraints, Maven dependencyManagement,
 * Gradle catalog entries.
 */
const NON_DECLARING_GROUPS = new Set(['override', 'constraint', 'managed', 'catalog']);

function isDeclaration(ref: PackageRef): boolean {
  return DECLARING_SOURCES.has(ref.source) && !ref.groups?.some((g) => NON_DECLARING_GROUPS.has(g));
}

/** The keys a declaration makes importable: its name, and the alias the code imports it under. */
function declaredKeys(ref: PackageRef): string[] {
  const key = packageKey(ref.ecosystem, ref.name);
  return ref.alias === undefined ? [key] : [key, packageKey(ref.ecosystem, ref.alias)];
}

/**
 * Ecosystems whose build gives code only the dependencies of its own package: a Cargo crate sees its
 * Cargo.toml, a Go package its module's go.mod, never the manifests of an enclosing project.
 */
const NEAREST_MANIFEST_ONLY: ReadonlySet<Ecosystem> = new Set(['Go', 'crates.io']);
/** A Python source file: as a manifest, a script with PEP 723 inline metadata (its own, no one else's). */
const PYTHON_SOURCE = /\.pyw?$/;

/**
 * What the project around each file looks like: manifests by folder, lockfile graphs, workspace package
 * names, import aliases, local Python modules, and the scopes of self-contained documents. Built once per
 * scan from extracted data; answers questions without further I/O.
 */
export class ProjectIndex {
  readonly manifests = new Map<string, ManifestInfo[]>();
  readonly locks = new Map<string, LockInfo[]>();
  private readonly lockByFile = new Map<string, LockInfo>();
  private readonly aliasPatterns = new Map<string, string[]>();
  private readonly localPackageNames = new Set<string>();
  /**
   * Python modules of the tree importable from anywhere: those in a folder that is not itself a package (no
   * `__init__.py`), which may be on `sys.path` (the project root, `src/`, a test folder a conftest adds).
   */
  private readonly pythonModules = new Set<string>();
  /** Every Python module and package of the tree, by the folder that holds it. */
  private readonly pythonModulesByDir = new Map<string, Set<string>>();
  private readonly documents = new Map<string, DocumentScope>();
  /** Files that are manifests (they gave a manifest fact), as opposed to scripts that install something. */
  private readonly manifestFiles = new Set<string>();
  /** The module paths of the project's own go.mod files. */
  private readonly goModules = new Set<string>();
  /** Module paths go.sum files lock, by folder. */
  private readonly goSums = new Map<string, Set<string>>();
  /** tsconfig `baseUrl` and babel `root` folders (as paths are shown), by the folder of their config. */
  private readonly moduleRoots = new Map<string, string[]>();
  /** Modules `declare module` makes up, by the folder of the package that declares them. */
  private readonly ambient = new Map<string, string[]>();
  /** Frameworks a config file names, by the config's folder. */
  private readonly frameworks = new Map<string, Set<string>>();
  /** Packages committed into the tree, by the folder whose node_modules holds them. */
  private readonly committed = new Map<string, Set<string>>();
  /** Every folder and every file (with and without its extension) met while walking. */
  private readonly treeEntries = new Set<string>();
  /**
   * What each npm declaration installs under the name code imports, by manifest file (or answer scope):
   * the target of an `npm:` alias, and where it comes from (a `file:`, `link:`, `workspace:`, git or URL
   * dependency is no registry package).
   */
  private readonly npmTargets = new Map<string, Map<string, { name: string; origin?: RefOrigin }>>();
  /** `.yarnrc.yml`, `.npmrc` and pnpm-workspace.yaml settings, by folder. */
  private readonly layouts = new Map<string, Extract<ProjectFact, { kind: 'install-layout' }>>();

  constructor(
    refs: PackageRef[],
    facts: FileFacts[],
    pythonSourcePaths: string[],
    tree: Iterable<string> = [],
  ) {
    for (const path of tree) {
      this.treeEntries.add(path);
      this.treeEntries.add(path.replace(/(?:\.d)?\.[^./]+$/, ''));
      for (const dir of ancestorsOf(path)) {
        if (this.treeEntries.has(dir)) break;
        this.treeEntries.add(dir);
      }
    }
    // Ambient declarations belong to the package around them, which is known once every manifest is.
    const ambient: [string, string[]][] = [];
    for (const { file, facts: list } of facts) {
      for (const fact of list) {
        if (fact.kind === 'ambient-modules') ambient.push([file, fact.patterns]);
        else this.addFact(file, fact);
      }
    }
    for (const [file, patterns] of ambient) {
      const owner =
        ancestorsOf(file).find((dir) => this.manifests.get(dir)?.some((m) => m.ecosystem === 'npm')) ?? '.';
      this.ambient.set(owner, [...(this.ambient.get(owner) ?? []), ...patterns]);
    }
    for (const ref of refs) {
      if (ref.scope !== undefined) {
        if (isDeclaration(ref) || ref.source === 'locked') {
          const declared = this.documentScope(ref.scope, ref.ecosystem);
          for (const key of declaredKeys(ref)) declared.add(key);
          if (ref.ecosystem === 'npm') this.recordTarget(ref.scope, ref);
        }
        continue;
      }
      if (ref.ecosystem === 'Go' && ref.source === 'locked') {
        const dir = dirOf(ref.location.file);
        this.goSums.set(dir, (this.goSums.get(dir) ?? new Set()).add(ref.name));
      }
      if (ref.source === 'locked' && ref.version !== undefined) {
        const versions = this.lockByFile.get(ref.location.file)?.versions;
        const key = packageKey(ref.ecosystem, ref.name);
        if (versions && !versions.has(key)) versions.set(key, ref.version);
      }
      if (!isDeclaration(ref)) continue;
      const key = packageKey(ref.ecosystem, ref.name);
      // A manifest that records its own graph (pip-compile output with `# via` notes) pins everything it
      // installs, but declares only its roots: the rest are there for other packages, as in a lockfile.
      const graph = this.lockByFile.get(ref.location.file);
      if (graph && graph.roots.length > 0 && !graph.roots.includes(key)) continue;
      const declared = this.manifestAt(ref.location.file, ref.ecosystem).declared;
      for (const k of declaredKeys(ref)) declared.add(k);
      if (ref.ecosystem === 'npm') this.recordTarget(ref.location.file, ref);
    }
    for (const ref of refs) {
      if (ref.source !== 'imported') continue;
      if (ref.ecosystem === 'Go') this.resolveGoImport(ref);
      else if (ref.ecosystem === 'npm') this.resolveNpmImport(ref);
    }
    const packages = new Set(
      pythonSourcePaths.filter((path) => /(?:^|\/)__init__\.pyi?$/.test(path)).map(dirOf),
    );
    for (const path of pythonSourcePaths) {
      const parts = path.split('/');
      for (const [i, part] of parts.entries()) {
        if (part === '.' || part === '..' || part === '') continue;
        const name = i === parts.length - 1 ? part.replace(/\.pyi?$/, '') : part;
        const dir = i === 0 ? '.' : parts.slice(0, i).join('/');
        const here = this.pythonModulesByDir.get(dir) ?? new Set<string>();
        here.add(name);
        this.pythonModulesByDir.set(dir, here);
        if (!packages.has(dir)) this.pythonModules.add(name);
      }
    }
  }

  private addFact(file: string, fact: ProjectFact): void {
    const dir = dirOf(file);
    switch (fact.kind) {
      case 'manifest': {
        const manifest = this.manifestAt(file, fact.ecosystem);
        this.manifestFiles.add(file);
        if (fact.ecosystem === 'Go' && fact.name) this.goModules.add(fact.name);
        if (fact.name) {
          manifest.name = fact.name;
          this.localPackageNames.add(`${fact.ecosystem}:${packageKey(fact.ecosystem, fact.name)}`);
        }
        if (fact.workspaces && fact.workspaces.length > 0) manifest.isWorkspaceRoot = true;
        if (fact.private) manifest.private = true;
        if (fact.files) manifest.files = fact.files;
        if (fact.types) manifest.publishesTypes = true;
        return;
      }
      case 'dependency-graph': {
        const edges = new Map<string, string[]>();
        const names = new Map<string, string>();
        const keyOf = (name: string) => {
          const key = packageKey(fact.ecosystem, name);
          if (!names.has(key)) names.set(key, name);
          return key;
        };
        for (const [from, to] of Object.entries(fact.edges)) {
          const key = keyOf(from);
          edges.set(key, [...(edges.get(key) ?? []), ...to.map(keyOf)]);
        }
        const roots = (fact.roots ?? []).map(keyOf);
        const importers = new Map<string, Set<string>>();
        for (const [folder, direct] of Object.entries(fact.importers ?? {}))
          importers.set(joinDir(dir, folder), new Set(direct.map(keyOf)));
        const lock: LockInfo = {
          file,
          dir,
          ecosystem: fact.ecosystem,
          edges,
          roots,
          keys: new Set(names.keys()),
          names,
          importers,
          versions: new Map(),
        };
        if (fact.manager) lock.manager = fact.manager;
        this.locks.set(dir, [...(this.locks.get(dir) ?? []), lock]);
        this.lockByFile.set(file, lock);
        return;
      }
      case 'import-aliases': {
        const fromRegexes = (fact.regexes ?? []).flatMap((regex) => patternOfRegex(regex) ?? []);
        this.aliasPatterns.set(dir, [
          ...(this.aliasPatterns.get(dir) ?? []),
          ...fact.patterns,
          ...fromRegexes,
        ]);
        return;
      }
      case 'install-layout': {
        this.layouts.set(dir, { ...this.layouts.get(dir), ...fact });
        return;
      }
      case 'module-roots': {
        const roots = fact.dirs.map((root) => normalisePath(joinDir(dir, root)));
        this.moduleRoots.set(dir, [...(this.moduleRoots.get(dir) ?? []), ...roots]);
        return;
      }
      case 'framework': {
        this.frameworks.set(dir, (this.frameworks.get(dir) ?? new Set()).add(fact.name));
        return;
      }
      case 'committed-packages': {
        this.committed.set(dir, new Set([...(this.committed.get(dir) ?? []), ...fact.names]));
        return;
      }
      case 'ambient-modules':
      case 'lint-ignores':
      case 'ignored-dependencies':
        return;
    }
  }

  private manifestAt(file: string, ecosystem: Ecosystem): ManifestInfo {
    const dir = dirOf(file);
    const list = this.manifests.get(dir) ?? [];
    let manifest = list.find((m) => m.file === file && m.ecosystem === ecosystem);
    if (!manifest) {
      manifest = { file, dir, ecosystem, isWorkspaceRoot: false, declared: new Set() };
      list.push(manifest);
      this.manifests.set(dir, list);
    }
    return manifest;
  }

  private documentScope(scope: string, ecosystem: Ecosystem): Set<string> {
    let doc = this.documents.get(scope);
    if (!doc) {
      doc = { declared: new Map(), ownNames: new Set() };
      this.documents.set(scope, doc);
    }
    let set = doc.declared.get(ecosystem);
    if (!set) {
      set = new Set();
      doc.declared.set(ecosystem, set);
    }
    return set;
  }

  /**
   * Go imports name packages, which belong to modules: the module is the longest module path go.mod requires
   * (or the answer installs) that prefixes the import (`goModuleOf`). The ref is renamed to it, so that
   * findings, advisories and registry checks speak of modules, and is no longer a guess. A module only go.sum
   * knows names the import too, which stays undeclared: the go command builds only what go.mod requires.
   * Imports of the project's own modules are left to `isLocal`.
   */
  private resolveGoImport(ref: PackageRef): void {
    const path = ref.importName ?? ref.name;
    if (goModuleOf(path, this.goModules) !== undefined) return;
    const declared =
      ref.scope === undefined
        ? this.coveringManifests(ref.location.file, 'Go').flatMap((m) => [...m.declared])
        : [...(this.documentDeclarations(ref) ?? [])];
    let module = goModuleOf(path, declared);
    if (module === undefined && ref.scope === undefined) {
      const locked = ancestorsOf(ref.location.file).find((dir) => this.goSums.has(dir));
      if (locked !== undefined) module = goModuleOf(path, this.goSums.get(locked)!);
    }
    if (module === undefined) return;
    ref.name = module;
    delete ref.inferred;
  }

  private recordTarget(owner: string, ref: PackageRef): void {
    const targets = this.npmTargets.get(owner) ?? new Map<string, { name: string; origin?: RefOrigin }>();
    this.npmTargets.set(owner, targets);
    const target = ref.origin === undefined ? { name: ref.name } : { name: ref.name, origin: ref.origin };
    targets.set(packageKey('npm', ref.alias ?? ref.name), target);
  }

  /**
   * An import of an `npm:` alias names the package the alias installs (`zod3` → `zod`), and an import of a
   * package declared from a folder, a workspace, git or a URL carries that origin, so that neither is
   * looked up in the registry under a name that is not its own there. The import keeps its specifier.
   */
  private resolveNpmImport(ref: PackageRef): void {
    const owners =
      ref.scope !== undefined
        ? [ref.scope]
        : this.coveringManifests(ref.location.file, 'npm').map((manifest) => manifest.file);
    for (const owner of owners) {
      const target = this.npmTargets.get(owner)?.get(packageKey('npm', ref.name));
      if (!target) continue;
      if (target.name !== ref.name) ref.name = target.name;
      if (target.origin !== undefined && target.origin !== 'registry') ref.origin = target.origin;
      return;
    }
  }

  /** Whether an import names something of the project itself rather than a package. */
  isLocal(ref: PackageRef): boolean {
    if (ref.source !== 'imported') return false;
    if (this.localPackageNames.has(`${ref.ecosystem}:${packageKey(ref.ecosystem, ref.name)}`))
      return this.unlinkedWorkspaceImport(ref) === undefined;
    if (ref.ecosystem === 'Go' && ref.importName !== undefined)
      return goModuleOf(ref.importName, this.goModules) !== undefined;
    if (ref.ecosystem === 'npm' && ref.importName !== undefined) return this.isLocalNpm(ref, ref.importName);
    if (ref.ecosystem === 'PyPI' && ref.scope === undefined && ref.importName !== undefined) {
      const top = ref.importName.split('.')[0] ?? '';
      if (this.pythonModules.has(top)) return true;
      // A module inside a package (`rich/emoji.py`) is importable on its own only next to the importing
      // file, or from a folder above it (or its `src/`) that a run puts on sys.path.
      for (const dir of ancestorsOf(ref.location.file))
        if (
          this.pythonModulesByDir.get(dir)?.has(top) ||
          this.pythonModulesByDir.get(joinDir(dir, 'src'))?.has(top)
        )
          return true;
    }
    return false;
  }

  /**
   * The package whose published code imports another package of the same workspace without declaring it
   * (`@emotion/react`'s `src/global.tsx` importing `@emotion/sheet`): it loads in the repository through the
   * workspace link, but the package's users install only what it declares. Code that is not published (a
   * private package, tests, scripts, stories, files outside `files`) may rely on the link.
   */
  unlinkedWorkspaceImport(ref: PackageRef): ManifestInfo | undefined {
    if (ref.ecosystem !== 'npm' || ref.scope !== undefined || ref.source !== 'imported') return undefined;
    if (!this.localPackageNames.has(`npm:${packageKey('npm', ref.name)}`)) return undefined;
    const manifests = this.coveringManifests(ref.location.file, 'npm');
    const owner = this.publishedBy(ref.location.file);
    if (!owner || owner.name === ref.name) return undefined;
    if (manifests.some((m) => m.declared.has(packageKey('npm', ref.name)))) return undefined;
    return owner;
  }

  /**
   * The npm package whose published code a file is: the nearest named manifest above it, not private, whose
   * `files` ship it, when the file is not a test, story, script or the like. Undefined for anything else.
   */
  publishedBy(file: string): ManifestInfo | undefined {
    const owner = this.coveringManifests(file, 'npm').find((m) => m.name !== undefined);
    if (!owner || owner.private) return undefined;
    const inside = owner.dir === '.' ? file : file.slice(owner.dir.length + 1);
    if (isDevFile(inside) || !isPublished(inside, owner.files)) return undefined;
    return owner;
  }

  /** Whether a file is a manifest (gave a manifest fact) rather than a script that installs something. */
  isManifestFile(file: string): boolean {
    return this.manifestFiles.has(file);
  }

  /**
   * An npm import the project itself resolves: a tsconfig `paths` or bundler alias, a folder or file under a
   * tsconfig `baseUrl` (or babel `root`), a module a `declare module` makes up, a module the framework's
   * build provides, a package committed into the tree. In an answer, only a known framework's modules.
   */
  private isLocalNpm(ref: PackageRef, specifier: string): boolean {
    if (ref.scope !== undefined)
      return FRAMEWORK_MODULES.some((f) => isFrameworkModule(f, specifier, ref.name, undefined));
    const file = ref.location.file;
    const bare = specifier.split('?')[0] ?? specifier;
    const first = ref.name.startsWith('@') ? ref.name : (bare.split('/')[0] ?? bare);
    const ancestors = ancestorsOf(file);
    for (const dir of ancestors) {
      for (const pattern of this.aliasPatterns.get(dir) ?? []) if (matchesAlias(pattern, bare)) return true;
      for (const root of this.moduleRoots.get(dir) ?? [])
        if (this.treeEntries.has(joinDir(root, bare)) || this.treeEntries.has(joinDir(root, first)))
          return true;
      for (const pattern of this.ambient.get(dir) ?? []) if (matchesAlias(pattern, bare)) return true;
      if (this.committed.get(dir)?.has(ref.name)) return true;
    }
    const lock = this.nearestLock(file, 'npm');
    const manifests = this.coveringManifests(file, 'npm');
    const named = new Set(ancestors.flatMap((dir) => [...(this.frameworks.get(dir) ?? [])]));
    for (const framework of FRAMEWORK_MODULES) {
      const used =
        named.has(framework.framework) ||
        manifests.some((m) => m.declared.has(framework.provider)) ||
        (lock?.keys.has(framework.provider) === true && ref.name.startsWith(framework.scope));
      if (
        used &&
        isFrameworkModule(framework, bare, ref.name, lock ? (name) => lock.keys.has(name) : undefined)
      )
        return true;
    }
    return false;
  }

  /** The scope of a self-contained document, if the ref belongs to one. */
  documentDeclarations(ref: PackageRef): Set<string> | undefined {
    if (ref.scope === undefined) return undefined;
    return this.documents.get(ref.scope)?.declared.get(ref.ecosystem) ?? new Set();
  }

  /**
   * The manifests that cover a file: for npm every package.json in its folder or above, nearest first (Node
   * looks a package up in every node_modules above the file, and each enclosing project installs its own
   * dependencies there); for Go and crates.io the nearest manifest (with any install script between it and
   * the file); for other ecosystems every manifest in the file's folder or above (Python projects keep
   * requirement files beside or above the code, often several).
   */
  coveringManifests(file: string, ecosystem: Ecosystem): ManifestInfo[] {
    if (ecosystem === 'PyPI') return this.pythonManifests(file);
    const out: ManifestInfo[] = [];
    for (const dir of ancestorsOf(file)) {
      const here = (this.manifests.get(dir) ?? []).filter((m) => m.ecosystem === ecosystem);
      if (NEAREST_MANIFEST_ONLY.has(ecosystem)) {
        pushAll(out, here);
        if (here.some((m) => this.manifestFiles.has(m.file))) return out;
        continue;
      }
      if (ecosystem !== 'npm') pushAll(out, here);
      // A package.json with no name and no dependencies (`{"type": "module"}` in dist/esm/) marks how the
      // files below it load, not a package: Node resolves their imports from the package above.
      else if (here.some((m) => m.name !== undefined || m.declared.size > 0 || m.isWorkspaceRoot))
        pushAll(out, here);
      if (ecosystem !== 'npm') {
        const nested = this.manifests.get(dir === '.' ? 'requirements' : `${dir}/requirements`) ?? [];
        pushAll(
          out,
          nested.filter((m) => m.ecosystem === ecosystem),
        );
      }
    }
    return out;
  }

  /**
   * The Python manifests of a file: a script's own PEP 723 block alone (it runs in an environment made from
   * it); otherwise the manifests in its folder and above (requirement files sit beside or above the code),
   * up to the nearest project (a pyproject.toml or setup.cfg that names one): a project is installed into
   * its own environment, where what an enclosing project declares is not, unless that one is a workspace
   * (uv) that the nested project belongs to.
   */
  private pythonManifests(file: string): ManifestInfo[] {
    const own = (this.manifests.get(dirOf(file)) ?? []).find(
      (m) => m.file === file && m.ecosystem === 'PyPI',
    );
    if (own) return [own];
    const out: ManifestInfo[] = [];
    let project = -1;
    for (const dir of ancestorsOf(file)) {
      const here = (this.manifests.get(dir) ?? []).filter(
        (m) => m.ecosystem === 'PyPI' && !PYTHON_SOURCE.test(m.file),
      );
      const nested = (this.manifests.get(dir === '.' ? 'requirements' : `${dir}/requirements`) ?? []).filter(
        (m) => m.ecosystem === 'PyPI',
      );
      pushAll(out, here);
      pushAll(out, nested);
      if (project === -1 && here.some((m) => m.name !== undefined)) project = out.length;
    }
    if (project === -1 || out.slice(project).some((m) => m.isWorkspaceRoot)) return out;
    return out.slice(0, project);
  }

  /**
   * How the nearest lockfile's package manager lays out node_modules, with the settings of its folder or
   * above (`.yarnrc.yml`, `.npmrc`, pnpm-workspace.yaml). Without a lockfile: npm's hoisted layout.
   */
  installLayout(lock: LockInfo | undefined): InstallLayout {
    const manager = lock?.manager;
    let settings: Extract<ProjectFact, { kind: 'install-layout' }> | undefined;
    if (lock) {
      for (const dir of ancestorsOf(`${lock.dir}/x`)) {
        settings = this.layouts.get(dir);
        if (settings) break;
      }
    }
    const defaultLinker: NodeLinker =
      manager === 'pnpm' ? 'isolated' : manager === 'yarn-berry' ? 'pnp' : 'hoisted';
    const linker =
      manager === 'pnpm' || manager === 'yarn-berry' ? (settings?.nodeLinker ?? defaultLinker) : 'hoisted';
    const layout: InstallLayout = {
      linker,
      publicHoist:
        manager === 'pnpm' && linker === 'isolated'
          ? (settings?.publicHoistPattern ?? PNPM_PUBLIC_HOIST)
          : [],
    };
    if (manager) layout.manager = manager;
    return layout;
  }

  /** The npm manifests of every project in the scan, by folder: the workspaces a package may come from. */
  npmManifests(): ManifestInfo[] {
    return [...this.manifests.values()].flat().filter((m) => m.ecosystem === 'npm' && m.declared.size > 0);
  }

  /** The nearest lockfile of the ecosystem in the file's folder or above. */
  nearestLock(file: string, ecosystem: Ecosystem): LockInfo | undefined {
    for (const dir of ancestorsOf(file)) {
      const lock = this.locks.get(dir)?.find((l) => l.ecosystem === ecosystem);
      if (lock) return lock;
    }
    return undefined;
  }
}

/**
 * Whether a package ships a file (its path inside the package): everything when `files` is absent, else
 * what an entry names (a folder, a file, or a glob read up to its first wildcard: `types/*.d.ts`).
 */
function isPublished(path: string, files: string[] | undefined): boolean {
  if (files === undefined) return true;
  return files.some((entry) => {
    const plain = entry.replace(/^\.\//, '').replace(/\/+$/, '');
    const star = plain.search(/[*?[{]/);
    if (star !== -1) return path.startsWith(plain.slice(0, star));
    return path === plain || path.startsWith(`${plain}/`);
  });
}

/** `a` + `b/c` → `a/b/c`; `.` stands for the folder itself on either side. */
export function joinDir(dir: string, relative: string): string {
  if (relative === '.' || relative === '') return dir;
  return dir === '.' ? relative : `${dir}/${relative}`;
}

/** `a/./b/../c` → `a/c`; a path that climbs above its start keeps its `..`. */
function normalisePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..' && out.length > 0 && out.at(-1) !== '..') out.pop();
    else out.push(part);
  }
  return out.length === 0 ? '.' : out.join('/');
}

/**
 * The alias pattern a jest `moduleNameMapper` key stands for, when it is a literal name or prefix
 * (`^@/(.*)$` → `@/*`, `^lodash-es$` → `lodash-es`); undefined for anything else (`\\.css$`). The regex is
 * read, never run: a project's regex is not trusted to finish.
 */
function patternOfRegex(regex: string): string | undefined {
  const match = /^\^((?:[\w@/~$#-]|\\[./@-])+)(\(\.\*\)|\.\*|\(\.\+\)|\.\+)?\$?$/.exec(regex);
  if (!match) return undefined;
  const literal = (match[1] ?? '').replace(/\\(.)/g, '$1');
  return match[2] === undefined ? literal : `${literal}*`;
}

/** tsconfig `paths` keys: `@/*` matches `@/x`; a key without `*` matches itself exactly. */
function matchesAlias(pattern: string, specifier: string): boolean {
  const star = pattern.indexOf('*');
  if (star === -1) return specifier === pattern;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return (
    specifier.length >= prefix.length + suffix.length &&
    specifier.startsWith(prefix) &&
    specifier.endsWith(suffix)
  );
}
