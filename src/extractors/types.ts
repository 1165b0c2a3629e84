import type { Ecosystem } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import type { ExtractError, ProjectFact, SourceFile } from '../model/source.js';

/**
 * manifest / lockfile: project files whose refs are declarations or locked versions.
 * source: code whose imports are checked against the declarations.
 * document: a self-contained text (an assistant's answer) that forms its own scope.
 */
export type ExtractorKind = 'manifest' | 'lockfile' | 'source' | 'document';

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

/** An included file as read, or why it was not: missing, refused, not a regular file, too large, binary. */
export type Included = SourceFile | { error: string; refused?: true };

export interface ExtractContext {
  /**
   * Another file named by this one (a `-r other.txt` include), resolved relative to it. The core reads it
   * with the same limits as any input, and refuses one that leads (after symlinks) out of the scanned folder
   * or into version-control metadata, one named by an answer, and anything but a regular file. An extractor
   * reports the error for an include the file names, and ignores it for a file it only looks for.
   */
  readRelative(from: SourceFile, relativePath: string): Included;
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
