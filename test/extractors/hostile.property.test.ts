/**
 * Every extractor against the shapes a hostile repository uses to crash or stall a parser: deep nesting of
 * each bracket and block kind, one enormous line, an enormous name where a package name goes, tens of
 * thousands of lines, and control characters. Each input must end in refs or per-file errors, well formed,
 * within a bound far above any real file's time (a hang, a stack overflow or quadratic work fails it).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXTRACTORS, extractorFor } from '../../src/extractors/registry.js';
import type { Extractor } from '../../src/extractors/types.js';
import { testContext } from '../helpers.js';
import { expectWellFormed } from '../property.js';

/** A file name for every extractor: the first that the pipeline would hand to it. */
const NAMES = [
  'package.json',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'pnpm-workspace.yaml',
  '.yarnrc.yml',
  'tsconfig.json',
  'vite.config.js',
  '.eslintrc.json',
  'knip.json',
  'requirements.txt',
  'pyproject.toml',
  'setup.cfg',
  'Pipfile',
  'Pipfile.lock',
  'poetry.lock',
  'uv.lock',
  'pdm.lock',
  'go.mod',
  'go.sum',
  'Cargo.toml',
  'Cargo.lock',
  'pom.xml',
  'build.gradle',
  'libs.versions.toml',
  'gradle.lockfile',
  'Gemfile',
  'Gemfile.lock',
  'app.gemspec',
  'composer.json',
  'composer.lock',
  'Directory.Packages.props',
  'App.csproj',
  'packages.config',
  'packages.lock.json',
  'app.ts',
  'app.py',
  'main.go',
  'main.rs',
  'App.java',
  'app.rb',
  'install.sh',
  'answer.md',
];

function nameFor(extractor: Extractor): string | undefined {
  return NAMES.find((name) => extractorFor(name) === extractor);
}

/** Openers with their closers: brackets, markup, blocks and the continuation forms of each format. */
const NESTERS: [string, string][] = [
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
  ['{"a":', '}'],
  ['{a=', '}'],
  ['[[', ']]'],
  ['<a>', '</a>'],
  ['$(', ')'],
  ['`${', '}`'],
  ['do\n', 'end\n'],
  ['- ', ''],
  ['> ', ''],
  ['  ', ''],
  ['"', ''],
];

/** A text that a real file of this kind would start with, so that the parser reads on into the hostile part. */
const LEADS: Record<string, string> = {
  'package.json': '{"name":"x","dependencies":{"a":"1.0.0"},"z":',
  'requirements.txt': 'flask==2.0\n',
  'pyproject.toml': '[project]\nname = "x"\ndependencies = ["flask"]\nz = ',
  'Cargo.toml': '[package]\nname = "x"\n[dependencies]\nserde = "1"\nz = ',
  'pom.xml':
    '<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId></dependency></dependencies>',
  'go.mod': 'module x\n\nrequire (\n',
  Gemfile: "source 'https://rubygems.example.org'\ngem 'rails'\n",
  'app.py': 'import requests\nx = ',
  'app.ts': "import express from 'express';\nconst x = ",
  'main.go': 'package main\nimport "github.com/x/y"\nvar x = ',
  'main.rs': 'use serde::Serialize;\nfn main() { let x = ',
  'install.sh': 'npm install lodash\nx=',
  'answer.md': '```bash\npip install requests\n```\n',
};

const hostileText = fc.oneof(
  // Deep nesting, closed or left open.
  fc
    .tuple(fc.constantFrom(...NESTERS), fc.integer({ min: 1_000, max: 3_000 }), fc.boolean())
    .map(([[open, close], depth, closed]) => open.repeat(depth) + (closed ? close.repeat(depth) : '')),
  // One enormous line, of a name's characters or of a separator. Not of backslashes: oxc-parser 0.159
  // reports an error per escape and takes time quadratic in their number (20,000 take seconds), a limit of
  // the parser that Vouch does not bound yet.
  fc
    .tuple(fc.constantFrom('a', '-', '=', ' ', '.'), fc.integer({ min: 20_000, max: 100_000 }))
    .map(([char, length]) => char.repeat(length)),
  // An enormous package name where one goes.
  fc
    .integer({ min: 10_000, max: 300_000 })
    .map((length) => `${'a'.repeat(length)}==1.0\n"${'b'.repeat(length)}": "1"\n`),
  // Tens of thousands of short lines.
  fc
    .tuple(
      fc.constantFrom('x\n', 'a==1\n', '"a": "1",\n', 'import a\n', '-r x\n', '- a\n'),
      fc.integer({ min: 2_000, max: 10_000 }),
    )
    .map(([line, count]) => line.repeat(count)),
  // Control characters and invalid surrogates.
  fc.string({ unit: 'binary', minLength: 1, maxLength: 4_000 }),
);

/** Lets the test runner's messages through between long synchronous parses. */
const yieldToRunner = () => new Promise((resolve) => setImmediate(resolve));

/** Far above what any real file takes (the largest fixtures read in milliseconds); a stall or a blow-up is not. */
const BOUND_MS = 15_000;

describe('every extractor ends in a result or a per-file error on hostile input, in bounded time', () => {
  beforeAll(async () => {
    for (const extractor of EXTRACTORS) await extractor.init?.();
  });

  it('has a file name for every extractor', () => {
    expect(EXTRACTORS.filter((e) => nameFor(e) === undefined).map((e) => e.id)).toEqual([]);
  });

  /** Shapes that once took minutes or crashed: each extractor meets every one. */
  const KNOWN: [string, string][] = [
    // A backtracking comment pattern made requirements.txt quadratic in a run of whitespace.
    ['a line of 100,000 spaces', `${' '.repeat(100_000)}x\n`],
    ['parentheses 5,000 deep', `${'('.repeat(5_000)}1${')'.repeat(5_000)}`],
    // oxc overflowed its native stack on a line of dashes (prefix `--` nests).
    ['a line of 20,000 dashes', '-'.repeat(20_000)],
  ];

  for (const extractor of EXTRACTORS) {
    const name = nameFor(extractor) ?? extractor.id;
    it(`${extractor.id} (${name}): the shapes that once stalled or crashed a parser`, async () => {
      const context = testContext();
      for (const [shape, text] of KNOWN) {
        await yieldToRunner();
        const started = performance.now();
        const out = extractor.extract({ path: name, text }, context);
        const elapsed = performance.now() - started;
        expect(elapsed, `${shape}: ${Math.round(elapsed)} ms`).toBeLessThan(BOUND_MS);
        expectWellFormed(out, name, text, /\r?\n|\r/);
      }
    });

    it(`${extractor.id} (${name})`, async () => {
      const context = testContext();
      await fc.assert(
        fc.asyncProperty(fc.boolean(), hostileText, async (lead, hostile) => {
          await yieldToRunner();
          const text = (lead ? (LEADS[name] ?? '') : '') + hostile;
          const started = performance.now();
          const out = extractor.extract({ path: name, text }, context);
          const elapsed = performance.now() - started;
          expect(elapsed, `${extractor.id} took ${Math.round(elapsed)} ms`).toBeLessThan(BOUND_MS);
          expectWellFormed(out, name, text, /\r?\n|\r/);
        }),
        { numRuns: 3 },
      );
    });
  }
});
