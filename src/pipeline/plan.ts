/**
 * Stage 1, plan: which files a scan reads and with which extractor. Inputs are files, folders (walked),
 * standard input and in-memory answers; the manifests and lockfiles in the folders above an input are
 * planned as context, which informs the checks without being reported.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore from 'ignore';
import type { Env } from '../core/paths.js';
import { extractorById, extractorFor } from '../extractors/registry.js';
import type { Extractor } from '../extractors/types.js';
import { trackedFiles } from '../inputs/git.js';
import { displayPath, inSkippedFolder, readTextFile, walk } from '../inputs/walk.js';
import { type FileError, SKIP_REASONS, type SkippedFile } from '../model/result.js';
import type { SourceFile } from '../model/source.js';
import type { FileFacts } from '../project/index.js';

export const STDIN = '-';
const DOCUMENT_EXTRACTOR_ID = 'llm/markdown';
const PYTHON_EXTRACTOR_ID = 'pypi/imports';

export interface PlanSettings {
  cwd: string;
  /** Where a trusted git is looked for (PATH), to tell the files git tracks from those .gitignore hides. */
  env?: Env;
  maxFileSize: number;
  gitignore: boolean;
  exclude: readonly string[];
  includeDocuments: boolean;
  stdin?: string;
  stdinFilename?: string;
  documents: readonly SourceFile[];
  /**
   * A changed-only scan: folders are not walked; of the tree's files (absolute paths, from git), the
   * `targets` are scanned, every other manifest and lockfile is read as context, and the other Python
   * sources are only named (their modules are local, not packages).
   */
  restrict?: { tree: readonly string[]; targets: ReadonlySet<string> };
}

export interface PlannedFile {
  source: SourceFile;
  extractor: Extractor;
  /** Context files (manifests above an input) inform the checks but are not reported themselves. */
  role: 'target' | 'context';
}

export interface ScanPlan {
  files: PlannedFile[];
  /** Every file met while walking the inputs, wanted or not (what exists, for imports of local folders). */
  tree: string[];
  /** Facts the walk itself establishes: packages committed into the tree (`dir/node_modules/pkg`). */
  facts: FileFacts[];
  /** Absolute paths of the planned files read from disk, by display path (for includes relative to them). */
  absByPath: Map<string, string>;
  /**
   * The folder (a real path) that the includes of each planned file must stay in, by display path: the folder
   * walked, the working directory for a file named on the command line or standard input, the repository for
   * a context manifest. Answers have none: they include nothing.
   */
  rootByPath: Map<string, string>;
  errors: FileError[];
  skipped: SkippedFile[];
  /** Python sources in the tree that were not read (a changed-only scan): their modules are local. */
  localSources: string[];
}

