import { describe, expect, it } from 'vitest';
import { packageJson } from '../../src/extractors/npm/package-json.js';
import { extractFixture } from '../helpers.js';

describe('npm/package-json', () => {
  it('reads every dependency group with its line, aliases, git, path and workspace specs', () => {
    const out = extractFixture(packageJson, 'extractors/npm-package-json/basic/package.json');
    expect(out.errors).toEqual([]);
    const byName = Object.fromEntries(
      out.refs.filter((r) => !r.groups?.includes('override')).map((r) => [r.name, r]),
    );
    expect(byName.express).toMatchObject({ spec: '^4.18.2', source: 'declared', location: { line: 5 } });
    expect(byName.lodash).toMatchObject({ version: '4.17.11' });
    expect(byName['left-pad']).toMatchObject({ version: '1.3.0', alias: 'my-alias' });
    expect(byName['from-git']).toMatchObject({ origin: 'git', url: 'github:user/repo#v1.0.0' });
    expect(byName['local-lib']).toMatchObject({ origin: 'path' });
    expect(byName['ws-lib']).toMatchObject({ origin: 'workspace' });
    expect(byName.vitest).toMatchObject({ spec: '~3.2.0', groups: ['dev'] });
    expect(byName.react).toMatchObject({ groups: ['peer'] });
    expect(byName.fsevents).toMatchObject({ groups: ['optional'], version: '2.3.3' });
    const overrides = out.refs
      .filter((r) => r.groups?.includes('override'))
      .map((r) => `${r.name}@${r.version}`);
    expect(overrides.sort()).toEqual(['debug@4.3.4', 'semver@7.5.2']);
    expect(out.facts).toEqual([
      { kind: 'manifest', ecosystem: 'npm', name: 'shop', workspaces: ['packages/*'] },
    ]);
  });

  it('reports an empty file as an error, not a crash', () => {
    const out = extractFixture(packageJson, 'extractors/npm-package-json/empty/package.json');
    expect(out.refs).toEqual([]);
    expect(out.errors.length).toBe(1);
  });

  it('reports broken JSON with its line and keeps what it could read', () => {
    const out = extractFixture(packageJson, 'extractors/npm-package-json/broken/package.json');
    expect(out.errors[0]).toMatchObject({ line: 5 });
    expect(out.refs.map((r) => r.name)).toContain('express');
  });

  it('reads the bare names of the browser field as replaced modules, not dependencies', () => {
    const out = extractFixture(packageJson, 'extractors/npm-package-json/browser/package.json');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => r.name)).toEqual(['undici']);
    expect(out.facts).toContainEqual({ kind: 'import-aliases', ecosystem: 'npm', patterns: ['jsdom', 'fs'] });
  });
});
