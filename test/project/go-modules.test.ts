import { describe, expect, it } from 'vitest';
import { goModuleOf } from '../../src/project/go-modules.js';

describe('goModuleOf', () => {
  const modules = [
    'cloud.google.com/go',
    'cloud.google.com/go/storage',
    'github.com/a/b',
    'gopkg.in/yaml.v3',
  ];

  it.each([
    ['github.com/a/b', 'github.com/a/b'],
    ['github.com/a/b/sub/pkg', 'github.com/a/b'],
    // A prefix only counts at a `/` boundary.
    ['github.com/a/bc', undefined],
    // Nested modules: the longest path wins.
    ['cloud.google.com/go/storage/internal', 'cloud.google.com/go/storage'],
    ['cloud.google.com/go/civil', 'cloud.google.com/go'],
    ['gopkg.in/yaml.v3', 'gopkg.in/yaml.v3'],
    ['gopkg.in/yaml.v2', undefined],
    ['github.com/a', undefined],
  ])('%s → %s', (importPath, module) => {
    expect(goModuleOf(importPath, modules)).toBe(module);
  });
});
