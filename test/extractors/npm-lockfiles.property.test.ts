import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bunLock } from '../../src/extractors/npm/bun-lock.js';
import { packageLock } from '../../src/extractors/npm/package-lock.js';
import { pnpmLock } from '../../src/extractors/npm/pnpm-lock.js';
import { pnpmWorkspace } from '../../src/extractors/npm/pnpm-workspace.js';
import { yarnLock } from '../../src/extractors/npm/yarn-lock.js';
import type { Extractor, ExtractResult } from '../../src/extractors/types.js';
import { fixturePath, testContext } from '../helpers.js';
import { expectWellFormed, mutated, truncated } from '../property.js';

const MIB = 1024 * 1024;

const sha = (i: number) => i.toString(16).padStart(40, '0');

/** A lockfile of about `bytes` bytes: many ordinary entries, so that the work scales like a real monorepo's. */
function repeatUntil(bytes: number, head: string, entry: (i: number) => string, tail: string): string {
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const text = entry(i);
    parts.push(text);
    size += text.length;
  }
  parts.push(tail);
  return parts.join('');
}

interface Subject {
  extractor: Extractor;
  filename: string;
  samples: string[];
  /** Characters that matter to the format, inserted at random places. */
  significant: string[];
  large: () => string;
}

const read = (subject: string, ...names: string[]) =>
  names.map((name) => readFileSync(fixturePath('extractors', subject, name), 'utf8'));

const SUBJECTS: Subject[] = [
  {
    extractor: packageLock,
    filename: 'package-lock.json',
    samples: [
      ...read('npm-package-lock', 'v3-workspaces/package-lock.json', 'broken/package-lock.json'),
      ...read('npm-package-lock', 'v1-shrinkwrap/npm-shrinkwrap.json'),
    ],
    significant: ['{', '}', '[', ']', '"', ',', ':', 'node_modules/', 'npm:', '#', '@', 'true', 'null'],
    large: () =>
      repeatUntil(
        MIB,
        '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": { "dependencies": { "p0": "^1.0.0" } },\n',
        (i) =>
          `    "node_modules/p${i}": { "version": "1.0.${i}", "resolved": "git+ssh://git@git.example.org/p/p${i}.git#${sha(i)}", "dependencies": { "p${i + 1}": "^1.0.0" } },\n` +
          `    "node_modules/p${i}/node_modules/q": { "name": "q-real", "version": "2.0.${i}", "dev": true },\n`,
        '    "node_modules/last": { "version": "1.0.0" }\n  }\n}\n',
      ),
  },
  {
    extractor: yarnLock,
    filename: 'yarn.lock',
    samples: read(
      'npm-yarn-lock',
      'classic/yarn.lock',
      'berry/yarn.lock',
      'broken/yarn.lock',
      'empty/yarn.lock',
    ),
    significant: ['"', ':', '\n', '  ', '    ', '#', '@', ',', 'npm:', '[', '{', 'workspace:.'],
    large: () =>
      repeatUntil(
        MIB,
        '# yarn lockfile v1\n\n\n',
        (i) =>
          `"p${i}@^1.0.0", "p${i}@^1.0.1":\n  version "1.0.${i}"\n  resolved "https://registry.example.org/p${i}/-/p${i}-1.0.${i}.tgz#${sha(i)}"\n  dependencies:\n    p${i + 1} "^1.0.0"\n\n`,
        '',
      ),
  },
  {
    extractor: pnpmLock,
    filename: 'pnpm-lock.yaml',
    samples: read(
      'npm-pnpm-lock',
      'v9/pnpm-lock.yaml',
      'v6/pnpm-lock.yaml',
      'v5/pnpm-lock.yaml',
      'broken/pnpm-lock.yaml',
    ),
    significant: [':', '\n', '  ', '-', '/', '@', '(', ')', '_', "'", '{', '}', '&a', '*a', '!!str'],
    large: () => {
      // Each package appears twice, in `packages` and in `snapshots`, the first a little longer.
      const packages = repeatUntil(
        MIB * 0.6,
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      p0:\n        specifier: ^1.0.0\n        version: 1.0.0\n\npackages:\n\n",
        (i) => `  p${i}@1.0.${i}:\n    resolution: {integrity: sha512-${sha(i)}}\n\n`,
        '',
      );
      const count = packages.split('resolution:').length - 1;
      const snapshots = Array.from(
        { length: count },
        (_, i) =>
          `  p${i}@1.0.${i}(peer@1.0.0):\n    dependencies:\n      p${i + 1}: 1.0.${i + 1}\n      peer: 1.0.0\n\n`,
      ).join('');
      return `${packages}snapshots:\n\n${snapshots}`;
    },
  },
  {
    extractor: bunLock,
    filename: 'bun.lock',
    samples: read('npm-bun-lock', 'normal/bun.lock', 'broken/bun.lock'),
    significant: ['{', '}', '[', ']', '"', ',', ':', '@', '#', 'github:', 'file:', 'workspace:'],
    large: () =>
      repeatUntil(
        MIB,
        '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "dependencies": { "p0": "^1.0.0", }, }, },\n  "packages": {\n',
        (i) =>
          `    "p${i}": ["p${i}@1.0.${i}", "", { "dependencies": { "p${i + 1}": "^1.0.0" } }, "sha512-${sha(i)}"],\n` +
          `    "p${i}/q": ["q@github:example/q#${sha(i).slice(0, 7)}", {}, "example-q"],\n`,
        '  },\n}\n',
      ),
  },
  {
    extractor: pnpmWorkspace,
    filename: 'pnpm-workspace.yaml',
    samples: read('npm-pnpm-workspace', 'normal/pnpm-workspace.yaml', 'broken/pnpm-workspace.yaml'),
    significant: [':', '\n', '  ', '- ', "'", '"', '[', ']', '{', '&a', '*a', '#'],
    large: () => repeatUntil(MIB, 'packages:\n', (i) => `  - 'packages/group-${i}/*'\n`, ''),
  },
];

function run(subject: Subject, text: string): ExtractResult {
  return subject.extractor.extract({ path: subject.filename, text }, testContext());
}

/** The YAML and JSON line counters count `\n` only. */
function wellFormed(subject: Subject, out: ExtractResult, text: string): void {
  expectWellFormed(out, subject.filename, text, '\n');
}

describe.each(SUBJECTS)('$extractor.id properties', (subject) => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        wellFormed(subject, run(subject, text), text);
      }),
    );
  });

  it('never throws on truncated and edited fixtures', () => {
    fc.assert(
      fc.property(truncated(mutated(subject.samples, ['é', '\r\n', ...subject.significant])), (text) => {
        wellFormed(subject, run(subject, text), text);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a generated 1 MiB lockfile to the end', () => {
    const text = subject.large();
    expect(text.length).toBeGreaterThanOrEqual(MIB - 100);
    const out = run(subject, text);
    wellFormed(subject, out, text);
    if (subject.extractor !== pnpmWorkspace) expect(out.refs.length).toBeGreaterThan(1000);
  });

  it('reports input nested deeper than the parser can follow instead of throwing', () => {
    for (const text of ['['.repeat(200_000), `{"dependencies":${'{"a":{"dependencies":'.repeat(20_000)}`]) {
      const out = run(subject, text);
      wellFormed(subject, out, text);
      expect(out.errors).toContainEqual({ line: 1, message: 'nested too deeply to read' });
    }
  });

  it('survives 1 MiB of one pathological line', () => {
    const text = `${subject.significant.join('')}${'git+ssh://a@'.repeat(MIB / 12)}#${'a'.repeat(1000)}`;
    wellFormed(subject, run(subject, text), text);
  });
});
