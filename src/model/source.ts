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
}

/**
 * Facts about the project that are not package references but that the phantom checks need.
 * The file a fact came from is known to the core; facts do not repeat it.
 */
export type ProjectFact =
  /** A manifest: the package's own name (never an import of a dependency) and its workspace globs. */
  | { kind: 'manifest'; ecosystem: Ecosystem; name?: string; workspaces?: string[] }
  /**
   * A lockfile's dependency graph by package name: `edges[name]` are the names `name` depends on;
   * `roots` the direct dependencies of the project (or of each importer), when the lockfile records them.
   */
  | { kind: 'dependency-graph'; ecosystem: Ecosystem; roots?: string[]; edges: Record<string, string[]> }
  /** Import specifiers that are not packages: tsconfig `paths` patterns such as `@/*`. */
  | { kind: 'import-aliases'; ecosystem: Ecosystem; patterns: string[] };
