/**
 * Between extract and index: test inputs that are data, not code. A formatter's or a compiler plugin's
 * test inputs are deliberately odd (syntax errors, made-up module names); their imports are no dependencies
 * and their parse errors no failures. A candidate folder is a fixture folder (`__fixtures__`, `fixtures`,
 * `testdata`, …) or, under a test folder, a folder of snapshot inputs (one with `__snapshots__` beside its
 * files). Inside a test suite (below `test`, `tests`, `__tests__`, `spec`) such a folder holds the suite's
 * inputs and is inert as it stands; elsewhere it is inert when most of its files fail to parse, or when most
 * of the package names it imports are known to no manifest or lockfile of the scan. Inert folders are reported once each as skipped, with
 * the reason; their refs and errors are dropped.
 */
import ignore from 'ignore';
import { pushAll } from '../core/arrays.js';
import type { PackageRef } from '../model/package-ref.js';
import type { SkippedFile } from '../model/result.js';
import type { Extraction } from './extract.js';
import type { ScanPlan } from './plan.js';

const FIXTURE_DIRS = new Set([
  '__fixtures__',
  'fixtures',
  '__testfixtures__',
  'testdata',
  'test-data',
  '__mocks__fixtures',
]);
const TEST_ROOTS = new Set(['test', 'tests', '__tests__', 'spec', 'specs']);
/** The test files beside snapshot inputs: they run the inputs, they are not inputs. */
const TEST_FILE = /(?:\.(?:test|spec)\.[cm]?[jt]sx?|jsfmt\.spec\.[cm]?js)$/;

