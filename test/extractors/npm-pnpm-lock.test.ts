import { describe, expect, it } from 'vitest';
import { pnpmLock } from '../../src/extractors/npm/pnpm-lock.js';
import type { ExtractResult } from '../../src/extractors/types.js';
import { extractFixture, testContext } from '../helpers.js';
import { dependencyGraph, findRef } from './fixture-context.js';

const summary = (out: ExtractResult) => out.refs.map((r) => `${r.name}@${r.version}:${r.location.line}`);

describe('npm/pnpm-lock', () => {
  it('reads pnpm-lock.yaml files only', () => {
    expect(pnpmLock.matches('apps/web/pnpm-lock.yaml')).toBe(true);
    expect(pnpmLock.matches('pnpm-workspace.yaml')).toBe(false);
  });

  describe('lockfile v9', () => {
    const out = extractFixture(pnpmLock, 'extractors/npm-pnpm-lock/v9/pnpm-lock.yaml');

    it('reports each package of `packages` with its version and the line of its key', () => {
      expect(out.errors).toEqual([]);
      expect(summary(out)).toEqual([
        'acorn-jsx@5.3.2:36',
        'acorn@8.11.3:41',
        'js-tokens@4.0.0:46',
        'lodash@3.10.1:49',
        'loose-envify@1.4.0:52',
        'react@18.2.0:56',
        'tiny-emitter@2.1.0:60',
        'typescript@5.4.5:64',
      ]);
      // v9 no longer marks dev packages.
      expect(out.refs.every((r) => r.groups === undefined)).toBe(true);
    });

    it('takes a git package version from its fields and the commit from the codeload tarball', () => {
      expect(findRef(out, 'tiny-emitter')).toMatchObject({
        origin: 'git',
        commit: '9e3c3b1f2a4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f',
      });
    });

    it('takes roots from every importer (aliases resolved) and edges from snapshots', () => {
      const fact = dependencyGraph(out);
      expect(fact.roots?.sort()).toEqual([
        '@shop/ui',
        'acorn-jsx',
        'lodash',
        'react',
        'tiny-emitter',
        'typescript',
      ]);
      expect(fact.edges['acorn-jsx']).toEqual(['acorn']);
      expect(fact.edges.react).toEqual(['loose-envify']);
      expect(fact.edges.typescript).toEqual([]);
      // Each importer keeps its own direct dependencies, and the lockfile says it is pnpm's.
      expect(fact.manager).toBe('pnpm');
      expect(Object.keys(fact.importers ?? {}).length).toBeGreaterThan(1);
      expect(
        Object.values(fact.importers ?? {})
          .flat()
          .sort(),
      ).toEqual(fact.roots?.sort());
    });
  });

  describe('lockfile v6', () => {
    const out = extractFixture(pnpmLock, 'extractors/npm-pnpm-lock/v6/pnpm-lock.yaml');

    it('strips peer suffixes, reads host-prefixed paths and marks dev packages', () => {
      expect(out.errors).toEqual([]);
      expect(summary(out)).toEqual([
        '@types/react@18.2.79:22',
        'csstype@3.1.3:28',
        'loose-envify@1.4.0:34',
        'react-dom@18.2.0:39',
        'react@18.2.0:48',
        'string-width@4.2.3:55',
      ]);
      expect(findRef(out, '@types/react').groups).toEqual(['dev']);
      expect(findRef(out, 'csstype').groups).toEqual(['dev']);
      expect(findRef(out, 'react-dom').groups).toBeUndefined();
    });

    it('takes roots from the top-level dependency maps, resolving an alias to the real name', () => {
      const fact = dependencyGraph(out);
      expect(fact.roots?.sort()).toEqual(['@types/react', 'react-dom', 'string-width']);
      expect(fact.edges['react-dom']?.sort()).toEqual(['loose-envify', 'react']);
      expect(fact.edges['@types/react']).toEqual(['csstype']);
    });
  });

  describe('lockfile v5', () => {
    const out = extractFixture(pnpmLock, 'extractors/npm-pnpm-lock/v5/pnpm-lock.yaml');

    it('merges peer variants of one version; a production variant makes it production', () => {
      expect(summary(out)).toEqual([
        '@typescript-eslint/parser@5.13.0:15',
        'debug@4.3.3:37',
        'eslint@8.10.0:43',
        'ms@2.1.2:48',
        'typescript@4.6.2:52',
      ]);
      expect(findRef(out, '@typescript-eslint/parser').groups).toBeUndefined();
      expect(findRef(out, 'debug').groups).toEqual(['dev']);
    });

    it('reports an invalid dependency path with its line and goes on', () => {
      expect(out.errors).toEqual([{ line: 58, message: 'invalid dependency path: "invalidpath"' }]);
    });

    it('builds edges from the packages and roots from devDependencies', () => {
      const fact = dependencyGraph(out);
      expect(fact.roots?.sort()).toEqual(['@typescript-eslint/parser', 'eslint', 'typescript']);
      expect(fact.edges['@typescript-eslint/parser']?.sort()).toEqual(['debug', 'eslint', 'typescript']);
      expect(fact.edges.debug).toEqual(['ms']);
    });
  });

  it('reads an empty file as no packages and no error', () => {
    const out = extractFixture(pnpmLock, 'extractors/npm-pnpm-lock/empty/pnpm-lock.yaml');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([]);
  });

  it('reports broken YAML with its line and keeps the packages it could read', () => {
    const out = extractFixture(pnpmLock, 'extractors/npm-pnpm-lock/broken/pnpm-lock.yaml');
    expect(out.errors[0]).toMatchObject({ line: 18 });
    expect(out.errors[0]?.message).toMatch(/^invalid YAML: /);
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(['ms@2.1.2', 'debug@4.3.4']);
  });

  it('reports a document that is not a mapping', () => {
    const out = pnpmLock.extract({ path: 'pnpm-lock.yaml', text: 'just text\n' }, testContext());
    expect(out.errors).toEqual([{ line: 1, message: 'pnpm-lock.yaml is not a YAML mapping' }]);
  });
});
