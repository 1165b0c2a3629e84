import { describe, expect, it } from 'vitest';
import { jsImports } from '../../src/extractors/npm/imports.js';
import { extractFixture } from '../helpers.js';

const DIR = 'extractors/npm-imports';

function summary(scenario: string, file: string) {
  const out = extractFixture(jsImports, DIR, scenario, file);
  return {
    out,
    refs: out.refs.map((r) => `${r.name} ${r.importName} ${r.location.line}${r.typeOnly ? ' type' : ''}`),
  };
}

describe('npm/imports', () => {
  it('maps every import form to its package and drops what is not a package', () => {
    const { out, refs } = summary('forms', 'app.mjs');
    expect(out.errors).toEqual([]);
    expect(refs).toEqual([
      'express express 1',
      'lodash lodash/merge 2',
      '@scope/side-effect @scope/side-effect/register 3',
      'some-loader some-loader?raw 13',
      '@acme/helpers @acme/helpers/dist/index.js 4',
      'rxjs rxjs/operators 5',
      'chalk chalk 15',
      'dayjs dayjs 17',
    ]);
    expect(out.refs[0]).toMatchObject({
      source: 'imported',
      extractor: 'npm/imports',
      location: { column: 21 },
    });
  });

  it('finds real require and require.resolve calls, not ones in comments, strings, regexes or members', () => {
    const { out, refs } = summary('commonjs', 'index.cjs');
    expect(out.errors).toEqual([]);
    expect(refs).toEqual(['debug debug 2', 'mime-types mime-types/package.json 3']);
  });

  it('marks type-only imports and reads TypeScript import-equals', () => {
    const { out, refs } = summary('typescript', 'index.ts');
    expect(out.errors).toEqual([]);
    expect(refs.sort()).toEqual(
      [
        'express express 1 type',
        'ky ky 2',
        'zod zod 4 type',
        'express-legacy express-legacy 3',
        'legacy-types legacy-types 5 type',
      ].sort(),
    );
  });

  it('marks every import of a declaration file as type-only', () => {
    expect(summary('declaration', 'index.d.ts').refs).toEqual(['zod zod 1 type']);
  });

  it('gives nothing for an empty file', () => {
    expect(extractFixture(jsImports, DIR, 'empty', 'index.js')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports a syntax error with its line', () => {
    const out = extractFixture(jsImports, DIR, 'broken', 'index.js');
    expect(out.errors.length).toBeGreaterThan(0);
    expect(out.errors[0]).toMatchObject({ line: expect.any(Number) });
    expect(out.errors[0]?.message).toMatch(/^syntax error: /);
  });
});
