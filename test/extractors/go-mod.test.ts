import { describe, expect, it } from 'vitest';
import { goMod } from '../../src/extractors/go/go-mod.js';
import { extractFixture, testContext } from '../helpers.js';

describe('go/go-mod', () => {
  it('reads require lines and blocks with their lines, indirect markers, replacements and the module path', () => {
    const out = extractFixture(goMod, 'extractors/go-mod/basic/go.mod');
    expect(out.errors).toEqual([]);
    const summary = out.refs.map((r) => {
      const parts = [`${r.location.line}:${r.location.column}`, r.name, r.version ?? `spec ${r.spec}`];
      if (r.groups) parts.push(`[${r.groups.join(',')}]`);
      if (r.origin !== 'registry') parts.push(`(${r.origin} ${r.url})`);
      if (r.alias) parts.push(`as ${r.alias}`);
      return parts.join(' ');
    });
    expect(summary).toEqual([
      '10:9 github.com/gorilla/mux v1.8.0',
      '13:2 golang.org/x/text v0.3.7',
      '14:2 github.com/google/uuid v1.6.0',
      '17:2 golang.org/x/sys v0.15.0 [indirect]',
      '18:2 github.com/mattn/go-isatty v0.0.20 [indirect]',
      // The replaced requirements are reported as what is built, under the path the code imports.
      '21:37 example.com/forks/net v0.10.1 as golang.org/x/net',
      '23:38 ../auth spec undefined (path ../auth) as example.com/internal/auth',
    ]);
    expect(out.refs.every((r) => r.source === 'declared' && r.ecosystem === 'Go')).toBe(true);
    // exclude, retract, tool, go, toolchain and godebug name no packages.
    expect(out.refs.map((r) => r.name)).not.toContain('golang.org/x/crypto');
    expect(out.refs.map((r) => r.name)).not.toContain('golang.org/x/tools/cmd/stringer');
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'Go', name: 'example.com/shop' }]);
  });

  it('applies a versioned replacement before an unversioned one, and ignores one for a module not required', () => {
    const text = [
      'module example.com/app',
      'require (',
      '\tgolang.org/x/net v1.2.3',
      '\tgolang.org/x/net v0.5.6',
      '\tgithub.com/pkg/errors v0.9.1',
      ')',
      'replace golang.org/x/net v1.2.3 => example.com/fork/net v1.4.5',
      'replace golang.org/x/net => example.com/other/net v2.0.0',
      'replace github.com/unused/thing v1.0.0 => example.com/fork/thing v1.0.1',
    ].join('\n');
    const out = goMod.extract({ path: 'go.mod', text }, testContext());
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual([
      'github.com/pkg/errors@v0.9.1',
      'example.com/fork/net@v1.4.5',
      'example.com/other/net@v2.0.0',
    ]);
  });

  it('reads an empty go.mod as a manifest without packages', () => {
    const out = extractFixture(goMod, 'extractors/go-mod/empty/go.mod');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([]);
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'Go' }]);
  });

  it('reports each broken line and keeps every requirement it could read', () => {
    const out = extractFixture(goMod, 'extractors/go-mod/broken/go.mod');
    expect(out.errors.map((e) => [e.line, e.message])).toEqual([
      [5, '"github.com/google/uuid": version "1.6.0" is not of the form v1.2.3'],
      [6, 'usage: require module/path v1.2.3'],
      [9, 'unknown directive: "frobnicate"'],
      [
        11,
        'replacement module without version must be a folder path (./ or ../ or absolute): example.com/forks/net',
      ],
      [13, 'the require block is never closed with ")"'],
    ]);
    // A version Go would refuse stays a spec: the module is declared, its version unknown.
    expect(out.refs.map((r) => [r.name, r.version ?? `spec ${r.spec}`])).toEqual([
      ['github.com/gorilla/mux', 'v1.8.0'],
      ['github.com/google/uuid', 'spec 1.6.0'],
      ['github.com/spf13/cobra', 'v1.8.0'],
    ]);
  });

  it('reports a file that is not go.mod at all', () => {
    const out = goMod.extract({ path: 'go.mod', text: 'this is not a go.mod file!' }, testContext());
    expect(out.errors).toEqual([{ line: 1, message: 'unknown directive: "this"' }]);
  });
});
