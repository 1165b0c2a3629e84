import { describe, expect, it } from 'vitest';
import { poetryLock } from '../../src/extractors/pypi/poetry-lock.js';
import { extractFixture } from '../helpers.js';

const extract = (scenario: string) =>
  extractFixture(poetryLock, `extractors/pypi-poetry-lock/${scenario}/poetry.lock`);

describe('pypi/poetry-lock', () => {
  it('reads every package with its locked version, groups and the line of its name', () => {
    const out = extract('basic');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.name}@${r.version}[${r.groups ?? ''}]:${r.location.line}`)).toEqual([
      'flask@3.0.0[]:4',
      'blinker@1.7.0[]:19',
      'werkzeug@3.0.1[]:28',
      'redis@5.0.1[optional]:40',
      'pytest@8.0.0[dev,test]:49',
      'toolbelt@0.2.0[]:58',
    ]);
    expect(out.refs.every((r) => r.source === 'locked')).toBe(true);
  });

  it('reads a git source with its resolved commit', () => {
    const toolbelt = extract('basic').refs.find((r) => r.name === 'toolbelt');
    expect(toolbelt).toMatchObject({
      origin: 'git',
      url: 'https://git.example.org/acme/toolbelt.git',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it('builds the dependency graph from [package.dependencies], every package a node', () => {
    const graph = extract('basic').facts[0];
    expect(graph).toEqual({
      kind: 'dependency-graph',
      ecosystem: 'PyPI',
      edges: {
        flask: ['blinker', 'Werkzeug'],
        blinker: [],
        werkzeug: [],
        redis: [],
        pytest: [],
        toolbelt: [],
      },
    });
  });

  it('reads an empty file as nothing locked', () => {
    expect(extract('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports malformed TOML with its line', () => {
    const out = extract('broken');
    expect(out.refs).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 5 });
  });
});
