import { gradleLockfile } from '../../src/extractors/maven/gradle-lockfile.js';
import { pomXml } from '../../src/extractors/maven/pom-xml.js';
import { packagesLock } from '../../src/extractors/nuget/packages-lock.js';
import { composerLock } from '../../src/extractors/php/composer-lock.js';
import { gemfileLock } from '../../src/extractors/ruby/gemfile-lock.js';
import type { Extractor } from '../../src/extractors/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { describeWith } from '../prerequisites.js';
import {
  asExpected,
  CONFORMANCE_CORPUS,
  type Deviation,
  type ExpectedPackage,
  itConforms,
  itDeviatesAsDocumented,
  observeWith,
} from './harness.js';

/**
 * osv-scalibr reads a Maven version range as its lower bound (`[9.4.35.v20201120,9.5)` → 9.4.35.v20201120);
 * Vouch keeps the range as the spec and never reads it as its lower bound. For comparison only, a range
 * spec is mapped back to its lower bound, which is their rule.
 */
function scalibrMavenVersion(ref: PackageRef): string {
  if (ref.version !== undefined) return ref.version;
  return /^[[(]\s*([^,\s]+)\s*,/.exec(ref.spec ?? '')?.[1] ?? '';
}

const INVALID_LINES =
  'osv-scalibr skips lines it cannot read without a word; Vouch reports each with its line (a file that could not be fully read must not pass a gate silently).';

const FOLDERS: {
  ecosystem: string;
  folder: string;
  extractor: Extractor;
  /** Refs in the corpus's terms; each ref as it is unless given. */
  translate?: (refs: PackageRef[]) => ExpectedPackage[];
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
    compareGroups: true,
    compareCommits: true,
    deviations: {},
  },
  {
    ecosystem: 'dotnet',
    folder: 'packageslockjson',
    extractor: packagesLock,
    compareGroups: false,
    compareCommits: false,
    deviations: {},
  },
];

describeWith(
  CONFORMANCE_CORPUS,
  'conformance: Maven, Gradle, RubyGems, Composer and NuGet lockfiles (osv-scalibr corpus)',
  () => {
    for (const { extractor, translate, ...folder } of FOLDERS) {
      const corpusFolder = { ...folder, observe: observeWith(extractor, translate) };
      itConforms(corpusFolder);
      itDeviatesAsDocumented(corpusFolder, extractor);
    }
  },
);
