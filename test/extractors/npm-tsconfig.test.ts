import { describe, expect, it } from 'vitest';
import { tsconfig } from '../../src/extractors/npm/tsconfig.js';
import { extractFixture } from '../helpers.js';

const read = (scenario: string) =>
  extractFixture(tsconfig, `extractors/npm-tsconfig/${scenario}/tsconfig.json`);

describe('npm/tsconfig', () => {
  it('reads paths and baseUrl as names of the project, compilerOptions.types as type-only imports, exclude as files it does not check', () => {
    const out = read('normal');
    expect(out.errors).toEqual([]);
    expect(out.facts).toEqual([
      { kind: 'import-aliases', ecosystem: 'npm', patterns: ['@/*', '~config'] },
      { kind: 'module-roots', ecosystem: 'npm', dirs: ['src'] },
      // What the type-check leaves out, anchored at the config's folder; a folder outside it says nothing here.
      { kind: 'lint-ignores', ecosystem: 'npm', patterns: ['/dist', '/test/fixtures'], by: 'tsconfig' },
    ]);
    // `node` is DefinitelyTyped's @types/node (or a package with its own types); `vitest/globals` is vitest's.
    expect(
      out.refs.map((r) => `${r.name} ${r.importName} ${r.location.line}${r.typeOnly ? ' type' : ''}`),
    ).toEqual(['@types/node node 6 type', 'vitest vitest/globals 6 type']);
    expect(out.refs[0]).toMatchObject({
      source: 'imported',
      extractor: 'npm/tsconfig',
      alternatives: ['node'],
    });
  });

  it('says nothing about an empty file', () => {
    expect(read('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports broken JSON with its line and keeps what it read', () => {
    const out = read('broken');
    expect(out.errors.length).toBeGreaterThan(0);
    expect(out.errors[0]).toMatchObject({ line: expect.any(Number) });
    expect(out.facts).toEqual([{ kind: 'module-roots', ecosystem: 'npm', dirs: ['.'] }]);
  });
});
