/**
 * `scan()`, the library's one entry point: the pipeline as named stages, each in its own module —
 * plan the inputs → extract → index the project → resolve facts → analyze → assemble.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Logger, silentLogger } from '../core/log.js';
import { DEFAULT_MAX_FILE_SIZE } from '../inputs/walk.js';
import type { ScanResult } from '../model/result.js';
import type { SourceFile } from '../model/source.js';
import { ProjectIndex } from '../project/index.js';
import { PhantomResolver } from '../project/phantom.js';
import type { RegistryOptions } from '../registry/resolve.js';
import { analyze } from './analyze.js';
import { assemble } from './assemble.js';
import { extractFiles } from './extract.js';
import { planInputs, STDIN } from './plan.js';
import { resolveFacts } from './resolve.js';

export { STDIN } from './plan.js';

export interface ScanOptions {
  /** Paths are shown relative to it, and manifests above an input are looked for up to it. Default: cwd. */
  cwd?: string;
  /** Files larger than this are skipped, and reported as skipped. Default 10 MiB. */
  maxFileSize?: number;
  /** Honour .gitignore files while walking folders. Default true. */
  gitignore?: boolean;
  /** gitignore-style patterns of paths not to scan. */
  exclude?: string[];
  /** Scan markdown and text documents found while walking folders as answers. Default false. */
  includeDocuments?: boolean;
  /** Text of standard input, for the input `-`. */
  stdin?: string;
  /** What standard input is (`package.json`, `app.py`); default: an assistant's answer. */
  stdinFilename?: string;
  /**
   * Answers already in memory (`check` reads them out of conversations), scanned as documents besides the
   * inputs. `path` names the answer: its refs and findings carry it as their file and scope; unique.
   */
  documents?: readonly SourceFile[];
  /** Extra Python import name → distribution name mappings. */
  pythonImportMap?: Record<string, string>;
  /** The vulnerability database (`vouch db update`), or false for none. Default: `<cache>/osv.sqlite`. */
  database?: string | false;
  /** A database older than this (ms) makes the scan warn. Default 7 days. */
  maxDatabaseAge?: number;
  /**
   * Registry checks (nonexistent, unknown-version, suspicious-new, typosquat, deprecated, yanked,
   * outdated) and their settings, or false for none. Off unless given: the library touches the network
   * only when asked to (the CLI asks by default).
   */
  registry?: RegistryOptions | false;
  /** Never touch the network: registry checks answer from the cache only (and run even if `registry` is unset). */
  offline?: boolean;
  logger?: Logger;
}

/** Everything the CLI does, without printing anything. */
export async function scan(inputs: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const cwd = resolve(options.cwd ?? process.cwd());
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const logger = options.logger ?? silentLogger;

  const plan = planInputs(inputs, {
    cwd,
    maxFileSize,
    gitignore: options.gitignore ?? true,
    exclude: options.exclude ?? [],
    includeDocuments: options.includeDocuments === true,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(options.stdinFilename !== undefined ? { stdinFilename: options.stdinFilename } : {}),
    documents: options.documents ?? [],
  });
  const extraction = await extractFiles(plan, {
    cwd,
    maxFileSize,
    pythonImportMap: options.pythonImportMap ?? {},
    logger,
  });
  const index = new ProjectIndex(extraction.refs, extraction.facts, extraction.pythonSources);
  const refs = extraction.refs.filter((ref) => !index.isLocal(ref));
  const phantomWithoutRegistry = new PhantomResolver(index);
  const facts = await resolveFacts(refs, phantomWithoutRegistry, {
    ...options,
    cwd,
    scanRoots: scanRoots(inputs, cwd),
    logger,
  });
  const analysis = analyze(
    {
      refs,
      phantom: facts.registry
        ? new PhantomResolver(index, facts.registry.dependenciesIn)
        : phantomWithoutRegistry,
      advisories: facts.advisories,
      registry: facts.registry,
      documents: extraction.documents,
    },
    facts,
    extraction.targetFiles,
    logger,
  );
  return assemble(inputs, plan, extraction, refs, facts, analysis, performance.now() - started);
}

/** The folders the inputs name: a folder itself, a file's folder. */
function scanRoots(inputs: readonly string[], cwd: string): string[] {
  return inputs
    .filter((input) => input !== STDIN)
    .map((input) => {
      const path = resolve(cwd, input);
      try {
        return statSync(path).isDirectory() ? path : dirname(path);
      } catch {
        return dirname(path);
      }
    });
}
