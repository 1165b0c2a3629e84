import { describe, expect, it } from 'vitest';
import { bundlerConfig } from '../../src/extractors/npm/bundler-config.js';
import { extractFixture } from '../helpers.js';

const read = (path: string) => extractFixture(bundlerConfig, `extractors/npm-bundler-config/${path}`);

describe('npm/bundler-config', () => {
  it('reads the configuration files of bundlers, test runners and frameworks, not other sources', () => {
    for (const name of [
      'vite.config.ts',
      'webpack.prod.js',
      'jest.config.cjs',
      '.babelrc',
      'babel.config.json',
      'docusaurus.config.ts',
      'svelte.config.js',
    ])
      expect(bundlerConfig.matches(`app/${name}`), name).toBe(true);
    expect(bundlerConfig.matches('src/config.ts')).toBe(false);
    expect(bundlerConfig.matches('vite.ts')).toBe(false);
  });

  it('reads Vite aliases from the syntax tree, and the config’s own imports', () => {
    const out = read('vite/vite.config.mts');
    expect(out.errors).toEqual([]);
    expect(out.facts).toEqual([
      {
        kind: 'import-aliases',
        ecosystem: 'npm',
        patterns: ['@', '@/*', 'vue', 'vue/*', '~icons', '~icons/*'],
      },
    ]);
    expect(out.refs.map((r) => r.name)).toEqual(['@vitejs/plugin-vue', 'vite']);
  });

  it('reads jest moduleNameMapper keys as patterns', () => {
    const out = read('jest/jest.config.js');
    expect(out.facts).toEqual([
      {
        kind: 'import-aliases',
        ecosystem: 'npm',
        patterns: [],
        regexes: ['^@/(.*)$', '^test-utils$', '\\.(css|less)$'],
      },
    ]);
  });

  it('reads babel module-resolver aliases and roots from .babelrc', () => {
    const out = read('babelrc/.babelrc');
    expect(out.errors).toEqual([]);
    expect(out.facts).toEqual([
      { kind: 'import-aliases', ecosystem: 'npm', patterns: ['test', 'test/*'] },
      { kind: 'module-roots', ecosystem: 'npm', dirs: ['src'] },
    ]);
  });

  it('tells a Docusaurus project by its config file', () => {
    expect(read('docusaurus/docusaurus.config.ts').facts).toEqual([
      { kind: 'framework', ecosystem: 'npm', name: 'docusaurus' },
    ]);
  });

  it('says nothing about an empty file', () => {
    expect(read('empty/webpack.config.js')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports a broken JSON config with its line', () => {
    const out = read('broken/.babelrc');
    expect(out.errors).toEqual([
      { line: expect.any(Number), message: expect.stringMatching(/^invalid JSON: /) },
    ]);
    expect(out.facts).toEqual([]);
  });

  it('warns, once per map, about aliases it cannot read without running the config', () => {
    const out = read('unread/rollup.config.js');
    expect(out.errors).toEqual([
      {
        line: 6,
        warning: true,
        message: '`alias` is not written as literal names: the aliases it defines were not read',
      },
    ]);
    expect(out.facts).toEqual([]);
  });
});
