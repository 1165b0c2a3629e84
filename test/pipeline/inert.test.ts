import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { fixturePath } from '../helpers.js';

const ROOT = fixturePath('project/inert');

function findingsOf(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.kind} ${f.name} ${f.location.file}:${f.location.line}`).sort();
}

describe('test inputs that are data, not code', () => {
  it('skips snapshot inputs and fixture folders once each, with the reason, and keeps real code', async () => {
    const result = await scan(['.'], { cwd: ROOT });
    // No fake package names, no parse errors of deliberately broken inputs: one skipped entry per folder.
    expect(result.errors).toEqual([]);
    expect(result.skipped).toEqual([
      // .gitattributes marks it linguist-vendored: someone else's code.
      { file: 'vendors/lib.js', reason: 'vendored', kind: 'source' },
      {
        file: 'packages/plugin/__tests__/__fixtures__',
        reason: 'inert-data',
        detail: 'the fixtures of a test suite',
      },
      // Two folders of snapshot inputs in one suite: said once, with their number.
      { file: 'tests/format', reason: 'inert-data', detail: 'the inputs of snapshot tests (2 folders)' },
    ]);
    // broken.js fails to parse and odd.js is Flow read by the lexer: neither is an error of the scan.
    // A fixture folder whose code imports what the project knows is code: its phantom is still found.
    expect(findingsOf(result)).toEqual([
      'undeclared left-pad fixtures/pkg/index.js:2',
      'undeclared vitest packages/plugin/__tests__/index.test.js:2',
    ]);
  });

  it('says a parse error in a file the project’s ESLint ignores as a warning, not a gate failure', async () => {
    const result = await scan(['.'], { cwd: ROOT });
    // eslint.config.js ignores tests/integration/cli/ (a template of patterns, one a line): its invalid input
    // is a warning; its import before the error is still read.
    expect(result.errors.map((e) => e.file)).toEqual([]);
    expect(
      result.warnings?.some((w) =>
        w.startsWith('tests/integration/cli/syntax-errors/invalid.js:2: syntax error'),
      ),
    ).toBe(true);
    expect(
      result.packages.some((p) => p.name === 'jest' && p.location.file.startsWith('tests/integration')),
    ).toBe(true);
  });

  it('a parse error in a file tsconfig.json excludes or knip ignores is a warning; its imports are still checked', async () => {
    const result = await scan(['.'], { cwd: fixturePath('project/hints') });
    expect(result.errors).toEqual([]);
    const warned = (start: string, said: string) =>
      result.warnings?.some((w) => w.startsWith(start) && w.includes(said));
    expect(warned('legacy/old.js:3', "tsconfig.json excludes this file from the project's type-check")).toBe(
      true,
    );
    expect(warned('scripts/generated/bad.js:2', "the project's knip configuration (knip.json)")).toBe(true);
    // Nothing is hidden: the imports read before each error are still phantoms.
    expect(findingsOf(result)).toEqual([
      'undeclared chalk src/extension.ts:3',
      'undeclared moment legacy/old.js:1',
      'undeclared yargs scripts/generated/bad.js:1',
    ]);
  });

  it('anchors --exclude patterns to the scanned folder, not only to the working directory', async () => {
    const outside = dirname(ROOT);
    const result = await scan(['inert'], { cwd: outside, exclude: ['fixtures/pkg/**'] });
    expect(findingsOf(result)).toEqual(['undeclared vitest inert/packages/plugin/__tests__/index.test.js:2']);
  });

  it('--exclude takes one pattern each time and leaves the paths after it to the scan', async () => {
    let stdout = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: () => true, isTTY: false },
      env: { VOUCH_CACHE_DIR: process.env.VOUCH_CACHE_DIR },
      cwd: dirname(ROOT),
      readStdin: async () => '',
    };
    const args = ['scan', '--no-registry', '--no-database', '--format', 'json', '--exclude', 'fixtures/**'];
    const exit = await main([...args, '--exclude', 'packages/**', 'inert'], io);
    expect(exit).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ inputs: ['inert'], findings: [] });
  });
});

describe('inert data by its parse errors', () => {
  it('calls a fixture folder outside a test suite inert when most files do not parse or most names are unknown', async () => {
    const result = await scan(['.'], { cwd: fixturePath('project/inert-broken') });
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([
      { file: 'fixtures', reason: 'inert-data', detail: 'test inputs: 2 of 3 files do not parse' },
      {
        file: 'testdata',
        reason: 'inert-data',
        detail: 'test inputs: 2 of the 3 package names imported are known to no manifest or lockfile',
      },
    ]);
  });

  it('keeps a fixture folder outside a test suite whose imports are mostly known', async () => {
    // fixtures/pkg of the first scenario imports jest (declared) and left-pad (unknown): half is not most.
    const result = await scan(['fixtures'], { cwd: fixturePath('project/inert') });
    expect(result.skipped).toEqual([]);
    expect(findingsOf(result)).toEqual(['undeclared left-pad fixtures/pkg/index.js:2']);
  });
});
