/**
 * `scan()`, the library's one entry point: the pipeline as named stages, each in its own module —
 * plan the inputs → extract → index the project → resolve facts → analyze → assemble.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ANALYZERS } from '../analyzers/registry.js';
import { pushAll } from '../core/arrays.js';
import { usageError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/log.js';
import { DEFAULT_MAX_FILE_SIZE } from '../inputs/walk.js';
import { packageKey } from '../model/ecosystem.js';
import type { Finding, FindingKind } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import type { ScanResult } from '../model/result.js';
import type { SourceFile } from '../model/source.js';
import { ProjectIndex } from '../project/index.js';
import { PhantomResolver } from '../project/phantom.js';
import type { RegistryOptions } from '../registry/resolve.js';
import type { AdvisoryStageOptions } from '../vulndb/scan-advisories.js';
import { type Analysis, analyze } from './analyze.js';
import { assemble } from './assemble.js';
import { prepareChanged } from './changed.js';
import { type Extraction, extractFiles } from './extract.js';
import { demoteLintIgnoredErrors, dropInertTrees } from './inert.js';
import { type PlanSettings, planInputs, type ScanPlan, STDIN } from './plan.js';
import { applyPolicy, findingIdentity, IdentityCounter, privateMatcher, type ScanPolicy } from './policy.js';
import { type ResolvedFacts, resolveFacts } from './resolve.js';
import type { ScanSession } from './session.js';

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
  /**
   * References given directly rather than read from a file (`checkPackages`, install commands): checked with
   * the refs of the inputs, their `location` as given.
   */
  refs?: readonly PackageRef[];
  /**
   * Kept open across scans by a long-running caller (`openScanSession`): the registry cache and
   * configuration, the vulnerability database. The caller closes it.
   */
  session?: ScanSession;
  /** Extra Python import name → distribution name mappings. */
  pythonImportMap?: Record<string, string>;
  /** The vulnerability database (`vouch db update`), or false for none. Default: `<cache>/osv.sqlite`. */
  database?: string | false;
  /** A database older than this (ms) makes the scan warn. Default 7 days. */
  maxDatabaseAge?: number;
  /**
   * The OSV API for advisories: `use: 'auto'` when there is no local database, `'always'` instead of it.
   * Off unless given (the CLI gives `auto`); never asked when `offline`.
   */
  osvApi?: AdvisoryStageOptions['osvApi'];
  /**
   * Registry checks (nonexistent, unknown-version, suspicious-new, typosquat, deprecated, yanked,
   * outdated) and their settings, or false for none. Off unless given: the library touches the network
   * only when asked to (the CLI asks by default).
   */
  registry?: RegistryOptions | false;
  /** Never touch the network: registry checks answer from the cache only (and run even if `registry` is unset). */
  offline?: boolean;
  /**
   * The gate's policy: severity overrides, private packages, accepted findings (with reasons, and the
   * `vouch-ignore` comments in the source), a baseline. Its decisions are in the result.
   */
  policy?: ScanPolicy;
  /**
   * Report only the findings introduced since this git ref (a branch, tag or commit): the files changed
   * since it are scanned as they are and as they were (pipeline/changed.ts; git is read with plumbing only).
   */
  changedSince?: string;
  /** Include the scanned lockfiles' dependency graphs in the result (`dependencies`: an SBOM needs them). */
  dependencyGraph?: boolean;
  /**
   * The environment git is looked up in (PATH): for `changedSince`, and to read the manifests git tracks
   * where .gitignore matches them. Default: `process.env`.
   */
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

/** The finding kinds whose facts come from registries: never reported for private packages. */
const REGISTRY_KINDS: ReadonlySet<FindingKind> = new Set(
  ANALYZERS.filter((analyzer) => analyzer.needs === 'registry').map((analyzer) => analyzer.id),
);

/** Everything the CLI does, without printing anything. */
export async function scan(inputs: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  return (await scanWithFacts(inputs, options)).result;
}

/**
 * `scan`, with the facts it resolved: for the library's entry points that report more than findings (the
 * latest version of a package, the versions a registry lists).
 */
export async function scanWithFacts(
  inputs: readonly string[],
  options: ScanOptions = {},
): Promise<{ result: ScanResult; facts: ResolvedFacts }> {
  const started = performance.now();
  const cwd = resolve(options.cwd ?? process.cwd());
  const logger = options.logger ?? silentLogger;
  const policy = options.policy ?? {};
  const isPrivateRef = privateMatcher(policy.private);

  let stages: Stages;
  let findings: Finding[];
  let changed: ScanResult['changed'];
  if (options.changedSince !== undefined) {
    if (inputs.includes(STDIN) || (options.documents?.length ?? 0) > 0 || (options.refs?.length ?? 0) > 0)
      throw usageError('--changed-since scans files of a git repository, not standard input');
    const scope = prepareChanged(cwd, options.changedSince, inputs, options.env ?? process.env);
    let before: Stages;
    try {
      stages = await runStages(inputs, { ...options, cwd, logger }, isPrivateRef, scope.now.restrict);
      before = await runStages(
        scope.before.inputs,
        { ...options, cwd: scope.before.cwd, logger },
        isPrivateRef,
        scope.before.restrict,
      );
    } finally {
      scope.dispose();
    }
    const known = new IdentityCounter(before.analysis.findings.map(findingIdentity));
    findings = stages.analysis.findings.filter((finding) => !known.take(findingIdentity(finding)));
    changed = {
      ref: options.changedSince,
      commit: scope.changes.commit,
      files: scope.files,
      existing: stages.analysis.findings.length - findings.length,
    };
  } else {
    stages = await runStages(inputs, { ...options, cwd, logger }, isPrivateRef);
    findings = stages.analysis.findings;
  }
  const { plan, extraction, refs, facts, analysis } = stages;
  const privateKeys = new Set(refs.filter(isPrivateRef).map((ref) => keyOf(ref)));
  const outcome = applyPolicy(
    {
      findings,
      unchecked: analysis.unchecked,
      sources: sourceTexts(plan),
      projectIgnoredDependencies: ignoredDependencies(extraction),
      isPrivate: (pkg) => privateKeys.has(keyOf(pkg)),
      registryKinds: REGISTRY_KINDS,
      partial: changed !== undefined,
    },
    policy,
  );
  const result = assemble(
    inputs,
    plan,
    extraction,
    refs,
    facts,
    analysis,
    {
      ...outcome,
      privatePackages: privateKeys.size,
      ...(policy.baseline ? { baselineFile: policy.baseline.file } : {}),
      ...(changed ? { changed } : {}),
      ...(options.dependencyGraph ? { dependencyGraph: true } : {}),
    },
    performance.now() - started,
  );
  return { result, facts };
}

