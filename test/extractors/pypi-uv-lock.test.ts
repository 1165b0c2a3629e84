import { describe, expect, it } from 'vitest';
import { uvLock } from '../../src/extractors/pypi/uv-lock.js';
import { extractFixture } from '../helpers.js';

const extract = (scenario: string) => extractFixture(uvLock, `extractors/pypi-uv-lock/${scenario}/uv.lock`);

describe('pypi/uv-lock', () => {
  it('reads every package but the project itself, with versions and lines', () => {
    const out = extract('basic');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.name}@${r.version}:${r.location.line}`)).toEqual([
      'anyio@4.2.0:9',
      'black@24.2.0:18',
      'click@8.1.7:26',
      'httpx@0.26.0:31',
      'idna@3.6:40',
      'pytest@8.0.0:45',
      'ruff@0.8.1:50',
      'shop-utils@0.1.0:75',
      'sniffio@1.3.0:80',
    ]);
    expect(out.refs.every((r) => r.source === 'locked')).toBe(true);
  });

  it("gives the project's extras and dependency groups to the packages it lists directly there", () => {
    const groups = Object.fromEntries(extract('basic').refs.map((r) => [r.name, r.groups ?? []]));
    expect(groups).toMatchObject({
      black: ['lint'],
      ruff: ['lint'],
      pytest: ['dev'],
      httpx: [],
      // Reached only through other packages: production, as osv-scalibr reads it.
      click: [],
      anyio: [],
    });
  });

  it('reads git sources with the resolved commit and workspace members as workspace', () => {
    const byName = Object.fromEntries(extract('basic').refs.map((r) => [r.name, r]));
    expect(byName.ruff).toMatchObject({
      origin: 'git',
      url: 'https://git.example.org/astral/ruff?rev=v0.8.1',
      commit: '84748be16341b76e073d117329f7f5f4ee2941ad',
    });
    expect(byName['shop-utils']).toMatchObject({ origin: 'workspace' });
    expect(byName.httpx).toMatchObject({ origin: 'registry' });
  });

  it("builds the graph with the project's direct dependencies as roots", () => {
    const graph = extract('basic').facts[0];
    if (graph?.kind !== 'dependency-graph') throw new Error('no graph');
    expect(graph.roots?.sort()).toEqual(['black', 'httpx', 'pytest', 'ruff', 'shop-utils']);
    expect(graph.edges.httpx).toEqual(['anyio', 'idna']);
    expect(graph.edges.anyio).toEqual(['idna', 'sniffio']);
    expect(graph.edges.sniffio).toEqual([]);
  });

  it('reads an empty file as nothing locked', () => {
    expect(extract('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports malformed TOML with its line', () => {
    const out = extract('broken');
    expect(out.refs).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]?.line).toBeGreaterThanOrEqual(6);
  });
});
