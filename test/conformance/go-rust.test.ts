import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { expect, it } from 'vitest';
import { goMod } from '../../src/extractors/go/go-mod.js';
import { goSum } from '../../src/extractors/go/go-sum.js';
import { cargoLock } from '../../src/extractors/rust/cargo-lock.js';
import { cargoToml } from '../../src/extractors/rust/cargo-toml.js';
import { describeWith } from '../prerequisites.js';
import {
  asExpected,
  CONFORMANCE_CORPUS,
  type ConformanceCase,
  type CorpusFolder,
  type Deviation,
  deviatingCases,
  type ExpectedPackage,
  expectDocumentedDifference,
  itConforms,
  type Observed,
  observeWith,
  runExtractor,
} from './harness.js';

/**
 * go.mod. Vouch keeps versions as written (`v1.0.0`); osv-scalibr strips the `v`, so the translation does too
 * (Go's version order reads both spellings as one version). For a `go` directive ≤ 1.16 osv-scalibr also reads
 * the sibling go.sum; in Vouch go.sum is an input of its own (go/go-sum) that a scan reads beside go.mod, so
 * the translation runs it on the sibling named in the case's note and lists each module version once across
 * both files, as osv-scalibr does. `excludeIndirect` (an osv-scalibr option Vouch does not have) is applied
 * here: Vouch marks indirect requirements with the group `indirect`, and go.sum-only modules are not in go.mod.
 */
function observeGoMod(fixturePath: string, testCase: ConformanceCase): Observed {
  const mod = runExtractor(goMod, fixturePath);
  const excludeIndirect = testCase.config?.excludeIndirect === true;
  const refs = mod.refs.filter((ref) => !(excludeIndirect && ref.groups?.includes('indirect')));
  let error = mod.errors.length > 0;
  const sumPath = fixturePath.replace(/\.mod$/, '.sum');
  if (testCase.note?.includes('sibling go.sum') && existsSync(sumPath)) {
    const sum = runExtractor(goSum, sumPath);
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
  const out = runExtractor(cargoToml, fixturePath);
  const packages = out.refs.map((ref) => asExpected(ref, ref.version ?? ref.spec ?? ''));
  const manifest = out.facts.find((fact) => fact.kind === 'manifest');
  if (manifest?.name) {
    const own = (parse(readFileSync(fixturePath, 'utf8')) as { package?: { version?: unknown } }).package;
    if (typeof own?.version === 'string') packages.push({ name: manifest.name, version: own.version });
  }
  return { packages, error: out.errors.length > 0 };
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

const FOLDERS: CorpusFolder[] = [
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
    observe: observeWith(cargoLock),
    compareCommits: false,
  },
  {
    ecosystem: 'rust',
    folder: 'cargotoml',
    observe: observeCargoToml,
    compareCommits: true,
    deviations: CARGO_TOML_DEVIATIONS,
  },
];

describeWith(
  CONFORMANCE_CORPUS,
  'conformance: Go and Rust manifests and lockfiles (osv-scalibr corpus)',
  () => {
    for (const folder of FOLDERS) {
      itConforms(folder);

      const deviations = folder.deviations ?? {};
      if (Object.keys(deviations).length === 0) continue;
      it(`${folder.ecosystem}/${folder.folder}: deviations are exactly the documented ones`, () => {
        const cases = deviatingCases(folder);
        expect(cases.length).toBe(Object.keys(deviations).length);
        for (const { testCase, fixture, deviation } of cases) {
          const observed = folder.observe(fixture, testCase);
          expect(observed.error, `${testCase.case}: error`).toBe(testCase.error);
          expectDocumentedDifference(testCase, observed, deviation);
        }
      });
    }
  },
);
