import { describe, expect, it } from 'vitest';
import { bunLock } from '../../src/extractors/npm/bun-lock.js';
import { extractFixture } from '../helpers.js';
import { dependencyGraph, findRef } from './fixture-context.js';

describe('npm/bun-lock', () => {
  it('reads bun.lock, not the binary bun.lockb', () => {
    expect(bunLock.matches('bun.lock')).toBe(true);
    expect(bunLock.matches('bun.lockb')).toBe(false);
  });

  describe('a project with a workspace', () => {
    const out = extractFixture(bunLock, 'extractors/npm-bun-lock/normal/bun.lock');

    it('reports every tuple with its version and line, trailing commas and all', () => {
      expect(out.errors).toEqual([]);
      expect(findRef(out, 'chalk')).toMatchObject({
        version: '4.1.2',
        source: 'locked',
        location: { line: 29 },
      });
      expect(findRef(out, 'has-flag', '3.0.0').location.line).toBe(47);
      expect(out.refs).toHaveLength(13);
    });

    it('reads aliases, github and file: tuples, and workspace versions', () => {
      expect(findRef(out, 'supports-color', '5.5.0').alias).toBe('supports-color-old');
      const git = findRef(out, 'left-pad');
      expect(git).toMatchObject({ origin: 'git', commit: '5b8e1b0' });
      expect(git.version).toBeUndefined();
      const local = findRef(out, 'local-util');
      expect(local).toMatchObject({ origin: 'path', url: 'file:vendor/local-util' });
      expect(local.version).toBeUndefined();
      expect(findRef(out, '@shop/web')).toMatchObject({ origin: 'workspace', version: '0.1.0' });
    });

    it('takes roots from all workspaces and edges from each tuple, resolving nested and aliased keys', () => {
      const fact = dependencyGraph(out);
      expect(fact.roots?.sort()).toEqual([
        'chalk',
        'left-pad',
        'local-util',
        'react',
        'supports-color',
        'typescript',
      ]);
      expect(fact.edges.chalk).toEqual(['ansi-styles', 'supports-color']);
      expect(fact.edges['supports-color']).toEqual(['has-flag']);
      expect(fact.edges['@shop/web']).toEqual(['react']);
      expect(fact.manager).toBe('bun');
      expect(Object.keys(fact.importers ?? {})).toContain('.');
    });
  });

  it('reports an empty file as an error, not a crash', () => {
    const out = extractFixture(bunLock, 'extractors/npm-bun-lock/empty/bun.lock');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([{ line: 1, column: 1, message: 'invalid JSON: ValueExpected' }]);
  });

  it('reports a malformed tuple and broken JSON with their lines and keeps the other packages', () => {
    const out = extractFixture(bunLock, 'extractors/npm-bun-lock/broken/bun.lock');
    expect(out.errors).toContainEqual({
      line: 14,
      message: 'could not extract "debug": first element of the package tuple is not a string',
    });
    expect(out.errors).toContainEqual({ line: 17, column: 5, message: 'invalid JSON: CommaExpected' });
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(['ms@2.1.2', 'wrappy@1.0.2', 'once@1.4.0']);
  });
});
