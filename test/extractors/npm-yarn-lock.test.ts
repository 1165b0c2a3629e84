import { describe, expect, it } from 'vitest';
import { yarnLock } from '../../src/extractors/npm/yarn-lock.js';
import { extractFixture, testContext } from '../helpers.js';
import { dependencyGraph, findRef } from './fixture-context.js';

describe('npm/yarn-lock', () => {
  it('reads yarn.lock files only', () => {
    expect(yarnLock.matches('web/yarn.lock')).toBe(true);
    expect(yarnLock.matches('yarn.lock.bak')).toBe(false);
  });

  describe('classic (v1)', () => {
    const out = extractFixture(yarnLock, 'extractors/npm-yarn-lock/classic/yarn.lock');

    it('reports one package per entry, with the line of its key', () => {
      expect(out.errors).toEqual([]);
      expect(out.refs.map((r) => `${r.name}@${r.version}:${r.location.line}`)).toEqual([
        '@babel/code-frame@7.22.13:5',
        '@babel/highlight@7.22.20:13',
        'chalk@2.4.2:18',
        'ansi-styles@3.2.1:26',
        'supports-color@5.5.0:30',
        'strip-ansi@6.0.1:34',
        'ansi-regex@5.0.1:40',
        'left-pad@1.3.0:44',
        'local-util@0.0.1:48',
      ]);
      expect(out.refs.every((r) => r.source === 'locked' && r.groups === undefined)).toBe(true);
    });

    it('reports aliases under the real name, git entries with their commit, file: entries as paths', () => {
      expect(findRef(out, 'strip-ansi').alias).toBe('strip-ansi-cjs');
      expect(findRef(out, 'left-pad')).toMatchObject({
        origin: 'git',
        commit: '5b8e1b0c1ba5b6c2d4f7e3d1c9a0b8f7e6d5c4b3',
      });
      expect(findRef(out, 'local-util')).toMatchObject({ origin: 'path', url: 'file:./vendor/local-util' });
      expect(findRef(out, 'chalk').origin).toBe('registry');
    });

    it('builds edges from dependencies and optionalDependencies; classic records no roots', () => {
      const fact = dependencyGraph(out);
      expect(fact.roots).toBeUndefined();
      expect(fact.manager).toBe('yarn-classic');
      expect(fact.edges['@babel/code-frame']).toEqual(['@babel/highlight', 'chalk']);
      expect(fact.edges['local-util']).toEqual(['strip-ansi']);
      expect(fact.edges['ansi-regex']).toEqual([]);
    });
  });

  describe('berry (v2+)', () => {
    const out = extractFixture(yarnLock, 'extractors/npm-yarn-lock/berry/yarn.lock');

    it('skips __metadata and the root workspace, keeps other workspaces with their version', () => {
      expect(out.errors).toEqual([]);
      expect(out.refs.map((r) => r.name)).not.toContain('shop');
      expect(findRef(out, '@shop/web')).toMatchObject({
        version: '0.0.0-use.local',
        origin: 'workspace',
        url: 'workspace:packages/web',
        location: { line: 8 },
      });
      expect(out.refs).toHaveLength(6);
    });

    it('reads npm: aliases, plain npm: ranges and git resolutions', () => {
      expect(findRef(out, 'lodash')).toMatchObject({
        version: '3.10.1',
        alias: 'lodash-legacy',
        location: { line: 23 },
      });
      expect(findRef(out, 'react')).toMatchObject({
        version: '18.2.0',
        origin: 'registry',
        location: { line: 41 },
      });
      expect(findRef(out, 'react').alias).toBeUndefined();
      expect(findRef(out, 'tiny-emitter')).toMatchObject({
        version: '2.1.0',
        origin: 'git',
        commit: '9e3c3b1f2a4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f',
      });
    });

    it('takes the roots from the workspaces and strips npm: aliases in edges', () => {
      const fact = dependencyGraph(out);
      expect(fact.roots?.sort()).toEqual(['@shop/web', 'lodash', 'react', 'tiny-emitter']);
      expect(fact.edges.react).toEqual(['loose-envify']);
      expect(fact.edges['loose-envify']).toEqual(['js-tokens']);
      expect(fact.edges['@shop/web']).toEqual(['react']);
    });

    it('keeps each workspace of a berry lockfile as an importer', () => {
      const fact = dependencyGraph(out);
      expect(fact.manager).toBe('yarn-berry');
      expect(Object.keys(fact.importers ?? {}).sort()).toEqual(expect.arrayContaining(['.']));
      expect(
        Object.values(fact.importers ?? {})
          .flat()
          .sort(),
      ).toEqual(fact.roots?.sort());
    });
  });

  it('a berry workspace whose key lists other ranges first is still the workspace: never a registry version', () => {
    const out = extractFixture(yarnLock, 'extractors/npm-yarn-lock/berry-merged/yarn.lock');
    expect(out.errors).toEqual([]);
    // `0.0.0-use.local` is no version of any registry package: asking a registry for it would call it made up.
    expect(findRef(out, '@shop/core')).toMatchObject({
      version: '0.0.0-use.local',
      origin: 'workspace',
      url: 'workspace:packages/core',
      location: { line: 8 },
    });
    expect(findRef(out, 'react').origin).toBe('registry');
    const fact = dependencyGraph(out);
    expect(fact.importers?.['packages/core']).toEqual(['react']);
    expect(fact.importers?.['packages/web']).toEqual(['@shop/core']);
  });

  it('reads a lockfile with only its header as no packages and no error', () => {
    const out = extractFixture(yarnLock, 'extractors/npm-yarn-lock/empty/yarn.lock');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([]);
  });

  it('reports a broken entry with its line and keeps the entries around it', () => {
    const out = extractFixture(yarnLock, 'extractors/npm-yarn-lock/broken/yarn.lock');
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 13 });
    expect(out.errors[0]?.message).toMatch(/^invalid yarn.lock entry: /);
    expect(out.refs.map((r) => `${r.name}@${r.version}:${r.location.line}`)).toEqual([
      'chalk@2.4.2:5',
      'supports-color@5.5.0:15',
    ]);
  });

  it('reports a broken berry entry with its line', () => {
    const text = '__metadata:\n  version: 8\n\n"ms@npm:^2.1.2":\n  version: 2.1.2\n  resolution: [\n';
    const out = yarnLock.extract({ path: 'yarn.lock', text }, testContext());
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]?.line).toBe(6);
    expect(out.refs).toEqual([]);
  });
});
