import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { Extractor, ExtractResult } from '../../src/extractors/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { testContext } from '../helpers.js';
import { sharedData, sharedPath } from '../prerequisites.js';

/** osv-scalibr's corpus in ../shared: present on the team's machines and in CI, absent elsewhere. */
const CONFORMANCE_DIR = sharedPath('conformance');
export const CONFORMANCE_CORPUS = sharedData(
  'the conformance corpus in ../shared',
  'conformance',
  'lockfiles',
);

export interface ExpectedPackage {
  name: string;
  version: string;
  groups?: string[];
  commit?: string;
}

export interface ConformanceCase {
  fixture: string;
  error: boolean;
  errorContains?: string | null;
  packages: ExpectedPackage[];
  notPackages?: ExpectedPackage[];
  config?: Record<string, unknown>;
  note?: string;
  test: string;
  case: string;
}

/** What our extractor made of one fixture, in the corpus's terms. */
export interface Observed {
  packages: ExpectedPackage[];
  error: boolean;
}

export interface ConformanceReport {
  total: number;
  passed: number;
  /** Cases where we differ on purpose, with the reason. */
  deviated: { case: string; reason: string }[];
  failed: { case: string; fixture: string; detail: string }[];
}

function extractorDir(ecosystem: string, folder: string): string {
  return resolve(CONFORMANCE_DIR, 'lockfiles', ecosystem, folder);
}

function loadCases(ecosystem: string, folder: string): ConformanceCase[] {
  return JSON.parse(readFileSync(resolve(extractorDir(ecosystem, folder), 'expected.json'), 'utf8'));
}

function key(p: ExpectedPackage, withGroups: boolean, withCommit: boolean): string {
  const parts = [p.name, p.version];
  if (withGroups) parts.push([...(p.groups ?? [])].sort().join(','));
  if (withCommit) parts.push(p.commit ?? '');
  return parts.join('@');
}

function multiset(list: ExpectedPackage[], withGroups: boolean, withCommit: boolean): string[] {
  return list.map((p) => key(p, withGroups, withCommit)).sort();
}

/**
 * A deliberate difference, stated exactly: which expected packages Vouch does not report (`missing`), which
 * it reports on top (`extra`, as name@version after the suite's translation), and the lines on which Vouch
 * reports an error where osv-scalibr silently drops the line (`errorLines`, where the suite checks them).
 */
export interface Deviation {
  reason: string;
  missing?: string[];
  extra?: string[];
  errorLines?: number[];
}

/** One corpus folder (`python/poetrylock`) and how a suite reads its fixtures. */
export interface CorpusFolder {
  ecosystem: string;
  folder: string;
  observe: (fixturePath: string, testCase: ConformanceCase) => Observed;
  /** Cases where Vouch differs on purpose, by case name (or `test case`). */
  deviations?: Record<string, Deviation>;
  compareGroups?: boolean;
  compareCommits?: boolean;
}

/**
 * Runs every case of one corpus folder through `observe` and compares the packages as a multiset (name,
 * version; groups and commits when asked).
 */
function runConformance(options: CorpusFolder): ConformanceReport {
  const dir = extractorDir(options.ecosystem, options.folder);
  const cases = loadCases(options.ecosystem, options.folder);
  const report: ConformanceReport = { total: cases.length, passed: 0, deviated: [], failed: [] };
  for (const testCase of cases) {
    const label = `${testCase.test} ${testCase.case}`;
    const reason = (options.deviations?.[testCase.case] ?? options.deviations?.[label])?.reason;
    let observed: Observed;
    try {
      observed = options.observe(resolve(dir, testCase.fixture), testCase);
    } catch (error) {
      report.failed.push({ case: label, fixture: testCase.fixture, detail: `threw: ${String(error)}` });
      continue;
    }
    const expected = multiset(testCase.packages, !!options.compareGroups, !!options.compareCommits);
    const actual = multiset(observed.packages, !!options.compareGroups, !!options.compareCommits);
    const problems: string[] = [];
    if (testCase.error !== observed.error)
      problems.push(`error expected ${testCase.error}, got ${observed.error}`);
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      const missing = expected.filter((k) => !actual.includes(k));
      const extra = actual.filter((k) => !expected.includes(k));
      problems.push(`packages differ; missing [${missing.join(', ')}], extra [${extra.join(', ')}]`);
    }
    for (const not of testCase.notPackages ?? []) {
      if (observed.packages.some((p) => p.name === not.name && p.version === not.version)) {
        problems.push(`must not report ${not.name}@${not.version}`);
      }
    }
    if (problems.length === 0) report.passed++;
    else if (reason) report.deviated.push({ case: label, reason });
    else report.failed.push({ case: label, fixture: testCase.fixture, detail: problems.join('; ') });
  }
  return report;
}

/**
 * The test of a corpus folder: every case passes or deviates as documented, and (unless `everyDeviationOccurs`
 * is false) every documented deviation still deviates: a fixed one must be removed from the list.
 */
