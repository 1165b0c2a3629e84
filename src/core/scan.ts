import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import ignore from 'ignore';
import { ANALYZERS } from '../analyzers/registry.js';
import { EXTRACTORS, extractorById, extractorFor } from '../extractors/registry.js';
import type { ExtractContext, Extractor, ExtractResult, SourceFile } from '../extractors/types.js';
import { DEFAULT_MAX_FILE_SIZE, displayPath, readTextFile, walk } from '../inputs/walk.js';
import type { Finding } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import {
  type CheckRun,
  type FileError,
  RESULT_SCHEMA_VERSION,
  type ScanResult,
  type SkippedFile,
  type Unchecked,
} from '../model/result.js';
import { severityRank } from '../model/severity.js';
import { type FileFacts, ProjectIndex } from '../project/index.js';
import { PhantomResolver } from '../project/phantom.js';
import { type RegistryOptions, resolveRegistry } from '../registry/resolve.js';
import { VERSION } from '../version.js';
import { adviseRefs } from '../vulndb/scan-advisories.js';
import { describeError } from './errors.js';
import { type Logger, silentLogger } from './log.js';

const DOCUMENT_EXTRACTOR_ID = 'llm/markdown';
export const STDIN = '-';

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

interface PlannedFile {
  source: SourceFile;
  extractor: Extractor;
  /** Context files (manifests above an input) inform the checks but are not reported themselves. */
  role: 'target' | 'context';
}

