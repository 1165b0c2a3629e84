/**
 * Stage 2, extract: every planned file through its extractor, into package references and project facts.
 * Includes (`-r other.txt`) are read through the context with the same limits as any input; an answer's
 * code blocks go back through the extractor their file name selects. A throwing extractor costs its file,
 * never the scan.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { describeError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { quoted } from '../extractors/quote.js';
import { EXTRACTORS, extractorFor } from '../extractors/registry.js';
import type { ExtractContext, Extractor, ExtractResult, Included } from '../extractors/types.js';
import { displayPath, readTextFile } from '../inputs/walk.js';
import type { PackageRef } from '../model/package-ref.js';
import { type FileError, SKIP_REASONS } from '../model/result.js';
import type { SourceFile } from '../model/source.js';
import type { FileFacts } from '../project/index.js';
import type { ScanPlan } from './plan.js';

/**
 * Longer error messages are cut: extractors quote the token an error is about, never more, and this is the
 * net under any that would quote a whole line of a hostile file.
 */
const MAX_ERROR_LENGTH = 300;

/**
 * Errors kept per file: a file of garbage gives one per character to some parsers, and a report of
 * hundreds of thousands of lines says nothing the first ones do not. The rest are counted in one more.
 */
const MAX_ERRORS_PER_FILE = 100;

/** No registry allows names near this long (npm: 214); longer ones are refused before any check sees them. */
const MAX_NAME_LENGTH = 512;

export interface ExtractSettings {
  cwd: string;
  maxFileSize: number;
  pythonImportMap: Record<string, string>;
  logger: Logger;
}

export interface Extraction {
  refs: PackageRef[];
  facts: FileFacts[];
  /** Files whose packages and findings are reported (not context). */
  targetFiles: Set<string>;
  pythonSources: string[];
  /** The answers scanned, by path: their texts are evidence for the disclosure check. */
  documents: Map<string, string>;
  errors: FileError[];
  /** Problems worth saying that fail nothing, as `file:line: message`. */
  warnings: string[];
  bytesScanned: number;
}

export async function extractFiles(plan: ScanPlan, settings: ExtractSettings): Promise<Extraction> {
  const { files } = plan;
  const used = new Set(files.map((p) => p.extractor));
  if (files.some((p) => p.extractor.kind === 'document')) for (const e of EXTRACTORS) used.add(e);
  for (const extractor of used) await extractor.init?.();

  const context = extractContext(plan, settings);
  const out: Extraction = {
    refs: [],
    facts: [],
    targetFiles: new Set(),
    pythonSources: [],
    documents: new Map(),
    errors: [],
    warnings: [],
    bytesScanned: 0,
  };
  for (const [i, file] of files.entries()) {
    const result = runExtractor(file.extractor, file.source, context);
    if (file.role === 'target') {
      out.targetFiles.add(file.source.path);
      out.bytesScanned += file.source.text.length;
      if (file.extractor.kind === 'document') out.documents.set(file.source.path, file.source.text);
    }
    if (file.extractor.id === 'pypi/imports') out.pythonSources.push(file.source.path);
    if (file.extractor.kind === 'document') for (const ref of result.refs) ref.scope ??= file.source.path;
    for (const ref of result.refs) {
      if (ref.name.length <= MAX_NAME_LENGTH) out.refs.push(ref);
      else
        result.errors.push({
          line: ref.location.line,
          message: `a package name longer than ${MAX_NAME_LENGTH} characters (${quoted(ref.name, 40)}): not checked`,
        });
    }
    if (result.facts.length > 0) out.facts.push({ file: file.source.path, facts: result.facts });
    if (result.errors.length > MAX_ERRORS_PER_FILE) {
      const more = result.errors.length - MAX_ERRORS_PER_FILE;
      result.errors.length = MAX_ERRORS_PER_FILE;
      result.errors.push({
        message: `and ${more} more error${more === 1 ? '' : 's'} in this file, not listed`,
      });
    }
    for (const { warning, ...error } of result.errors) {
      const message =
        error.message.length > MAX_ERROR_LENGTH
          ? `${error.message.slice(0, MAX_ERROR_LENGTH)}…`
          : error.message;
      if (warning)
        out.warnings.push(
          `${file.source.path}${error.line === undefined ? '' : `:${error.line}`}: ${message}`,
        );
      else out.errors.push({ file: file.source.path, ...error, message, extractor: file.extractor.id });
    }
    if (i % 200 === 0) settings.logger.progress({ task: 'scan', done: i + 1, total: files.length });
  }
  settings.logger.progress({ task: 'scan', done: files.length, total: files.length });
  dedupeRefs(out.refs);
  return out;
}