interface Candidate {
  dir: string;
  /** Only the folder's own files (snapshot inputs), or its whole subtree (a fixture folder). */
  deep: boolean;
  /** Below a test folder: the inputs of a test suite, whatever they contain. */
  ofTests: boolean;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

function candidatesOf(plan: ScanPlan): Candidate[] {
  const out = new Map<string, Candidate>();
  for (const path of plan.tree) {
    const parts = path.split('/');
    const snapshots = parts.indexOf('__snapshots__');
    // Jest runs every file of a `__tests__` folder: there, the files beside snapshots are tests, not inputs.
    if (
      snapshots > 0 &&
      parts[snapshots - 1] !== '__tests__' &&
      parts.slice(0, snapshots).some((p) => TEST_ROOTS.has(p))
    ) {
      const dir = parts.slice(0, snapshots).join('/');
      if (!out.has(dir)) out.set(dir, { dir, deep: false, ofTests: true });
    }
    const fixture = parts.findIndex((p) => FIXTURE_DIRS.has(p));
    if (fixture >= 0 && fixture < parts.length - 1) {
      const dir = parts.slice(0, fixture + 1).join('/');
      out.set(dir, { dir, deep: true, ofTests: parts.slice(0, fixture).some((p) => TEST_ROOTS.has(p)) });
    }
  }
  return [...out.values()];
}

export function dropInertTrees(plan: ScanPlan, extraction: Extraction): SkippedFile[] {
  const candidates = candidatesOf(plan);
  if (candidates.length === 0) return [];
  const sources = new Set(
    plan.files.filter((f) => f.role === 'target' && f.extractor.kind === 'source').map((f) => f.source.path),
  );
  const broken = new Set(extraction.errors.map((e) => e.file));
  const known = new Set<string>();
  for (const ref of extraction.refs)
    if (ref.source !== 'imported') known.add(`${ref.ecosystem}\0${ref.name}`);
  for (const { facts } of extraction.facts)
    for (const fact of facts)
      if (fact.kind === 'manifest' && fact.name) known.add(`${fact.ecosystem}\0${fact.name}`);
  const importsByFile = new Map<string, PackageRef[]>();
  for (const ref of extraction.refs)
    if (ref.source === 'imported' && ref.scope === undefined)
      importsByFile.set(ref.location.file, [...(importsByFile.get(ref.location.file) ?? []), ref]);

  const inertFiles = new Set<string>();
  const skipped: SkippedFile[] = [];
  for (const candidate of candidates.sort((a, b) => (a.dir < b.dir ? -1 : 1))) {
    const prefix = `${candidate.dir}/`;
    const files = [...sources].filter(
      (file) =>
        file.startsWith(prefix) &&
        (candidate.deep || (dirOf(file) === candidate.dir && !TEST_FILE.test(file))),
    );
    if (files.length === 0) continue;
    const failing = files.filter((file) => broken.has(file)).length;
    const names = new Set(
      files.flatMap((file) => (importsByFile.get(file) ?? []).map((r) => `${r.ecosystem}\0${r.name}`)),
    );
    const unknown = [...names].filter((name) => !known.has(name)).length;
    let detail: string | undefined;
    if (candidate.ofTests)
      detail = candidate.deep ? 'the fixtures of a test suite' : 'the inputs of snapshot tests';
    else if (failing * 2 > files.length)
      detail = `test inputs: ${failing} of ${files.length} files do not parse`;
    else if (unknown > 0 && unknown * 2 > names.size)
      detail = `test inputs: ${unknown} of the ${names.size} package names imported are known to no manifest or lockfile`;
    if (detail === undefined) continue;
    for (const file of files) inertFiles.add(file);
    skipped.push({ file: candidate.dir, reason: 'inert-data', detail });
  }
  if (inertFiles.size === 0) return [];
  extraction.refs = extraction.refs.filter(
    (ref) => ref.source !== 'imported' || !inertFiles.has(ref.location.file),
  );
  extraction.errors = extraction.errors.filter((error) => !inertFiles.has(error.file));
  for (const file of inertFiles) extraction.targetFiles.delete(file);
  return collapseBySuite(skipped);
}

/**
 * A formatter's test suite holds hundreds of snapshot-input folders (`tests/format/flow/…`, `tests/format/js/…`):
 * listed one by one they bury everything else. Folders of the same kind in one suite (the folder below the
 * test root: `tests/format`) are said once, with their number.
 */
function collapseBySuite(skipped: SkippedFile[]): SkippedFile[] {
  const groups = new Map<string, SkippedFile[]>();
  const out: SkippedFile[] = [];
  for (const entry of skipped) {
    const parts = entry.file.split('/');
    const root = parts.findIndex((part) => TEST_ROOTS.has(part));
    if (root === -1 || root + 2 >= parts.length) {
      out.push(entry);
      continue;
    }
    const key = `${parts.slice(0, root + 2).join('/')}\0${entry.detail ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  for (const [key, entries] of groups) {
    if (entries.length === 1) {
      pushAll(out, entries);
      continue;
    }
    const [suite, detail] = key.split('\0');
    out.push({ file: suite ?? '', reason: 'inert-data', detail: `${detail} (${entries.length} folders)` });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * A file the project keeps out of its own lint (ESLint `ignores`, `.eslintignore`), its type-check
 * (tsconfig.json `exclude`) or its knip analysis (knip `ignore`) is not code the project vouches for: a
 * parse error there (a CLI test's deliberately invalid input) is said as a warning, not failed on. Its
 * imports are still read, and still checked: these statements come from the scanned tree, so they never
 * hide a finding.
 */
export function demoteLintIgnoredErrors(extraction: Extraction): void {
  const rules: { dir: string; said: string; matches: (path: string) => boolean }[] = [];
  for (const { file, facts } of extraction.facts)
    for (const fact of facts)
      if (fact.kind === 'lint-ignores') {
        const matcher = ignore().add(fact.patterns);
        rules.push({
          dir: dirOf(file),
          said:
            fact.by === 'tsconfig'
              ? `${file} excludes this file from the project's type-check`
              : fact.by === 'knip'
                ? `the project's knip configuration (${file}) ignores this file`
                : "the project's lint ignores this file",
          matches: (path) => {
            try {
              return matcher.ignores(path);
            } catch {
              return false;
            }
          },
        });
      }
  if (rules.length === 0 || extraction.errors.length === 0) return;
  extraction.errors = extraction.errors.filter((error) => {
    const rule = rules.find(({ dir, matches }) => {
      if (dir !== '.' && !error.file.startsWith(`${dir}/`)) return false;
      return matches(dir === '.' ? error.file : error.file.slice(dir.length + 1));
    });
    if (!rule) return true;
    const at = error.line === undefined ? '' : `:${error.line}`;
    extraction.warnings.push(`${error.file}${at}: ${error.message} (${rule.said}, so it fails nothing)`);
    return false;
  });
}
