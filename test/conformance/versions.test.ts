import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import { compareVersions } from '../../src/versions/index.js';
import { describeWith, sharedData, sharedPath } from '../prerequisites.js';

const VERSIONS_DIR = sharedPath('conformance', 'versions');

/** osv-scalibr's semantic/testdata files and the ecosystems it tests each with; the others are out of scope. */
const FILES: [file: string, ecosystems: Ecosystem[]][] = [
  ['semver-versions.txt', ['npm', 'crates.io', 'Go']],
  ['pypi-versions.txt', ['PyPI']],
  ['pypi-versions-generated.txt', ['PyPI']],
  ['rubygems-versions.txt', ['RubyGems']],
  ['rubygems-versions-generated.txt', ['RubyGems']],
  ['maven-versions.txt', ['Maven']],
  ['maven-versions-generated.txt', ['Maven']],
  ['nuget-versions.txt', ['NuGet']],
  ['packagist-versions.txt', ['Packagist']],
  ['packagist-versions-generated.txt', ['Packagist']],
];

const OPERATORS: Record<string, number> = { '<': -1, '=': 0, '>': 1 };

interface Comparison {
  line: number;
  a: string;
  op: string;
  b: string;
}

/** The corpus format: `<a> <op> <b>`; blank lines and lines starting with `# ` or `// ` are skipped. */
function readComparisons(file: string): Comparison[] {
  const comparisons: Comparison[] = [];
  readFileSync(resolve(VERSIONS_DIR, file), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text === '' || text.startsWith('# ') || text.startsWith('// ')) return;
      const pieces = text.split(' ');
      if (pieces.length !== 3 || !(pieces[1]! in OPERATORS)) {
        throw new Error(`${file}:${index + 1}: malformed line ${JSON.stringify(text)}`);
      }
      comparisons.push({ line: index + 1, a: pieces[0]!, op: pieces[1]!, b: pieces[2]! });
    });
  return comparisons;
}

const CORPUS = sharedData('the version conformance corpus in ../shared', 'conformance', 'versions');

describeWith(CORPUS, 'version ordering conformance (osv-scalibr semantic/testdata)', () => {
  for (const [file, ecosystems] of FILES) {
    for (const ecosystem of ecosystems) {
      it(`${file} as ${ecosystem}: every comparison holds both ways`, () => {
        const comparisons = readComparisons(file);
        const failures: string[] = [];
        for (const { line, a, op, b } of comparisons) {
          const expected = OPERATORS[op]!;
          const forward = compareVersions(ecosystem, a, b);
          const backward = compareVersions(ecosystem, b, a);
          if (forward !== expected || backward !== -expected) {
            failures.push(`${file}:${line}: ${a} ${op} ${b} (got ${forward}, reversed ${backward})`);
          }
        }
        // biome-ignore lint/suspicious/noConsole: the per-file pass count is the report this test exists for
        console.log(
          `conformance versions ${file} as ${ecosystem}: ${comparisons.length - failures.length}/${comparisons.length} pass`,
        );
        expect(comparisons.length).toBeGreaterThan(0);
        expect(failures.slice(0, 50)).toEqual([]);
      });
    }
  }
});
