import { describe, expect, it } from 'vitest';
import { eslintConfig, eslintPackage } from '../../src/extractors/npm/eslint-config.js';
import { extractFixture } from '../helpers.js';

const DIR = 'extractors/npm-eslint-config';

function refsOf(scenario: string, file: string) {
  const out = extractFixture(eslintConfig, DIR, scenario, file);
  return { out, refs: out.refs.map((r) => `${r.name} ${r.importName} ${r.location.line}`) };
}

describe('npm/eslint-config', () => {
  it('reads the packages a legacy .eslintrc.js loads: extends, plugin: configs, plugins, parser, overrides', () => {
    const { out, refs } = refsOf('script', '.eslintrc.js');
    expect(out.errors).toEqual([]);
    expect(refs).toEqual([
      'eslint-config-react-app react-app 4',
      'eslint-config-prettier prettier/@typescript-eslint 4',
      'eslint-plugin-prettier plugin:prettier/recommended 4',
      '@typescript-eslint/parser @typescript-eslint/parser 5',
      '@typescript-eslint/eslint-plugin @typescript-eslint 6',
      'eslint-plugin-jest jest 6',
      '@acme/eslint-config @acme 7',
      '@acme/eslint-config-strict @acme/eslint-config-strict/base 7',
    ]);
    // The script's own require of a relative file names no package; ESLint's own configs and paths neither.
    expect(out.refs.every((r) => r.source === 'imported')).toBe(true);
  });

  it('reads .eslintrc.json with comments and .eslintrc.yml', () => {
    expect(refsOf('json', '.eslintrc.json').refs).toEqual([
      '@next/eslint-plugin-next plugin:@next/next/recommended 3',
      '@stylistic/eslint-plugin-js @stylistic/js 4',
      'eslint-plugin-import eslint-plugin-import 4',
    ]);
    expect(refsOf('yaml', '.eslintrc.yml').refs).toEqual([
      'eslint-config-airbnb-base airbnb-base 1',
      'eslint-plugin-vue plugin:vue/essential 1',
      'vue-eslint-parser vue-eslint-parser 4',
      'eslint-plugin-jest jest 7',
    ]);
  });

  it('gives nothing for an empty file and an error with its line for a broken one', () => {
    expect(refsOf('empty', '.eslintrc.json').refs).toEqual([]);
    const broken = extractFixture(eslintConfig, DIR, 'broken', '.eslintrc.json');
    expect(broken.refs).toEqual([]);
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0]?.message).toMatch(/^invalid JSON/);
  });

  it('names packages by ESLint’s rules', () => {
    expect(eslintPackage('extends', 'eslint:recommended')).toBeUndefined();
    expect(eslintPackage('extends', './base.js')).toBeUndefined();
    expect(eslintPackage('extends', 'plugin:@scope/recommended')).toBe('@scope/eslint-plugin');
    expect(eslintPackage('plugins', 'eslint-plugin-x')).toBe('eslint-plugin-x');
    expect(eslintPackage('extends', 'eslint-config-standard')).toBe('eslint-config-standard');
  });
});
