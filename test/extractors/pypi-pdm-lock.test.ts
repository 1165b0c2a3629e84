import { describe, expect, it } from 'vitest';
import { pdmLock } from '../../src/extractors/pypi/pdm-lock.js';
import { extractFixture } from '../helpers.js';

const extract = (scenario: string) =>
  extractFixture(pdmLock, `extractors/pypi-pdm-lock/${scenario}/pdm.lock`);

describe('pypi/pdm-lock', () => {
  it('reads packages with versions, lines and groups (default: production, dev: dev, others: optional)', () => {
    const out = extract('basic');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.name}@${r.version}[${r.groups ?? ''}]:${r.location.line}`)).toEqual([
      'requests@2.31.0[]:11',
      'certifi@2023.11.17[]:23',
      'idna@3.6[]:29',
      'urllib3@2.1.0[]:34',
      'pytest@8.0.0[dev]:39',
      'sphinx@7.2.6[optional]:44',
      'toolbelt@0.2.0[]:49',
    ]);
  });

  it('reads a git package with its revision as the commit', () => {
    expect(extract('basic').refs.find((r) => r.name === 'toolbelt')).toMatchObject({
      origin: 'git',
      url: 'https://git.example.org/acme/toolbelt.git',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it('builds the graph from the PEP 508 dependency strings', () => {
    const graph = extract('basic').facts[0];
    if (graph?.kind !== 'dependency-graph') throw new Error('no graph');
    expect(graph.edges.requests).toEqual(['certifi', 'idna', 'urllib3']);
    expect(graph.edges.pytest).toEqual([]);
    expect(graph.roots).toBeUndefined();
  });

  it('reads an empty file as nothing locked', () => {
    expect(extract('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports malformed TOML with its line', () => {
    const out = extract('broken');
    expect(out.refs).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 6 });
  });
});
