import { readFileSync } from 'node:fs';
import semver from 'semver';
import { parseJson, property, stringValue } from '../../src/extractors/json-tree.js';
import { bunLock } from '../../src/extractors/npm/bun-lock.js';
import { packageJson } from '../../src/extractors/npm/package-json.js';
import { packageLock } from '../../src/extractors/npm/package-lock.js';
import { pnpmLock } from '../../src/extractors/npm/pnpm-lock.js';
import { yarnLock } from '../../src/extractors/npm/yarn-lock.js';
import { describeWith } from '../prerequisites.js';
import {
  CONFORMANCE_CORPUS,
  type ConformanceCase,
  type CorpusFolder,
  type ExpectedPackage,
  itConforms,
  type Observed,
  observeWith,
  runExtractor,
} from './harness.js';

/**
 * osv-scalibr reports a package.json as the package it describes (its own name@version) and, when asked
 * (`includeDeps`), each production dependency at the lowest version its range admits. Vouch reports the
 * declared dependencies with their ranges and keeps the manifest's own name as a fact, so the translation
 * reads the manifest's identity from the fixture and lowers each production spec with semver.minVersion.
 */
function observePackageJson(fixturePath: string, testCase: ConformanceCase): Observed {
  const out = runExtractor(packageJson, fixturePath);
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
  'VSCode extension': {
    reason: `${OWN_IDENTITY} VS Code extension manifests. Their dependencies are real npm packages, which Vouch reads.`,
  },
  'VSCode extension with only required fields': { reason: `${OWN_IDENTITY} VS Code extension manifests.` },
};

const FOLDERS: Omit<CorpusFolder, 'ecosystem' | 'compareCommits'>[] = [
  {
    folder: 'packagelockjson',
    observe: observeWith(packageLock),
    compareGroups: true,
    deviations: {
      'valid package-lock.json and npm-shrinkwrap.json and extract package-lock.json': {
        reason: SIBLING_SHRINKWRAP,
      },
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

describeWith(CONFORMANCE_CORPUS, 'conformance: npm lockfiles and package.json (osv-scalibr corpus)', () => {
  for (const folder of FOLDERS) itConforms({ ecosystem: 'javascript', compareCommits: true, ...folder });
});