/** The library's one entry point: everything the CLI does, without printing anything. */
export async function scan(inputs: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const cwd = resolve(options.cwd ?? process.cwd());
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const logger = options.logger ?? silentLogger;
  const errors: FileError[] = [];
  const skipped: SkippedFile[] = [];
  const excluded = ignore().add(options.exclude ?? []);
  const absByPath = new Map<string, string>();

  const planned: PlannedFile[] = [];
  const plannedPaths = new Set<string>();
  const plan = (
    abs: string | undefined,
    path: string,
    text: string,
    extractor: Extractor,
    role: PlannedFile['role'],
  ) => {
    if (plannedPaths.has(path)) return;
    plannedPaths.add(path);
    if (abs) absByPath.set(path, abs);
    planned.push({ source: { path, text }, extractor, role });
  };
  const readAndPlan = (abs: string, path: string, extractor: Extractor, role: PlannedFile['role']) => {
    if (plannedPaths.has(path)) return;
    const outcome = readTextFile(abs, maxFileSize);
    if ('skip' in outcome) skipped.push({ file: path, reason: outcome.skip });
    else plan(abs, path, outcome.text, extractor, role);
  };
  const isExcluded = (path: string) => {
    const rel = path.startsWith('/') ? undefined : path.replace(/^\.\//, '');
    return rel !== undefined && rel !== '.' && !rel.startsWith('..') && excluded.ignores(rel);
  };
  const wants = (path: string) => {
    const extractor = extractorFor(path);
    if (!extractor || isExcluded(path)) return false;
    return extractor.kind !== 'document' || options.includeDocuments === true;
  };

  const inputDirs: { dir: string; walked: boolean }[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      if (options.stdin === undefined) {
        errors.push({ file: '<stdin>', message: 'standard input was not provided' });
        continue;
      }
      const name = options.stdinFilename;
      const extractor = (name && extractorFor(name)) || extractorById(DOCUMENT_EXTRACTOR_ID);
      if (!extractor) {
        errors.push({ file: '<stdin>', message: 'no extractor can read standard input' });
        continue;
      }
      plan(undefined, name ?? '<stdin>', options.stdin, extractor, 'target');
      continue;
    }
    const abs = isAbsolute(input) ? input : resolve(cwd, input);
    const path = displayPath(abs, cwd);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      errors.push({ file: path, message: 'no such file or directory' });
      continue;
    }
    if (isDir) {
      inputDirs.push({ dir: abs, walked: true });
      const files = walk(abs, cwd, { maxFileSize, gitignore: options.gitignore ?? true, wants }, skipped);
      for (const file of files) readAndPlan(file.abs, file.path, extractorFor(file.path)!, 'target');
      continue;
    }
    // A file named explicitly is scanned whatever .gitignore says; an unknown kind is read as an answer.
    const extractor = extractorFor(path) ?? extractorById(DOCUMENT_EXTRACTOR_ID);
    if (!extractor) {
      errors.push({ file: path, message: 'Vouch does not know how to read this kind of file' });
      continue;
    }
    // An answer is its own scope: the project around the file says nothing about it.
    if (extractor.kind !== 'document') inputDirs.push({ dir: dirname(abs), walked: false });
    readAndPlan(abs, path, extractor, 'target');
  }
  for (const document of options.documents ?? []) {
    plan(undefined, document.path, document.text, extractorById(DOCUMENT_EXTRACTOR_ID)!, 'target');
  }
  for (const context of manifestsAbove(inputDirs, cwd)) {
    const path = displayPath(context, cwd);
    const extractor = extractorFor(path);
    if (extractor && (extractor.kind === 'manifest' || extractor.kind === 'lockfile')) {
      readAndPlan(context, path, extractor, 'context');
    }
  }

  const used = new Set(planned.map((p) => p.extractor));
  if (planned.some((p) => p.extractor.kind === 'document')) for (const e of EXTRACTORS) used.add(e);
  for (const extractor of used) await extractor.init?.();

  const context: ExtractContext = {
    pythonImportMap: new Map(Object.entries(options.pythonImportMap ?? {})),
    readRelative(from, relativePath) {
      const base = absByPath.get(from.path) ?? join(cwd, from.path);
      const abs = resolve(dirname(base), relativePath);
      const path = displayPath(abs, cwd);
      const outcome = readTextFile(abs, maxFileSize);
      if ('skip' in outcome) return undefined;
      absByPath.set(path, abs);
      return { path, text: outcome.text };
    },
    extractSnippet(host, snippet) {
      const extractor = extractorFor(snippet.filename);
      if (!extractor || extractor.kind === 'document') return { refs: [], errors: [], facts: [] };
      const inner = runExtractor(extractor, { path: snippet.filename, text: snippet.text }, context);
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

  const allRefs: PackageRef[] = [];
  const targetFiles = new Set<string>();
  const facts: FileFacts[] = [];
  const pythonSources: string[] = [];
  let bytesScanned = 0;
  for (const [i, file] of planned.entries()) {
    const out = runExtractor(file.extractor, file.source, context);
    if (file.role === 'target') {
      targetFiles.add(file.source.path);
      bytesScanned += file.source.text.length;
    }
    if (file.extractor.id === 'pypi/imports') pythonSources.push(file.source.path);
    if (file.extractor.kind === 'document') for (const ref of out.refs) ref.scope ??= file.source.path;
    allRefs.push(...out.refs);
    if (out.facts.length > 0) facts.push({ file: file.source.path, facts: out.facts });
    for (const error of out.errors)
      errors.push({ file: file.source.path, ...error, extractor: file.extractor.id });
    if (i % 200 === 0) logger.progress({ task: 'scan', done: i + 1, total: planned.length });
  }
  logger.progress({ task: 'scan', done: planned.length, total: planned.length });

  dedupeRefs(allRefs);
  const index = new ProjectIndex(allRefs, facts, pythonSources);
  const refs = allRefs.filter((ref) => !index.isLocal(ref));
  const findings: Finding[] = [];
  const unchecked: Unchecked[] = [];
  const checks: CheckRun[] = [];
  const analyzerWarnings: string[] = [];
  const registryOptions = options.registry || (options.offline ? {} : undefined);
  const phantomWithoutRegistry = new PhantomResolver(index);
  const registry = registryOptions
    ? await resolveRegistry(
        refs,
        { cwd, ...registryOptions, ...(options.offline ? { mode: 'offline' } : {}) },
        logger,
        (ref) => phantomWithoutRegistry.status(ref)?.status === 'undeclared',
      )
    : undefined;
  const advisories = adviseRefs(
    refs,
    options,
    logger,
    registry ? (ref) => registry.facts.installs(ref)?.version : undefined,
  );
  const analysis = {
    refs,
    phantom: registry ? new PhantomResolver(index, registry.facts.dependenciesIn) : phantomWithoutRegistry,
    advisories: advisories.facts,
    registry: registry?.facts,
    documents: new Map(
      planned
        .filter((p) => p.role === 'target' && p.extractor.kind === 'document')
        .map((p) => [p.source.path, p.source.text]),
    ),
  };
  // Analyzers that judge other findings run after all the others, whatever their place in the list.
  const ordered = [
    ...ANALYZERS.filter((a) => !a.dependsOnFindings),
    ...ANALYZERS.filter((a) => a.dependsOnFindings),
  ];
  for (const analyzer of ordered) {
    if (analyzer.needs === 'advisories' && !advisories.facts) {
      checks.push({ id: analyzer.id, status: 'skipped', reason: advisories.skipReason });
      continue;
    }
    if (analyzer.needs === 'registry' && !registry) {
      checks.push({ id: analyzer.id, status: 'skipped', reason: 'registry checks are off' });
      continue;
    }
    const out = analyzer.analyze(
      analyzer.dependsOnFindings ? { ...analysis, findings: [...findings] } : analysis,
    );
    findings.push(...out.findings.filter((f) => targetFiles.has(f.location.file)));
    unchecked.push(...out.unchecked);
    for (const warning of out.warnings ?? []) {
      logger.warn(warning);
      analyzerWarnings.push(warning);
    }
    checks.push({ id: analyzer.id, status: 'ran' });
  }

  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'vouch', version: VERSION },
    inputs: [...inputs],
    packages: refs.filter((ref) => targetFiles.has(ref.location.file)).sort(compareRefs),
    findings: findings.sort(compareFindings),
    errors,
    skipped,
    unchecked,
    checks,
    ...(advisories.warnings.length + (registry?.warnings.length ?? 0) + analyzerWarnings.length > 0
      ? { warnings: [...advisories.warnings, ...(registry?.warnings ?? []), ...analyzerWarnings] }
      : {}),
    stats: {
      filesScanned: targetFiles.size,
      bytesScanned,
      durationMs: Math.round(performance.now() - started),
    },
  };
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

/**
 * Manifests and lockfiles beside a file input and in the folders above any input, up to the working
 * directory (or, for inputs outside it, up to the repository's top), so that a single file or folder is
 * checked against its project.
 */
function manifestsAbove(starts: { dir: string; walked: boolean }[], cwd: string): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const within = (dir: string) => dir === cwd || dir.startsWith(`${cwd}/`);
  for (const start of starts) {
    const bounded = within(start.dir);
    if (start.walked && (start.dir === cwd || existsSync(join(start.dir, '.git')))) continue;
    let dir = start.walked ? dirname(start.dir) : start.dir;
    while (!seen.has(dir) && (!bounded || within(dir))) {
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

function compareRefs(a: PackageRef, b: PackageRef): number {
  return (
    cmp(a.location.file, b.location.file) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    (a.location.column ?? 0) - (b.location.column ?? 0) ||
    cmp(a.name, b.name)
  );
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.location.file, b.location.file) ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    cmp(a.kind, b.kind) ||
    cmp(a.name, b.name)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