export function itConforms(folder: CorpusFolder, { everyDeviationOccurs = true } = {}): void {
  const name = `${folder.ecosystem}/${folder.folder}`;
  it(name, () => {
    const report = runConformance(folder);
    // biome-ignore lint/suspicious/noConsole: the pass counts and deviations are the point of these suites
    console.log(summary(name, report));
    expect(report.failed).toEqual([]);
    expect(report.passed + report.deviated.length).toBe(report.total);
    if (!everyDeviationOccurs) return;
    expect(report.deviated.map((d) => d.case.slice(d.case.indexOf(' ') + 1)).sort()).toEqual(
      Object.keys(folder.deviations ?? {}).sort(),
    );
  });
}

/**
 * The test of a folder's deviations, when it has any: each documented case differs by exactly its `missing`
 * and `extra` packages, and `extractor` reports errors on exactly its `errorLines`.
 */
export function itDeviatesAsDocumented(folder: CorpusFolder, extractor: Extractor): void {
  if (Object.keys(folder.deviations ?? {}).length === 0) return;
  it(`${folder.ecosystem}/${folder.folder}: deviations are exactly the documented ones`, () => {
    for (const { testCase, fixture, deviation } of deviatingCases(folder)) {
      expectDocumentedDifference(testCase, folder.observe(fixture, testCase), deviation);
      const errorLines = runExtractor(extractor, fixture).errors.map((e) => e.line);
      expect(errorLines, `${testCase.case}: error lines`).toEqual(deviation.errorLines ?? []);
    }
  });
}

/** The cases of a folder that deviate as documented, each with its fixture's path and its deviation. */
export function deviatingCases(
  folder: CorpusFolder,
): { testCase: ConformanceCase; fixture: string; deviation: Deviation }[] {
  const deviations = folder.deviations ?? {};
  return loadCases(folder.ecosystem, folder.folder)
    .filter((testCase) => testCase.case in deviations)
    .map((testCase) => ({
      testCase,
      fixture: resolve(extractorDir(folder.ecosystem, folder.folder), testCase.fixture),
      deviation: deviations[testCase.case]!,
    }));
}

/** The packages of a deviating case differ from the corpus's by exactly its documented `missing` and `extra`. */
export function expectDocumentedDifference(
  testCase: ConformanceCase,
  observed: Observed,
  deviation: Deviation,
): void {
  const expected = keys(testCase.packages);
  const actual = keys(observed.packages);
  expect(minus(expected, actual), `${testCase.case}: missing`).toEqual([...(deviation.missing ?? [])].sort());
  expect(minus(actual, expected), `${testCase.case}: extra`).toEqual([...(deviation.extra ?? [])].sort());
}

function keys(packages: ExpectedPackage[]): string[] {
  return packages.map((p) => `${p.name}@${p.version}`).sort();
}

/** Multiset difference a − b. */
function minus(a: string[], b: string[]): string[] {
  const rest = [...b];
  return a.filter((key) => {
    const at = rest.indexOf(key);
    if (at === -1) return true;
    rest.splice(at, 1);
    return false;
  });
}

/** Runs an extractor on a fixture, reading includes (`-r other.txt`, a parent POM) from disk beside it. */
export function runExtractor(extractor: Extractor, fixturePath: string): ExtractResult {
  const ctx = testContext({
    readRelative(from, relativePath) {
      const abs = resolve(dirname(from.path), relativePath);
      return existsSync(abs) ? { path: abs, text: readFileSync(abs, 'utf8') } : { error: 'no such file' };
    },
  });
  return extractor.extract({ path: fixturePath, text: readFileSync(fixturePath, 'utf8') }, ctx);
}

/** A ref in the corpus's terms; `version` is the ref's own unless the suite translates it. */
export function asExpected(ref: PackageRef, version = ref.version ?? ''): ExpectedPackage {
  const pkg: ExpectedPackage = { name: ref.name, version, groups: ref.groups ?? [] };
  if (ref.commit !== undefined) pkg.commit = ref.commit;
  return pkg;
}

/** What an extractor makes of a fixture: its refs in the corpus's terms, and whether it reported errors. */
export function observeWith(
  extractor: Extractor,
  translate: (refs: PackageRef[]) => ExpectedPackage[] = (refs) => refs.map((ref) => asExpected(ref)),
): (fixturePath: string) => Observed {
  return (fixturePath) => {
    const out = runExtractor(extractor, fixturePath);
    return { packages: translate(out.refs), error: out.errors.length > 0 };
  };
}

/** One line for the test log: `javascript/packagelockjson: 34/34 pass (2 deliberate deviations)`. */
function summary(name: string, report: ConformanceReport): string {
  const deviations = report.deviated.map((d) => `\n    deviation ${d.case}: ${d.reason}`).join('');
  return `conformance ${name}: ${report.passed}/${report.total} pass, ${report.deviated.length} deliberate deviation(s), ${report.failed.length} failure(s)${deviations}`;
}
