import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradleLockfile } from '../../src/extractors/maven/gradle-lockfile.js';
import { pomXml } from '../../src/extractors/maven/pom-xml.js';
import { packagesLock } from '../../src/extractors/nuget/packages-lock.js';
import { composerLock } from '../../src/extractors/php/composer-lock.js';
import { gemfileLock } from '../../src/extractors/ruby/gemfile-lock.js';
import type { Extractor, ExtractResult } from '../../src/extractors/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { testContext } from '../helpers.js';
import {
  type ExpectedPackage,
  extractorDir,
  HAS_CONFORMANCE,
  loadCases,
  type Observed,
  runConformance,
  SKIP_MESSAGE,
  summary,
} from './harness.js';

/** A local parent POM is read from disk beside the fixture, as the core would. */
function run(extractor: Extractor, fixturePath: string): ExtractResult {
  const ctx = testContext({
    readRelative(from, relativePath) {
      const abs = resolve(dirname(from.path), relativePath);
      return existsSync(abs) ? { path: abs, text: readFileSync(abs, 'utf8') } : undefined;
    },
  });
  return extractor.extract({ path: fixturePath, text: readFileSync(fixturePath, 'utf8') }, ctx);
}

/**
 * osv-scalibr reads a Maven version range as its lower bound (`[9.4.35.v20201120,9.5)` → 9.4.35.v20201120);
 * Vouch keeps the range as the spec and never reads it as its lower bound. For comparison only, a range
 * spec is mapped back to its lower bound, which is their rule.
 */
function scalibrMavenVersion(ref: PackageRef): string {
  if (ref.version !== undefined) return ref.version;
  return /^[[(]\s*([^,\s]+)\s*,/.exec(ref.spec ?? '')?.[1] ?? '';
}

function observeWith(extractor: Extractor, translate: (refs: PackageRef[]) => ExpectedPackage[]) {
  return (fixturePath: string): Observed => {
    const out = run(extractor, fixturePath);
    return { packages: translate(out.refs), error: out.errors.length > 0 };
  };
}

function asExpected(ref: PackageRef, version = ref.version ?? ''): ExpectedPackage {
  const pkg: ExpectedPackage = { name: ref.name, version, groups: ref.groups ?? [] };
  if (ref.commit !== undefined) pkg.commit = ref.commit;
  return pkg;
}

/** A deliberate difference, stated exactly (see the PyPI suite). */
interface Deviation {
  reason: string;
  missing?: string[];
  extra?: string[];
  errorLines?: number[];
}

const INVALID_LINES =
  'osv-scalibr skips lines it cannot read without a word; Vouch reports each with its line (a file that could not be fully read must not pass a gate silently).';

const FOLDERS: {
  ecosystem: string;
  folder: string;
  extractor: Extractor;
  translate: (refs: PackageRef[]) => ExpectedPackage[];
  compareGroups: boolean;
  compareCommits: boolean;
  deviations: Record<string, Deviation>;
}[] = [
  {
    ecosystem: 'java',
    folder: 'pomxml',
    extractor: pomXml,
    // dependencyManagement entries are version facts (group `managed`), which osv-scalibr does not report.
    translate: (refs) =>
      refs
        .filter((ref) => !ref.groups?.includes('managed'))
        .map((ref) => asExpected(ref, scalibrMavenVersion(ref))),
    compareGroups: true,
    compareCommits: false,
    deviations: {
      'interpolate and drop': {
        reason:
          'A <dependency> without <groupId> is invalid (Maven rejects the POM); osv-scalibr drops it silently, Vouch reports it with its line.',
        errorLines: [8],
      },
      'multi version dependency': {
        reason:
          'The POM declares abc:example.com twice, at 1.0.0 and 1.1.1; Maven warns and uses the last declaration, osv-scalibr keeps the first. Vouch reports both declarations, each with its line, so neither version escapes vetting.',
        extra: ['abc:example.com@1.1.1'],
      },
    },
  },
  {
    ecosystem: 'java',
    folder: 'gradlelockfile',
    extractor: gradleLockfile,
    translate: (refs) => refs.map((ref) => asExpected(ref)),
    compareGroups: false,
    compareCommits: false,
    deviations: {
      'with invalid lines': { reason: INVALID_LINES, errorLines: [3, 4, 5, 9, 10] },
    },
  },
  {
    ecosystem: 'ruby',
    folder: 'gemfilelock',
    extractor: gemfileLock,
    translate: (refs) => refs.map((ref) => asExpected(ref)),
    compareGroups: false,
    compareCommits: true,
    deviations: {
      'invalid spec': {
        reason:
          'A spec line without a version (`invalid-name`) is not a locked gem; osv-scalibr skips it silently, Vouch reports it with its line.',
        errorLines: [4],
      },
    },
  },
  {
    ecosystem: 'php',
    folder: 'composerlock',
    extractor: composerLock,
    translate: (refs) => refs.map((ref) => asExpected(ref)),
    compareGroups: true,
    compareCommits: true,
    deviations: {},
  },
  {
    ecosystem: 'dotnet',
    folder: 'packageslockjson',
    extractor: packagesLock,
    translate: (refs) => refs.map((ref) => asExpected(ref)),
    compareGroups: false,
    compareCommits: false,
    deviations: {},
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
  'conformance: Maven, Gradle, RubyGems, Composer and NuGet lockfiles (osv-scalibr corpus)',
  () => {
    for (const {
      ecosystem,
      folder,
      extractor,
      translate,
      compareGroups,
      compareCommits,
      deviations,
    } of FOLDERS) {
      const observe = observeWith(extractor, translate);
      const name = `${ecosystem}/${folder}`;

      it(name, () => {
        const report = runConformance({
          ecosystem,
          extractor: folder,
          observe,
          deviations: Object.fromEntries(Object.entries(deviations).map(([c, d]) => [c, d.reason])),
          compareGroups,
          compareCommits,
        });
        // biome-ignore lint/suspicious/noConsole: the pass counts and deviations are the point of this suite
        console.log(summary(name, report));
        expect(report.failed).toEqual([]);
        expect(report.passed + report.deviated.length).toBe(report.total);
        // Every declared deviation still deviates: a fixed one must be removed from the list.
        expect(report.deviated.map((d) => d.case.slice(d.case.indexOf(' ') + 1)).sort()).toEqual(
          Object.keys(deviations).sort(),
        );
      });

      if (Object.keys(deviations).length === 0) continue;
      it(`${name}: deviations are exactly the documented ones`, () => {
        const dir = extractorDir(ecosystem, folder);
        for (const testCase of loadCases(ecosystem, folder).filter((c) => c.case in deviations)) {
          const deviation = deviations[testCase.case]!;
          const fixture = resolve(dir, testCase.fixture);
          const observed = observe(fixture);
          const expected = keys(testCase.packages);
          const actual = keys(observed.packages);
          expect(minus(expected, actual), `${testCase.case}: missing`).toEqual(
            [...(deviation.missing ?? [])].sort(),
          );
          expect(minus(actual, expected), `${testCase.case}: extra`).toEqual(
            [...(deviation.extra ?? [])].sort(),
          );
          const errorLines = run(extractor, fixture).errors.map((e) => e.line);
          expect(errorLines, `${testCase.case}: error lines`).toEqual(deviation.errorLines ?? []);
        }
      });
    }
  },
);

if (!HAS_CONFORMANCE) it.skip(SKIP_MESSAGE, () => {});
