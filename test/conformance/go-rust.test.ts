import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { goMod } from '../../src/extractors/go/go-mod.js';
import { goSum } from '../../src/extractors/go/go-sum.js';
import { cargoLock } from '../../src/extractors/rust/cargo-lock.js';
import { cargoToml } from '../../src/extractors/rust/cargo-toml.js';
import type { Extractor, ExtractResult } from '../../src/extractors/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { testContext } from '../helpers.js';
import {
  type ConformanceCase,
  type ExpectedPackage,
  extractorDir,
  HAS_CONFORMANCE,
  loadCases,
  type Observed,
  runConformance,
  SKIP_MESSAGE,
  summary,
} from './harness.js';

function run(extractor: Extractor, fixturePath: string): ExtractResult {
  return extractor.extract({ path: fixturePath, text: readFileSync(fixturePath, 'utf8') }, testContext());
}

function asExpected(ref: PackageRef, version: string): ExpectedPackage {
  const pkg: ExpectedPackage = { name: ref.name, version };
  if (ref.commit !== undefined) pkg.commit = ref.commit;
  return pkg;
}

/**
 * go.mod. Vouch keeps versions as written (`v1.0.0`); osv-scalibr strips the `v`, so the translation does too
 * (Go's version order reads both spellings as one version). For a `go` directive ≤ 1.16 osv-scalibr also reads
 * the sibling go.sum; in Vouch go.sum is an input of its own (go/go-sum) that a scan reads beside go.mod, so
 * the translation runs it on the sibling named in the case's note and lists each module version once across
 * both files, as osv-scalibr does. `excludeIndirect` (an osv-scalibr option Vouch does not have) is applied
 * here: Vouch marks indirect requirements with the group `indirect`, and go.sum-only modules are not in go.mod.
 */
