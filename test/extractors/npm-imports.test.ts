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

  it('leaves out require.resolve with a paths option: a lookup from another package’s folder', () => {
    const { out, refs } = summary('resolve-paths', 'webpack-aliases.js');
    expect(out.errors).toEqual([]);
    expect(refs).toEqual([
      '@huggingface/transformers @huggingface/transformers 7',
      'babel-loader babel-loader 9',
    ]);
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

  it('keeps the imports before and after a syntax error, and still reports the error', () => {
    const { out, refs } = summary('partial', 'index.js');
    expect(refs.sort()).toEqual(['cors cors 6', 'debug debug 2', 'express express 1', 'helmet helmet 7']);
    expect(out.errors).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/^syntax error: /) }),
    ]);
  });

  it('reads a Flow file (import type, import typeof) without calling it broken', () => {
    const { out, refs } = summary('flow', 'component.js');
    expect(out.errors).toEqual([]);
    expect(refs.sort()).toEqual([
      '@emotion/css @emotion/css 6',
      'node-fetch node-fetch 5 type',
      'react react 4 type',
    ]);
  });

  it('reads type-only forms: reference types, imports inside declare module, typeof import()', () => {
    const shims = summary('type-forms', 'shims.d.ts');
    expect(shims.refs.sort()).toEqual([
      '@types/node node 1 type',
      'vite vite/client 2 type',
      'vue vue 4 type',
    ]);
    expect(shims.out.refs.find((r) => r.name === '@types/node')?.alternatives).toEqual(['node']);
    // A wildcard module declaration inside a file without imports is an ambient module, not a package.
    expect(shims.out.facts).toEqual([{ kind: 'ambient-modules', ecosystem: 'npm', patterns: ['*.vue'] }]);
    expect(summary('type-forms', 'store.ts').refs.sort()).toEqual([
      'axios axios 2 type',
      'pinia pinia 3',
      'zod zod 1 type',
    ]);
  });

  it('declares ambient modules only in scripts: in a module, declare module augments a package', () => {
    expect(extractFixture(jsImports, DIR, 'ambient', 'globals.d.ts').facts).toEqual([
      { kind: 'ambient-modules', ecosystem: 'npm', patterns: ['virtual:pwa-register', '*.svg'] },
    ]);
    const augment = summary('ambient', 'augment.d.ts');
    expect(augment.out.facts).toEqual([]);
    expect(augment.refs).toEqual(['vue-router vue-router 1 type']);
  });
});