/** Folders whose files are a tool's own state, never a project's: an include there reads secrets, not requirements. */
const VCS_FOLDERS = new Set(['.git', '.hg', '.svn']);

/**
 * An include as the core allows it: resolved against the including file, followed through symlinks, and
 * refused unless it stays inside the including file's root (the folder scanned; the repository for a context
 * manifest) and out of version-control metadata; then read like any file (regular files only, size-bounded).
 */
function readInclude(
  plan: ScanPlan,
  settings: ExtractSettings,
  from: SourceFile,
  relativePath: string,
): Included {
  const { cwd, maxFileSize } = settings;
  const root = plan.rootByPath.get(from.path);
  if (root === undefined) return { error: 'refused: an answer cannot include files', refused: true };
  const base = plan.absByPath.get(from.path) ?? join(cwd, from.path);
  const abs = resolve(dirname(base), relativePath);
  let real: string;
  try {
    real = realpathSync.native(abs);
  } catch {
    return { error: 'no such file' };
  }
  const inside = relative(root, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return { error: 'refused: it leads out of the scanned folder', refused: true };
  if (inside.split(sep).some((part) => VCS_FOLDERS.has(part)))
    return { error: 'refused: it is inside version-control metadata', refused: true };
  const outcome = readTextFile(real, maxFileSize);
  if ('skip' in outcome) return { error: SKIP_REASONS[outcome.skip] };
  const path = displayPath(abs, cwd);
  plan.absByPath.set(path, abs);
  plan.rootByPath.set(path, root);
  return { path, text: outcome.text };
}

function extractContext(plan: ScanPlan, settings: ExtractSettings): ExtractContext {
  const pythonImportMap = new Map(Object.entries(settings.pythonImportMap));
  const context: ExtractContext = {
    pythonImportMap,
    readRelative: (from, relativePath) => readInclude(plan, settings, from, relativePath),
    extractSnippet(host, snippet) {
      const extractor = extractorFor(snippet.filename);
      if (!extractor || extractor.kind === 'document') return { refs: [], errors: [], facts: [] };
      const inner = runExtractor(extractor, { path: snippet.filename, text: snippet.text }, snippetContext);
      const shift = snippet.line - 1;
      for (const ref of inner.refs) {
        ref.location = { ...ref.location, file: host.path };
        if (ref.location.line !== undefined) ref.location.line += shift;
        if (ref.location.endLine !== undefined) ref.location.endLine += shift;
        ref.scope ??= host.path;
      }
      for (const error of inner.errors) if (error.line !== undefined) error.line += shift;
      return inner;
    },
  };
  // A code block of an answer is text, not a file in any folder: whatever it names, it includes nothing.
  const snippetContext: ExtractContext = {
    ...context,
    readRelative: () => ({ error: 'refused: an answer cannot include files' }),
  };
  return context;
}

function runExtractor(extractor: Extractor, file: SourceFile, context: ExtractContext): ExtractResult {
  try {
    return extractor.extract(file, context);
  } catch (error) {
    // A bug in an extractor costs that file, never the scan.
    return {
      refs: [],
      errors: [{ message: `internal error in ${extractor.id}: ${describeError(error)}` }],
      facts: [],
    };
  }
}

/** A file included by another (`-r base.txt`) and also scanned itself yields the same refs twice. */
function dedupeRefs(refs: PackageRef[]): void {
  const seen = new Set<string>();
  let kept = 0;
  for (const ref of refs) {
    const { file, line, column } = ref.location;
    const key = [
      ref.extractor,
      ref.source,
      file,
      line,
      column,
      ref.ecosystem,
      ref.name,
      ref.version,
      ref.spec,
      ref.groups?.join(','),
      ref.scope,
    ].join('\0');
    if (seen.has(key)) continue;
    seen.add(key);
    refs[kept++] = ref;
  }
  refs.length = kept;
}