function observeGoMod(fixturePath: string, testCase: ConformanceCase): Observed {
  const mod = run(goMod, fixturePath);
  const excludeIndirect = testCase.config?.excludeIndirect === true;
  const refs = mod.refs.filter((ref) => !(excludeIndirect && ref.groups?.includes('indirect')));
  let error = mod.errors.length > 0;
  const sumPath = fixturePath.replace(/\.mod$/, '.sum');
  if (testCase.note?.includes('sibling go.sum') && existsSync(sumPath)) {
    const sum = run(goSum, sumPath);
    error ||= sum.errors.length > 0;
    if (!excludeIndirect) refs.push(...sum.refs);
  }
  const seen = new Set<string>();
  const packages: ExpectedPackage[] = [];
  for (const ref of refs) {
    const version = (ref.version ?? '').replace(/^v/, '');
    const key = `${ref.name}@${version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    packages.push(asExpected(ref, version));
  }
  return { packages, error };
}

/**
 * Cargo.toml. osv-scalibr reports the crate itself and each `[dependencies]` entry with its requirement string
 * as the version (`0.3`). Vouch keeps the crate's name as a manifest fact (it is the project, not a package to
 * vet): the translation adds it back with the `[package]` version read from the fixture, and gives each
 * dependency its version or, as osv-scalibr does, its requirement as written.
 */
function observeCargoToml(fixturePath: string): Observed {
  const out = run(cargoToml, fixturePath);
  const packages = out.refs.map((ref) => asExpected(ref, ref.version ?? ref.spec ?? ''));
  const manifest = out.facts.find((fact) => fact.kind === 'manifest');
  if (manifest?.name) {
    const own = (parse(readFileSync(fixturePath, 'utf8')) as { package?: { version?: unknown } }).package;
    if (typeof own?.version === 'string') packages.push({ name: manifest.name, version: own.version });
  }
  return { packages, error: out.errors.length > 0 };
}

function observeCargoLock(fixturePath: string): Observed {
  const out = run(cargoLock, fixturePath);
  return {
    packages: out.refs.map((ref) => asExpected(ref, ref.version ?? '')),
    error: out.errors.length > 0,
  };
}

/** A deliberate difference, stated exactly: packages Vouch does not report, and packages it reports on top. */
interface Deviation {
  reason: string;
  missing?: string[];
  extra?: string[];
}

const STDLIB =
  'osv-scalibr reports a pseudo-package `stdlib` at the `go`/`toolchain` version. Vouch reports no package for these directives: `go` is the minimum language version, not the toolchain that builds the code, so reading it as the standard library in use would flag advisories of releases nobody runs.';
const GIT_WITHOUT_COMMIT =
  'osv-scalibr drops a git dependency whose `rev` is not a commit hash (a `tag`, or `refs/pull/493/head`); Vouch reports it with origin git and its URL (a git source is exactly what needs vetting) and no commit.';

const GO_DEVIATIONS: Record<string, Deviation> = {
  'two packages': { reason: STDLIB, missing: ['stdlib@1.17'] },
  toolchain: { reason: STDLIB, missing: ['stdlib@1.23.6'] },
  'toolchain with suffix': { reason: STDLIB, missing: ['stdlib@1.23.6'] },
  'indirect packages': { reason: STDLIB, missing: ['stdlib@1.17'] },
  'test extractor for go > 1.16': { reason: STDLIB, missing: ['stdlib@1.23'] },
  'test extractor for go <=1.16': { reason: STDLIB, missing: ['stdlib@1.16'] },
  'exclude indirect': { reason: STDLIB, missing: ['stdlib@1.17'] },
  'exclude indirect with go.sum': { reason: STDLIB, missing: ['stdlib@1.16'] },
};
const CARGO_TOML_DEVIATIONS: Record<string, Deviation> = {
  'git dependency with tag specified': { reason: GIT_WITHOUT_COMMIT, extra: ['regex@'] },
  'git dependency with pr rev specified': { reason: GIT_WITHOUT_COMMIT, extra: ['regex@'] },
  'two dependencies': { reason: GIT_WITHOUT_COMMIT, extra: ['regex@'] },
  'Invalid dependency toml': {
    reason:
      'Both report the error. osv-scalibr then returns nothing for the file; Vouch reports the broken entry on its line and keeps reading the rest of the manifest, here only the crate itself, which the translation adds back.',
    extra: ['hello_world@0.1.0'],
  },
};

const FOLDERS: {
  ecosystem: string;
  folder: string;
  observe: (fixturePath: string, testCase: ConformanceCase) => Observed;
  compareCommits: boolean;
  deviations: Record<string, Deviation>;
}[] = [
  {
    ecosystem: 'golang',
    folder: 'gomod',
    observe: observeGoMod,
    compareCommits: true,
    deviations: GO_DEVIATIONS,
  },
  // osv-scalibr records no commit for Cargo.lock git sources (the corpus has none to compare); Vouch does.
  {
    ecosystem: 'rust',
    folder: 'cargolock',
    observe: observeCargoLock,
    compareCommits: false,
    deviations: {},
  },
  {
    ecosystem: 'rust',
    folder: 'cargotoml',
    observe: (path) => observeCargoToml(path),
    compareCommits: true,
    deviations: CARGO_TOML_DEVIATIONS,
  },
];

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

describe.skipIf(!HAS_CONFORMANCE)(
  'conformance: Go and Rust manifests and lockfiles (osv-scalibr corpus)',
  () => {
    for (const { ecosystem, folder, observe, compareCommits, deviations } of FOLDERS) {
      it(`${ecosystem}/${folder}`, () => {
        const report = runConformance({
          ecosystem,
          extractor: folder,
          observe,
          deviations: Object.fromEntries(Object.entries(deviations).map(([name, d]) => [name, d.reason])),
          compareCommits,
        });
        // biome-ignore lint/suspicious/noConsole: the pass counts and deviations are the point of this suite
        console.log(summary(`${ecosystem}/${folder}`, report));
        expect(report.failed).toEqual([]);
        expect(report.passed + report.deviated.length).toBe(report.total);
        // Every declared deviation still deviates: a fixed one must be removed from the list.
        expect(report.deviated.map((d) => d.case.slice(d.case.indexOf(' ') + 1)).sort()).toEqual(
          Object.keys(deviations).sort(),
        );
      });

      if (Object.keys(deviations).length === 0) continue;
      it(`${ecosystem}/${folder}: deviations are exactly the documented ones`, () => {
        const cases = loadCases(ecosystem, folder).filter((c) => c.case in deviations);
        expect(cases.length).toBe(Object.keys(deviations).length);
        for (const testCase of cases) {
          const deviation = deviations[testCase.case]!;
          const observed = observe(`${extractorDir(ecosystem, folder)}/${testCase.fixture}`, testCase);
          expect(observed.error, `${testCase.case}: error`).toBe(testCase.error);
          const expected = keys(testCase.packages);
          const actual = keys(observed.packages);
          expect(minus(expected, actual), `${testCase.case}: missing`).toEqual(
            [...(deviation.missing ?? [])].sort(),
          );
          expect(minus(actual, expected), `${testCase.case}: extra`).toEqual(
            [...(deviation.extra ?? [])].sort(),
          );
        }
      });
    }
  },
);

if (!HAS_CONFORMANCE) it.skip(SKIP_MESSAGE, () => {});
