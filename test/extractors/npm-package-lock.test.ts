import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commitOfResolved, packageLock } from '../../src/extractors/npm/package-lock.js';
import { extractFixture, fixturePath, testContext } from '../helpers.js';
import { dependencyGraph, findRef } from './fixture-context.js';

describe('npm/package-lock', () => {
  it('reads package-lock.json and npm-shrinkwrap.json, not the hidden lockfile in node_modules', () => {
    expect(packageLock.matches('app/package-lock.json')).toBe(true);
    expect(packageLock.matches('npm-shrinkwrap.json')).toBe(true);
    expect(packageLock.matches('node_modules/.package-lock.json')).toBe(false);
    expect(packageLock.matches('package.json')).toBe(false);
  });

  describe('v3 with workspaces', () => {
    const out = extractFixture(packageLock, 'extractors/npm-package-lock/v3-workspaces/package-lock.json');

    it('reports every installed copy once with its exact version and line', () => {
      expect(out.errors).toEqual([]);
      expect(findRef(out, 'express')).toMatchObject({
        version: '4.18.2',
        source: 'locked',
        location: { line: 52 },
      });
      expect(findRef(out, 'debug', '2.6.9').location.line).toBe(60);
      expect(findRef(out, 'debug', '4.3.4').location.line).toBe(43);
      // The project itself and the link entries pointing at local folders are not packages of their own.
      expect(out.refs.map((r) => r.name)).not.toContain('shop');
      expect(out.refs.filter((r) => r.name === '@shop/web')).toHaveLength(1);
      expect(out.refs).toHaveLength(17);
    });

    it('maps dev, optional, devOptional and inBundle to groups; a production copy makes it production', () => {
      expect(findRef(out, 'vitest').groups).toEqual(['dev']);
      expect(findRef(out, 'fsevents').groups).toEqual(['optional']);
      expect(findRef(out, '@esbuild/linux-x64').groups).toEqual(['dev', 'optional']);
      expect(findRef(out, 'tinyspy').groups).toEqual(['bundled', 'dev']);
      // js-tokens is installed for react (production) and again under vitest (dev).
      expect(findRef(out, 'js-tokens')).toMatchObject({ version: '4.0.0', location: { line: 82 } });
      expect(findRef(out, 'js-tokens').groups).toBeUndefined();
      expect(findRef(out, 'express').groups).toBeUndefined();
    });

    it('reports an alias under the real name, git deps with their commit, local folders by origin', () => {
      expect(findRef(out, 'lodash')).toMatchObject({ version: '3.10.1', alias: 'lodash-legacy' });
      expect(findRef(out, 'left-pad')).toMatchObject({
        version: '1.3.0',
        origin: 'git',
        commit: '5b8e1b0c1ba5b6c2d4f7e3d1c9a0b8f7e6d5c4b3',
      });
      expect(findRef(out, '@shop/web')).toMatchObject({
        version: '0.1.0',
        origin: 'workspace',
        url: 'packages/web',
      });
      expect(findRef(out, 'local-util')).toMatchObject({
        version: '0.0.1',
        origin: 'path',
        url: 'vendor/local-util',
      });
      expect(findRef(out, 'react').origin).toBe('registry');
    });

    it('builds the graph with npm resolution: nested copies, aliases, workspace roots', () => {
      const fact = dependencyGraph(out);
      expect(fact.roots?.sort()).toEqual(
        ['express', 'fsevents', 'left-pad', 'local-util', 'lodash', 'react', 'typescript', 'vitest'].sort(),
      );
      expect(fact.edges.express).toEqual(['debug']);
      expect(fact.edges.react).toEqual(['loose-envify']);
      expect(fact.edges['loose-envify']).toEqual(['js-tokens']);
      expect(fact.edges.vitest?.sort()).toEqual(['@esbuild/linux-x64', 'debug', 'tinyspy']);
      expect(fact.edges['@shop/web']?.sort()).toEqual(['react', 'typescript']);
      // Leaves are keys too, so that "is it in the lockfile at all" has an answer.
      expect(fact.edges.ms).toEqual([]);
      // One importer per project: the root (`.`) and each workspace folder, with its own direct dependencies.
      expect(fact.manager).toBe('npm');
      expect(Object.keys(fact.importers ?? {})).toContain('.');
      expect(Object.keys(fact.importers ?? {}).length).toBeGreaterThan(1);
    });
  });

  describe('v1 npm-shrinkwrap.json', () => {
    const out = extractFixture(packageLock, 'extractors/npm-package-lock/v1-shrinkwrap/npm-shrinkwrap.json');

    it('reads nested dependencies with their lines and groups', () => {
      expect(out.errors).toEqual([]);
      expect(findRef(out, 'supports-color', '5.5.0').location.line).toBe(16);
      expect(findRef(out, 'supports-color', '7.2.0')).toMatchObject({
        groups: ['dev'],
        location: { line: 36 },
      });
      expect(findRef(out, 'has-flag', '4.0.0')).toMatchObject({ groups: ['dev'], location: { line: 45 } });
      expect(out.refs).toHaveLength(10);
    });

    it('reads npm: aliases, git versions and file: versions', () => {
      expect(findRef(out, 'strip-ansi')).toMatchObject({ version: '6.0.1', alias: 'strip-ansi-cjs' });
      const git = findRef(out, 'wrap-text');
      expect(git).toMatchObject({ origin: 'git', commit: '0f4b6c2a9d8e7f1a2b3c4d5e6f708192a3b4c5d6' });
      expect(git.version).toBeUndefined();
      const local = findRef(out, 'local-config');
      expect(local).toMatchObject({ origin: 'path', url: 'file:../local-config', groups: ['optional'] });
      expect(local.version).toBeUndefined();
    });

    it('builds edges from requires (aliases resolved) and nested dependencies; v1 records no roots', () => {
      const fact = dependencyGraph(out);
      expect(fact.roots).toBeUndefined();
      expect(fact.edges.chalk?.sort()).toEqual(['ansi-styles', 'supports-color']);
      expect(fact.edges['wrap-text']).toEqual(['strip-ansi']);
      expect(fact.edges['supports-color']).toEqual(['has-flag']);
    });
  });

  describe('whatever the layout', () => {
    const path = 'extractors/npm-package-lock/v3-workspaces/package-lock.json';
    const written = readFileSync(fixturePath(path), 'utf8');
    const read = (text: string) => packageLock.extract({ path, text }, testContext());

    it('reads the lockfile as npm writes it and the same lockfile indented with tabs to the same packages, lines and graph', () => {
      // npm's two-space layout is read with JSON.parse and the entries' lines found by their keys; any other
      // layout goes through the positioned parser. Same lines either way: only the indentation differs.
      const tabbed = JSON.stringify(JSON.parse(written), null, '\t');
      expect(read(tabbed)).toEqual(read(JSON.stringify(JSON.parse(written), null, 2)));
      expect(read(written)).toEqual(read(tabbed));
    });

    it('gives each entry the line of its own key when a nested object has a key at the same indentation', () => {
      // A hand edit that puts a nested key four spaces in: the keys found are no longer the entries, so the
      // positioned parser reads it, and express keeps its own line.
      const edited = written.replace(
        '"node_modules/express": {',
        '"node_modules/express": {\n    "note": "x",',
      );
      const out = read(edited);
      expect(out.errors).toEqual([]);
      expect(findRef(out, 'express').location.line).toBe(52);
      expect(findRef(out, 'debug', '2.6.9').location.line).toBe(61);
    });
  });

  it('reports an empty file as an error, not a crash', () => {
    const out = extractFixture(packageLock, 'extractors/npm-package-lock/empty/package-lock.json');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([{ line: 1, column: 1, message: 'invalid JSON: ValueExpected' }]);
  });

  it('reports broken JSON with its line and keeps the packages it could read', () => {
    const out = extractFixture(packageLock, 'extractors/npm-package-lock/broken/package-lock.json');
    expect(out.errors[0]).toMatchObject({ line: 16, message: 'invalid JSON: CommaExpected' });
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(['ms@2.1.2', 'debug@4.3.4']);
  });

  it('reports a lockfile that is not an object', () => {
    const out = packageLock.extract({ path: 'package-lock.json', text: 'null' }, testContext());
    expect(out.errors).toEqual([{ line: 1, message: 'package-lock.json is not a JSON object' }]);
  });
});

describe('commitOfResolved', () => {
  it('finds the commit in the git sources npm and yarn write', () => {
    const sha = '3b1bb80b302c2e552685dc8a029797ec832ea7c9';
    expect(commitOfResolved(`git+ssh://git@git.example.org/a/b.git#${sha}`)).toBe(sha);
    expect(commitOfResolved(`name@https://git.example.org/a/b.git#commit=${sha}`)).toBe(sha);
    expect(commitOfResolved(`https://codeload.github.com/a/b/tar.gz/${sha}`)).toBe(sha);
    expect(commitOfResolved(`github:a/b#${sha}`)).toBe(sha);
    expect(commitOfResolved(`https://gitlab.com/a/b/repository/archive.tar.gz?ref=${sha}`)).toBe(sha);
  });

  it('finds none in registry tarballs and local paths', () => {
    expect(commitOfResolved('https://registry.example.org/ms/-/ms-2.1.2.tgz')).toBeUndefined();
    expect(
      commitOfResolved('https://registry.example.org/ms/-/ms-2.1.2.tgz#e83e3a7e3f300b34cb9d87f615fa0cbf3'),
    ).toBe(undefined);
    expect(commitOfResolved('file:../local#../local::hash=351be1')).toBeUndefined();
  });
});
