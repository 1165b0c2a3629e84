import type { Ecosystem } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';

/**
 * manifest / lockfile: project files whose refs are declarations or locked versions.
 * source: code whose imports are checked against the declarations.
 * document: a self-contained text (an assistant's answer) that forms its own scope.
 */
export type ExtractorKind = 'manifest' | 'lockfile' | 'source' | 'document';

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

export interface ExtractResult {
  refs: PackageRef[];
  errors: ExtractError[];
  facts: ProjectFact[];
}

/** Code embedded in a document, to be handed to the extractor its file name selects. */
export interface Snippet {
  /** A file name that selects the extractor: `package.json`, `snippet.py`, `snippet.sh`, `requirements.txt`. */
  filename: string;
  text: string;
  /** Line of the host document on which the snippet's first line stands. */
  line: number;
}

export interface ExtractContext {
  /**
   * Another file named by this one (a `-r other.txt` include), resolved relative to it. The core reads it
   * with the same limits as any input; undefined when it cannot (the reason is recorded by the core).
   */
  readRelative(from: SourceFile, relativePath: string): SourceFile | undefined;
  /** Extract a snippet of a document with the extractor its file name selects; locations map to the host. */
  extractSnippet(host: SourceFile, snippet: Snippet): ExtractResult;
  /** Extra Python import → distribution mappings from the user's configuration. */
  pythonImportMap: ReadonlyMap<string, string>;
}

export interface Extractor {
  /** Stable id `ecosystem/format`, e.g. `npm/package-lock`. */
  id: string;
  ecosystem?: Ecosystem;
  kind: ExtractorKind;
  /** Whether this extractor reads the file at `path` (`/`-separated), decided from the path alone. */
  matches(path: string): boolean;
  /** Loads what the parser needs (a wasm grammar); called once before the first `extract`. */
  init?(): Promise<void>;
  /** Must not throw for bad input: problems go into `errors`. The core still guards against bugs. */
  extract(file: SourceFile, ctx: ExtractContext): ExtractResult;
}

export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}
