import { describe, expect, it } from 'vitest';
import { pnpmWorkspace } from '../../src/extractors/npm/pnpm-workspace.js';
import { extractFixture } from '../helpers.js';

describe('npm/pnpm-workspace', () => {
  it('is a manifest read from pnpm-workspace.yaml', () => {
    expect(pnpmWorkspace.kind).toBe('manifest');
    expect(pnpmWorkspace.matches('pnpm-workspace.yaml')).toBe(true);
    expect(pnpmWorkspace.matches('pnpm-lock.yaml')).toBe(false);
  });

  it('marks the folder as a workspace root with its package globs, declaring no packages', () => {
    const out = extractFixture(pnpmWorkspace, 'extractors/npm-pnpm-workspace/normal/pnpm-workspace.yaml');
    expect(out.errors).toEqual([]);
    expect(out.refs).toEqual([]);
    expect(out.facts).toEqual([
      { kind: 'manifest', ecosystem: 'npm', workspaces: ['apps/*', 'packages/**', '!**/test/**'] },
    ]);
  });

  it('says nothing about an empty file', () => {
    const out = extractFixture(pnpmWorkspace, 'extractors/npm-pnpm-workspace/empty/pnpm-workspace.yaml');
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports broken YAML with its line and keeps the globs it could read', () => {
    const out = extractFixture(pnpmWorkspace, 'extractors/npm-pnpm-workspace/broken/pnpm-workspace.yaml');
    expect(out.errors).toEqual([
      {
        line: 4,
        message: 'invalid YAML: A block sequence may not be used as an implicit map key (and 2 more)',
      },
    ]);
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'npm', workspaces: ['apps/*', 'packages/*'] }]);
  });

  it('reports `packages` that is not a list', () => {
    const out = extractFixture(pnpmWorkspace, 'extractors/npm-pnpm-workspace/not-a-list/pnpm-workspace.yaml');
    expect(out.errors).toEqual([{ line: 4, message: '"packages" is not a list of globs' }]);
    expect(out.facts).toEqual([]);
  });
});
