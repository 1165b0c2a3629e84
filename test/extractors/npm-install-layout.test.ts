import { describe, expect, it } from 'vitest';
import { installLayout } from '../../src/extractors/npm/install-layout.js';
import { extractFixture } from '../helpers.js';

const read = (path: string) => extractFixture(installLayout, `extractors/npm-install-layout/${path}`);

describe('npm/install-layout', () => {
  it('reads .yarnrc.yml and .npmrc', () => {
    expect(installLayout.matches('app/.yarnrc.yml')).toBe(true);
    expect(installLayout.matches('.npmrc')).toBe(true);
    expect(installLayout.matches('.yarnrc')).toBe(false);
  });

  it("says nothing when yarn's linker is not set (Plug'n'Play is yarn's own default)", () => {
    expect(read('yarn-pnp/.yarnrc.yml')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it("reads yarn's node-modules linker as a hoisted layout", () => {
    expect(read('yarn-node-modules/.yarnrc.yml').facts).toEqual([
      { kind: 'install-layout', ecosystem: 'npm', nodeLinker: 'hoisted' },
    ]);
  });

  it("reads pnpm's linker and public hoist patterns from .npmrc, and nothing of its credentials", () => {
    const out = read('npmrc/.npmrc');
    expect(out.facts).toEqual([
      {
        kind: 'install-layout',
        ecosystem: 'npm',
        nodeLinker: 'isolated',
        publicHoistPattern: ['*types*', '@acme/*'],
      },
    ]);
    expect(JSON.stringify(out)).not.toContain('NPM_TOKEN');
    expect(read('shamefully/.npmrc').facts).toEqual([
      { kind: 'install-layout', ecosystem: 'npm', publicHoistPattern: ['*'] },
    ]);
  });

  it('says nothing about an empty file', () => {
    expect(read('empty/.yarnrc.yml')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports broken YAML with its line (where the mapping it breaks starts)', () => {
    const out = read('broken/.yarnrc.yml');
    expect(out.errors).toEqual([expect.objectContaining({ line: 1 })]);
    expect(out.errors[0]?.message).toMatch(/^invalid YAML/);
  });
});
