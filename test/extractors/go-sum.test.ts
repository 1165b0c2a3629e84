import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goSum } from '../../src/extractors/go/go-sum.js';
import { extractFixture, fixturePath, testContext } from '../helpers.js';

describe('go/go-sum', () => {
  it('locks each module version whose code is built, once, at its first line', () => {
    const out = extractFixture(goSum, 'extractors/go-sum/basic/go.sum');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.location.line} ${r.name}@${r.version} ${r.source}`)).toEqual([
      '1 github.com/gorilla/mux@v1.8.0 locked',
      '4 golang.org/x/text@v0.3.7 locked',
      '6 gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c locked',
    ]);
    // github.com/stretchr/objx has only a /go.mod line: its code is never downloaded.
    expect(out.refs.map((r) => r.name)).not.toContain('github.com/stretchr/objx');
    expect(out.facts).toEqual([]);
  });

  it('reads an empty go.sum as nothing locked', () => {
    const out = extractFixture(goSum, 'extractors/go-sum/empty/go.sum');
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports the lines of a merge conflict and keeps the modules around them', () => {
    const out = extractFixture(goSum, 'extractors/go-sum/broken/go.sum');
    expect(out.errors.map((e) => e.line)).toEqual([2, 4, 5, 6]);
    expect(out.errors[2]?.message).toBe('golang.org/x/text: 0.3.8 is not a module version');
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual([
      'github.com/gorilla/mux@v1.8.0',
      'golang.org/x/text@v0.3.7',
    ]);
  });

  it('is not the build list: only the version go.mod selects, else the highest, is used', () => {
    const read = (name: string) => ({
      path: `go-sum/build-list/${name}`,
      text: readFileSync(fixturePath('extractors/go-sum/build-list', name), 'utf8'),
    });
    const out = goSum.extract(read('go.sum'), testContext({ readRelative: (_from, path) => read(path) }));
    expect(out.errors).toEqual([]);
    // x/text v0.3.8 is in go.sum, but go.mod selects v0.3.7; yaml.v2 is not in go.mod: the highest is built.
    expect(out.refs.map((r) => `${r.location.line} ${r.name}@${r.version}`)).toEqual([
      '3 github.com/gorilla/mux@v1.8.0',
      '5 golang.org/x/text@v0.3.7',
      '10 gopkg.in/yaml.v2@v2.4.0',
    ]);
  });
});
