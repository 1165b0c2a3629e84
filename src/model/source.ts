/** A file as extractors read it, the problems they report in it, and the project facts they find. */
import type { Ecosystem } from './ecosystem.js';

export interface SourceFile {
  /** Path as shown to the user: relative to the working directory, `/`-separated; `<stdin>` for stdin. */
  path: string;
  text: string;
}

/** A problem in one file. The file is the one being extracted; lines are 1-based. */
export interface ExtractError {
  line?: number;
  column?: number;
  message: string;
  /** Worth saying, but no failure of the scan (an alias map that could not be read statically). */
  warning?: boolean;
}

/**
 * Facts about the project that are not package references but that the phantom checks need.
 * The file a fact came from is known to the core; facts do not repeat it.
 */
export type ProjectFact =
  /** A manifest: the package's own name (never an import of a dependency) and its workspace globs. */
  | {
      kind: 'manifest';
      ecosystem: Ecosystem;
      name?: string;
      workspaces?: string[];
      /** npm: `"private": true`, a package never published. */
      private?: boolean;
      /** npm: the `files` entries, what a published package ships. */
      files?: string[];
      /** npm: it publishes type declarations (`types`/`typings`, or a `types` condition in `exports`). */
      types?: boolean;
    }
  /**
   * A lockfile's dependency graph by package name: `edges[name]` are the names `name` depends on;
   * `roots` the direct dependencies of the project (or of each importer), when the lockfile records them.
   */
  | {
      kind: 'dependency-graph';
      ecosystem: Ecosystem;
      roots?: string[];
      edges: Record<string, string[]>;
      /**
       * The direct dependencies of each project the lockfile installs (pnpm `importers`, npm's workspace
       * entries in `packages`, yarn berry's and bun's workspaces), by folder relative to the lockfile (`.`).
       */
      importers?: Record<string, string[]>;
      /** The package manager that wrote the lockfile: it decides what code can resolve. */
      manager?: PackageManager;
    }
  /**
   * Import specifiers that are not packages: tsconfig `paths` patterns such as `@/*`, bundler aliases,
   * package.json `browser` replacements. `regexes` are jest `moduleNameMapper` keys.
   */
  | { kind: 'import-aliases'; ecosystem: Ecosystem; patterns: string[]; regexes?: string[] }
  /** Folders (relative to the file's own) whose files and subfolders are importable by bare name: tsconfig `baseUrl`. */
  | { kind: 'module-roots'; ecosystem: Ecosystem; dirs: string[] }
  /** Modules a declaration file declares (`declare module 'virtual:thing'`, `declare module '*.vue'`). */
  | { kind: 'ambient-modules'; ecosystem: Ecosystem; patterns: string[] }
  /**
   * Paths the project keeps out of its own lint (ESLint `ignores`, `.eslintignore`), as gitignore patterns
   * relative to the folder of the file that says so: a parse error there is no gate failure.
   */
  | {
      kind: 'lint-ignores';
      ecosystem: Ecosystem;
      patterns: string[];
      /** Who says so: ESLint when absent, else tsconfig.json's `exclude` or knip's `ignore`. */
      by?: 'tsconfig' | 'knip';
    }
  /**
   * Dependencies the project's own knip configuration tells knip not to report (`ignoreDependencies`), for
   * the files below the file's folder. Honoured like an inline suppression, for phantom findings only.
   */
  | { kind: 'ignored-dependencies'; ecosystem: Ecosystem; names: string[]; by: 'knip' }
  /** A framework whose build provides virtual modules (Docusaurus' `@theme/*`), found from its config file. */
  | { kind: 'framework'; ecosystem: Ecosystem; name: string }
  /** How the package manager lays out node_modules: `.yarnrc.yml` `nodeLinker`, pnpm's hoisting settings. */
  | {
      kind: 'install-layout';
      ecosystem: Ecosystem;
      nodeLinker?: NodeLinker;
      /** pnpm's `public-hoist-pattern` (`shamefully-hoist` is `*`). */
      publicHoistPattern?: string[];
    }
  /** Packages committed into the tree (`dir/node_modules/pkg/`), importable from the files below `dir`. */
  | { kind: 'committed-packages'; ecosystem: Ecosystem; names: string[] };

/** The tool that installs an npm project: each lays node_modules out its own way. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-berry' | 'bun';

/** `isolated`: each package sees only what it declares (pnpm, yarn PnP); `hoisted`: npm's flat tree. */
export type NodeLinker = 'isolated' | 'hoisted' | 'pnp';
