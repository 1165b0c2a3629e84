import { describe, expect, it } from 'vitest';
import { knipConfig } from '../../src/extractors/npm/knip-config.js';
import { extractFixture } from '../helpers.js';

const read = (scenario: string, file = 'knip.json') =>
  extractFixture(knipConfig, `extractors/npm-knip-config/${scenario}/${file}`);

describe('npm/knip-config', () => {
  it('reads knip.json, knip.jsonc, .knip.json and .knip.jsonc only', () => {
    for (const name of ['knip.json', 'knip.jsonc', '.knip.json', '.knip.jsonc', 'sub/knip.json'])
      expect(knipConfig.matches(name)).toBe(true);
    for (const name of ['knip.ts', 'knip.config.js', 'knipper.json'])
      expect(knipConfig.matches(name)).toBe(false);
  });

  it('reads the top-level ignore as patterns anchored at its folder and ignoreDependencies as names', () => {
    const out = read('normal', 'knip.jsonc');
    expect(out.errors).toEqual([]);
    expect(out.refs).toEqual([]);
    // A pattern that leaves the folder or negates says nothing about the files below; workspaces are not read.
    expect(out.facts).toEqual([
      { kind: 'lint-ignores', ecosystem: 'npm', patterns: ['/src/generated/**'], by: 'knip' },
      { kind: 'ignored-dependencies', ecosystem: 'npm', names: ['vscode', '@types/vscode'], by: 'knip' },
    ]);
  });

  it('says nothing about an empty file', () => {
    expect(read('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports broken JSON with its line and keeps what it read', () => {
    const out = read('broken');
    expect(out.errors[0]).toMatchObject({ line: 3 });
    expect(out.facts[0]).toEqual({
      kind: 'lint-ignores',
      ecosystem: 'npm',
      patterns: ['/tests/fixtures/**'],
      by: 'knip',
    });
  });
});
