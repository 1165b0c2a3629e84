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
import { probeHidingText, testContext } from '../helpers.js';
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
  // One enormous line, of a name's characters, a separator, or an escape (oxc reports an error per stray
  // backslash and renders the whole line for each: oxc-budget.ts keeps such text from it).
  fc
    .tuple(fc.constantFrom('a', '-', '=', ' ', '.', '\\'), fc.integer({ min: 20_000, max: 100_000 }))
    .map(([char, length]) => char.repeat(length)),
  // Error-dense text on lines of any length: one syntax error every few characters.
  fc
    .tuple(
      fc.constantFrom('\\', 'return;', '({a=1});', '-', '@'),
      fc.integer({ min: 1, max: 5_000 }),
      fc.integer({ min: 20_000, max: 100_000 }),
    )
    .map(([unit, perLine, total]) => {
      const line = `${unit.repeat(perLine)}\n`;
      return line.repeat(Math.max(1, Math.floor(total / line.length)));
    }),
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

  /** Error-dense shapes that stalled the parsers made in native code or wasm (oxc, tree-sitter). */
  const DENSE: [string, string][] = [
    // Each tree-sitter grammar took 4 to 9 s over the error tree of a line of 200,000 dashes.
    ['a line of 200,000 dashes', '-'.repeat(200_000)],
    ['1,000 lines of 100 dashes', `${'-'.repeat(100)}\n`.repeat(1_000)],
    // oxc took over a minute: an error per backslash, each rendered with its whole line.
    ['200 KB of backslashes on one line', '\\'.repeat(200_000)],
    ['200 KB of backslashes on lines of 5,000', `${'\\'.repeat(5_000)}\n`.repeat(40)],
    // 70 KB of these on one line took oxc 30 s; 800 KB on lines of their own, 8 s.
    ['10,000 top-level returns on one line', 'return;'.repeat(10_000)],
    ['30,000 top-level returns', 'return;\n'.repeat(30_000)],
    // Every piece the probe reads alone starts with an unrecoverable error, so it sees one error a piece; oxc
    // took 75 s over 256 KB of it and 324 s over 512 KB. The parse deadline ends it (issue 11).
    ['512 KB whose errors hide from the probe', probeHidingText(512 * 1024, "import a from 'left-pad';\n")],
  ];
  const PARSED_NATIVELY = new Set([
    'app.ts',
    'vite.config.js',
    '.eslintrc.json',
    'app.py',
    'main.go',
    'main.rs',
    'App.java',
    'app.rb',
    'Gemfile',
    'app.gemspec',
    'answer.md',
  ]);

  for (const extractor of EXTRACTORS) {
    const name = nameFor(extractor) ?? extractor.id;
    const shapes = PARSED_NATIVELY.has(name) ? [...KNOWN, ...DENSE] : KNOWN;
    it(`${extractor.id} (${name}): the shapes that once stalled or crashed a parser`, async () => {
      const context = testContext();
      for (const [shape, text] of shapes) {
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
