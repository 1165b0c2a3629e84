import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the project root: present on the team's machines and in CI, absent elsewhere. */
export const SHARED_DIR = resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared');
export const CONFORMANCE_DIR = resolve(SHARED_DIR, 'conformance');
export const HAS_CONFORMANCE = existsSync(resolve(CONFORMANCE_DIR, 'lockfiles'));
export const SKIP_MESSAGE = `skipped: ${CONFORMANCE_DIR} is absent (the conformance corpus lives in ../shared)`;

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

export function extractorDir(ecosystem: string, extractor: string): string {
  return resolve(CONFORMANCE_DIR, 'lockfiles', ecosystem, extractor);
}

export function loadCases(ecosystem: string, extractor: string): ConformanceCase[] {
  return JSON.parse(readFileSync(resolve(extractorDir(ecosystem, extractor), 'expected.json'), 'utf8'));
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
 * Runs every case of one corpus extractor folder through `observe` and compares the packages as a multiset
 * (name, version; groups and commits when asked). `deviations` names cases where Vouch differs on purpose.
 */
export function runConformance(options: {
  ecosystem: string;
  extractor: string;
  observe: (fixturePath: string, testCase: ConformanceCase) => Observed;
  deviations?: Record<string, string>;
  compareGroups?: boolean;
  compareCommits?: boolean;
}): ConformanceReport {
  const dir = extractorDir(options.ecosystem, options.extractor);
  const cases = loadCases(options.ecosystem, options.extractor);
  const report: ConformanceReport = { total: cases.length, passed: 0, deviated: [], failed: [] };
  for (const testCase of cases) {
    const label = `${testCase.test} ${testCase.case}`;
    const reason = options.deviations?.[testCase.case] ?? options.deviations?.[label];
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

/** One line for the test log: `javascript/packagelockjson: 34/34 pass (2 deliberate deviations)`. */
export function summary(name: string, report: ConformanceReport): string {
  const deviations = report.deviated.map((d) => `\n    deviation ${d.case}: ${d.reason}`).join('');
  return `conformance ${name}: ${report.passed}/${report.total} pass, ${report.deviated.length} deliberate deviation(s), ${report.failed.length} failure(s)${deviations}`;
}
