import { beforeAll, describe, expect, it } from 'vitest';
import { goImports, isModulePath } from '../../src/extractors/go/imports.js';
import { extractFixture, testContext } from '../helpers.js';

beforeAll(async () => {
  await goImports.init?.();
});

describe('go/imports', () => {
  it('reads single and grouped imports, named, blank and dot imports, raw strings; not the standard library', () => {
    const out = extractFixture(goImports, 'extractors/go-imports/basic/main.go');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.location.line}:${r.location.column} ${r.name}`)).toEqual([
      '9:2 example.com/shop/internal/db',
      '10:2 github.com/gorilla/mux',
      '11:4 github.com/lib/pq',
      '12:4 golang.org/x/text/language',
      '13:7 gopkg.in/yaml.v3',
    ]);
    // The module is decided later against go.mod; until then the import path is all that is known.
    for (const ref of out.refs) {
      expect(ref).toMatchObject({
        source: 'imported',
        importName: ref.name,
        inferred: true,
        ecosystem: 'Go',
      });
    }
  });

  it('reads an empty file as no imports', () => {
    expect(extractFixture(goImports, 'extractors/go-imports/empty/main.go')).toEqual({
      refs: [],
      errors: [],
      facts: [],
    });
  });

  it('reports a syntax error with its line and keeps the imports before it', () => {
    const out = extractFixture(goImports, 'extractors/go-imports/broken/main.go');
    expect(out.errors).toEqual([{ line: 8, column: 13, message: 'syntax error: unexpected "{"' }]);
    expect(out.refs.map((r) => r.name)).toEqual(['github.com/gorilla/mux', 'github.com/spf13/cobra']);
  });

  it('reads imports an answer writes without a package clause', () => {
    const out = goImports.extract(
      { path: 'snippet.go', text: 'import "github.com/gin-gonic/gin"\n' },
      testContext(),
    );
    expect(out.refs.map((r) => r.name)).toEqual(['github.com/gin-gonic/gin']);
  });

  it.each([
    ['fmt', false],
    ['net/http', false],
    ['C', false],
    ['myapp/internal/x', false],
    ['./local', false],
    ['', false],
    ['github.com/a/b', true],
    ['golang.org/x/text/language', true],
    ['gopkg.in/yaml.v3', true],
  ])('%j is a module path: %s', (path, expected) => {
    expect(isModulePath(path)).toBe(expected);
  });
});
