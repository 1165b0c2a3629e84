import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { parseJson, property, stringValue } from '../../src/extractors/json-tree.js';
import { bunLock } from '../../src/extractors/npm/bun-lock.js';
import { packageJson } from '../../src/extractors/npm/package-json.js';
import { packageLock } from '../../src/extractors/npm/package-lock.js';
import { pnpmLock } from '../../src/extractors/npm/pnpm-lock.js';
import { yarnLock } from '../../src/extractors/npm/yarn-lock.js';
import type { Extractor } from '../../src/extractors/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { testContext } from '../helpers.js';
import {
  type ConformanceCase,
  type ExpectedPackage,
  HAS_CONFORMANCE,
  type Observed,
  runConformance,
  SKIP_MESSAGE,
  summary,
} from './harness.js';

function run(extractor: Extractor, fixturePath: string) {
  return extractor.extract({ path: fixturePath, text: readFileSync(fixturePath, 'utf8') }, testContext());
}

function asExpected(ref: PackageRef): ExpectedPackage {
  const pkg: ExpectedPackage = { name: ref.name, version: ref.version ?? '', groups: ref.groups ?? [] };
  if (ref.commit !== undefined) pkg.commit = ref.commit;
  return pkg;
}

function observeWith(extractor: Extractor) {
  return (fixturePath: string): Observed => {
    const out = run(extractor, fixturePath);
    return { packages: out.refs.map(asExpected), error: out.errors.length > 0 };
  };
}

/**
 * osv-scalibr reports a package.json as the package it describes (its own name@version) and, when asked
 * (`includeDeps`), each production dependency at the lowest version its range admits. Vouch reports the
 * declared dependencies with their ranges and keeps the manifest's own name as a fact, so the translation
 * reads the manifest's identity from the fixture and lowers each production spec with semver.minVersion.
 */
function observePackageJson(fixturePath: string, testCase: ConformanceCase): Observed {
  const out = run(packageJson, fixturePath);
  const packages: ExpectedPackage[] = [];
  const manifest = out.facts.find((fact) => fact.kind === 'manifest');
  if (manifest?.name) {
    const version = stringValue(property(parseJson(readFileSync(fixturePath, 'utf8')).root, 'version'));
    if (version) packages.push({ name: manifest.name, version });
  }
  if (testCase.config?.includeDeps === true) {
    for (const ref of out.refs) {
      if (ref.groups?.length) continue;
      const range = ref.version ?? ref.spec;
      const lowest = range !== undefined && semver.validRange(range) ? semver.minVersion(range) : null;
      if (lowest) packages.push({ name: ref.name, version: lowest.version });
    }
  }
  return { packages, error: out.errors.length > 0 };
}

const SIBLING_SHRINKWRAP =
  'osv-scalibr returns nothing for a package-lock.json with an npm-shrinkwrap.json beside it, because npm installs from the shrinkwrap. An extractor sees only its own file, so Vouch reports the package-lock.json as it is (here identical to the shrinkwrap, whose own case passes).';
const OWN_IDENTITY =
  "The own name@version is added by this test's translation (Vouch never reports a manifest as a package), and osv-scalibr leaves it out for";
const FOREIGN_MANIFESTS = {
  'VSCode extension': `${OWN_IDENTITY} VS Code extension manifests. Their dependencies are real npm packages, which Vouch reads.`,
  'VSCode extension with only required fields': `${OWN_IDENTITY} VS Code extension manifests.`,
  'Unity package': `${OWN_IDENTITY} Unity packages. Not covered here (includeDeps is off): package-json.ts reads a Unity manifest's com.unity.* dependencies as npm declarations, which they are not.`,
};

const FOLDERS: {
  folder: string;
  observe: (fixturePath: string, testCase: ConformanceCase) => Observed;
  compareGroups: boolean;
  deviations?: Record<string, string>;
}[] = [
  {
    folder: 'packagelockjson',
    observe: observeWith(packageLock),
    compareGroups: true,
    deviations: {
      'valid package-lock.json and npm-shrinkwrap.json and extract package-lock.json': SIBLING_SHRINKWRAP,
    },
  },
  // yarn.lock records no dependency groups; the corpus has none to compare.
  { folder: 'yarnlock', observe: observeWith(yarnLock), compareGroups: false },
  { folder: 'pnpmlock', observe: observeWith(pnpmLock), compareGroups: true },
  { folder: 'bunlock', observe: observeWith(bunLock), compareGroups: true },
  {
    folder: 'packagejson',
    observe: observePackageJson,
    compareGroups: false,
    deviations: FOREIGN_MANIFESTS,
  },
];

describe.skipIf(!HAS_CONFORMANCE)('conformance: npm lockfiles and package.json (osv-scalibr corpus)', () => {
  for (const { folder, observe, compareGroups, deviations } of FOLDERS) {
    it(`javascript/${folder}`, () => {
      const report = runConformance({
        ecosystem: 'javascript',
        extractor: folder,
        observe,
        deviations,
        compareGroups,
        compareCommits: true,
      });
      // biome-ignore lint/suspicious/noConsole: the pass counts and deviations are the point of this suite
      console.log(summary(`javascript/${folder}`, report));
      expect(report.failed).toEqual([]);
      expect(report.passed + report.deviated.length).toBe(report.total);
    });
  }
});

if (!HAS_CONFORMANCE) it.skip(SKIP_MESSAGE, () => {});