export function planInputs(inputs: readonly string[], settings: PlanSettings): ScanPlan {
  const { cwd, maxFileSize } = settings;
  const plan: ScanPlan = {
    files: [],
    tree: [],
    facts: [],
    absByPath: new Map(),
    rootByPath: new Map(),
    errors: [],
    skipped: [],
    localSources: [],
  };
  const realCwd = realPath(cwd);
  const plannedPaths = new Set<string>();
  const add = (
    abs: string | undefined,
    path: string,
    text: string,
    extractor: Extractor,
    role: PlannedFile['role'],
    root: string | undefined,
  ) => {
    if (plannedPaths.has(path)) return;
    plannedPaths.add(path);
    if (abs) plan.absByPath.set(path, abs);
    if (root) plan.rootByPath.set(path, root);
    plan.files.push({ source: { path, text }, extractor, role });
  };
  const readAndAdd = (
    abs: string,
    path: string,
    extractor: Extractor,
    role: PlannedFile['role'],
    root: string,
    named = false,
  ) => {
    if (plannedPaths.has(path)) return;
    const outcome = readTextFile(abs, maxFileSize);
    if (!('skip' in outcome)) add(abs, path, outcome.text, extractor, role, root);
    // A file named on the command line that cannot be read is an input error: nothing else was asked for.
    else if (named) plan.errors.push({ file: path, message: `not read: ${SKIP_REASONS[outcome.skip]}` });
    else plan.skipped.push({ file: path, reason: outcome.skip, kind: extractor.kind });
  };
  const excluded = ignore().add([...settings.exclude]);
  const matches = (rel: string) =>
    rel !== '' && rel !== '.' && !rel.startsWith('..') && excluded.ignores(rel);
  /** Patterns are anchored to the scanned folder (`root`, as shown) and to the working directory. */
  const isExcluded = (path: string, root?: string) => {
    if (settings.exclude.length === 0) return false;
    if (
      root !== undefined &&
      root !== '.' &&
      path.startsWith(`${root}/`) &&
      matches(path.slice(root.length + 1))
    )
      return true;
    return !path.startsWith('/') && matches(path.replace(/^\.\//, ''));
  };
  const wants = (path: string, root?: string) => {
    const extractor = extractorFor(path);
    if (!extractor || isExcluded(path, root)) return undefined;
    return extractor.kind !== 'document' || settings.includeDocuments ? extractor.kind : undefined;
  };

  const planChanged = (dir: string, restrict: NonNullable<PlanSettings['restrict']>) => {
    const root = realPath(dir);
    // The tree's paths are joined to the repository's folder: those under `dir` (all of them, scanning the
    // repository) are cut by prefix, without path.relative's normalising of both sides, 10,000 times.
    const prefix = dir.endsWith(sep) ? dir : `${dir}${sep}`;
    const atCwd = resolve(cwd) === dir;
    for (const file of restrict.tree) {
      const rel = file.startsWith(prefix) ? file.slice(prefix.length) : relative(dir, file);
      const posix = sep === '/' ? rel : rel.split(sep).join('/');
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || inSkippedFolder(posix)) continue;
      const path = atCwd ? posix : displayPath(file, cwd);
      plan.tree.push(path);
      if (!wants(path)) continue;
      const extractor = extractorFor(path)!;
      if (restrict.targets.has(file)) readAndAdd(file, path, extractor, 'target', root);
      else if (extractor.kind === 'manifest' || extractor.kind === 'lockfile')
        readAndAdd(file, path, extractor, 'context', root);
      else if (extractor.id === PYTHON_EXTRACTOR_ID) plan.localSources.push(path);
    }
  };

  const inputDirs: { dir: string; walked: boolean }[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      if (settings.stdin === undefined) {
        plan.errors.push({ file: '<stdin>', message: 'standard input was not provided' });
        continue;
      }
      const name = settings.stdinFilename;
      const extractor = (name && extractorFor(name)) || extractorById(DOCUMENT_EXTRACTOR_ID);
      if (!extractor) {
        plan.errors.push({ file: '<stdin>', message: 'no extractor can read standard input' });
        continue;
      }
      // The same size limit as any file: the CLI stops reading standard input just past it.
      if (Buffer.byteLength(settings.stdin) > maxFileSize)
        plan.errors.push({ file: '<stdin>', message: `not read: ${SKIP_REASONS['too-large']}` });
      else add(undefined, name ?? '<stdin>', settings.stdin, extractor, 'target', realCwd);
      continue;
    }
    const abs = isAbsolute(input) ? input : resolve(cwd, input);
    const path = displayPath(abs, cwd);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      plan.errors.push({ file: path, message: 'no such file or directory' });
      continue;
    }
    if (isDir && settings.restrict) {
      inputDirs.push({ dir: abs, walked: true });
      planChanged(abs, settings.restrict);
      continue;
    }
    if (isDir) {
      inputDirs.push({ dir: abs, walked: true });
      const seen = (file: string) => plan.tree.push(file);
      const committed = (dir: string, names: string[]) =>
        plan.facts.push({
          file: dir === '.' ? 'node_modules' : `${dir}/node_modules`,
          facts: [{ kind: 'committed-packages', ecosystem: 'npm', names }],
        });
      const files = walk(
        abs,
        cwd,
        {
          maxFileSize,
          gitignore: settings.gitignore,
          wants: (file) => wants(file, path),
          seen,
          committed,
          trackedIn: (root) => trackedFiles(root, settings.env ?? process.env, [root, cwd]),
        },
        plan.skipped,
      );
      const root = realPath(abs);
      for (const file of files) readAndAdd(file.abs, file.path, extractorFor(file.path)!, 'target', root);
      continue;
    }
    // A changed-only scan reads a file named explicitly only when it changed.
    if (settings.restrict && !settings.restrict.targets.has(abs)) continue;
    // A file named explicitly is scanned whatever .gitignore says; an unknown kind is read as an answer.
    const extractor = extractorFor(path) ?? extractorById(DOCUMENT_EXTRACTOR_ID);
    if (!extractor) {
      plan.errors.push({ file: path, message: 'Vouch does not know how to read this kind of file' });
      continue;
    }
    // An answer is its own scope: the project around the file says nothing about it.
    if (extractor.kind !== 'document') inputDirs.push({ dir: dirname(abs), walked: false });
    readAndAdd(abs, path, extractor, 'target', within(abs, cwd) ? realCwd : realPath(dirname(abs)), true);
  }
  for (const document of settings.documents) {
    add(undefined, document.path, document.text, extractorById(DOCUMENT_EXTRACTOR_ID)!, 'target', undefined);
  }
  for (const context of manifestsAbove(inputDirs, cwd)) {
    const path = displayPath(context, cwd);
    const extractor = extractorFor(path);
    if (extractor && (extractor.kind === 'manifest' || extractor.kind === 'lockfile')) {
      readAndAdd(context, path, extractor, 'context', repositoryOf(dirname(context), cwd));
    }
  }
  return plan;
}

/**
 * Manifests and lockfiles beside a file input and in the folders above any input, up to the working
 * directory (or, for inputs outside it, up to the repository's top), so that a single file or folder is
 * checked against its project.
 */
function manifestsAbove(starts: { dir: string; walked: boolean }[], cwd: string): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  for (const start of starts) {
    const bounded = within(start.dir, cwd);
    if (start.walked && (start.dir === cwd || existsSync(join(start.dir, '.git')))) continue;
    let dir = start.walked ? dirname(start.dir) : start.dir;
    while (!seen.has(dir) && (!bounded || within(dir, cwd))) {
      seen.add(dir);
      for (const name of safeReaddir(dir)) {
        const extractor = extractorFor(name);
        if (extractor && (extractor.kind === 'manifest' || extractor.kind === 'lockfile'))
          found.add(join(dir, name));
      }
      const parent = dirname(dir);
      if (dir === cwd || parent === dir || existsSync(join(dir, '.git'))) break;
      dir = parent;
    }
  }
  return [...found].sort();
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * The folder a context manifest's includes must stay in: its repository (the nearest folder above it with
 * `.git`), else the working directory when it lies inside it, else its own folder.
 */
function repositoryOf(dir: string, cwd: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return realPath(at);
    if (dirname(at) === at) break;
  }
  return realPath(within(dir, cwd) ? cwd : dir);
}