function keyOf(pkg: Pick<PackageRef, 'ecosystem' | 'name'>): string {
  return `${pkg.ecosystem}\0${packageKey(pkg.ecosystem, pkg.name)}`;
}

/** `ignoreDependencies` of the knip configurations in the scanned tree, each with the file that says so. */
function ignoredDependencies(extraction: Extraction): { file: string; names: string[] }[] {
  return extraction.facts.flatMap(({ file, facts }) =>
    facts.flatMap((fact) => (fact.kind === 'ignored-dependencies' ? [{ file, names: fact.names }] : [])),
  );
}

/** The texts of the scanned source files and manifests (not answers): where `vouch-ignore` comments count. */
function sourceTexts(plan: ScanPlan): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of plan.files)
    if (file.role === 'target' && file.extractor.kind !== 'document')
      texts.set(file.source.path, file.source.text);
  return texts;
}

interface Stages {
  plan: ScanPlan;
  extraction: Extraction;
  refs: PackageRef[];
  facts: ResolvedFacts;
  analysis: Analysis;
}

/** Plan → extract → index → resolve → analyze, for one tree. */
async function runStages(
  inputs: readonly string[],
  options: ScanOptions & { cwd: string; logger: Logger },
  isPrivate: (ref: PackageRef) => boolean,
  restrict?: PlanSettings['restrict'],
): Promise<Stages> {
  const { cwd, logger } = options;
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const plan = planInputs(inputs, {
    cwd,
    env: options.env ?? process.env,
    maxFileSize,
    gitignore: options.gitignore ?? true,
    exclude: options.exclude ?? [],
    includeDocuments: options.includeDocuments === true,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(options.stdinFilename !== undefined ? { stdinFilename: options.stdinFilename } : {}),
    documents: options.documents ?? [],
    ...(restrict ? { restrict } : {}),
  });
  const extraction = await extractFiles(plan, {
    cwd,
    maxFileSize,
    pythonImportMap: options.pythonImportMap ?? {},
    logger,
  });
  pushAll(plan.skipped, dropInertTrees(plan, extraction));
  demoteLintIgnoredErrors(extraction);
  const allRefs = options.refs?.length ? [...extraction.refs, ...options.refs] : extraction.refs;
  const index = new ProjectIndex(
    allRefs,
    [...plan.facts, ...extraction.facts],
    [...extraction.pythonSources, ...plan.localSources],
    plan.tree,
  );
  const refs = allRefs.filter((ref) => !index.isLocal(ref));
  const phantomWithoutRegistry = new PhantomResolver(index);
  const facts = await resolveFacts(refs, phantomWithoutRegistry, {
    ...options,
    cwd,
    scanRoots: scanRoots(inputs, cwd),
    logger,
    isPrivate,
  });
  const phantom = facts.registry
    ? new PhantomResolver(index, facts.registry.dependenciesIn)
    : phantomWithoutRegistry;
  markEnclosingDeclarations(refs, phantom);
  const analysis = analyze(
    {
      refs,
      phantom,
      advisories: facts.advisories,
      registry: facts.registry,
      documents: extraction.documents,
    },
    facts,
    reported(extraction.targetFiles, options.refs),
    logger,
  );
  return { plan, extraction, refs, facts, analysis };
}

/**
 * An npm import that only an enclosing manifest declares says so in the scan's package list: it works in
 * this checkout because the install above hoists it, which is worth knowing before the folder moves or its
 * package is published.
 */
function markEnclosingDeclarations(refs: readonly PackageRef[], phantom: PhantomResolver): void {
  for (const ref of refs) {
    if (ref.ecosystem !== 'npm' || ref.source !== 'imported' || ref.scope !== undefined) continue;
    const status = phantom.status(ref);
    if (status?.status === 'declared' && status.enclosing !== undefined)
      ref.declaredByEnclosing = status.enclosing;
  }
}

/** Findings are reported for the scanned files and for the references given directly. */
function reported(
  targetFiles: ReadonlySet<string>,
  given: readonly PackageRef[] | undefined,
): ReadonlySet<string> {
  if (!given || given.length === 0) return targetFiles;
  return new Set([...targetFiles, ...given.map((ref) => ref.location.file)]);
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
