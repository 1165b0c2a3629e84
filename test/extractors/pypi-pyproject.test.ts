import { describe, expect, it } from 'vitest';
import { poetryTarget, pyprojectToml } from '../../src/extractors/pypi/pyproject.js';
import { extractFixture } from '../helpers.js';

const extract = (scenario: string) =>
  extractFixture(pyprojectToml, `extractors/pypi-pyproject/${scenario}/pyproject.toml`);

describe('pypi/pyproject', () => {
  it('reads PEP 621 dependencies and extras with their lines, and the project name as a manifest fact', () => {
    const out = extract('pep621');
    expect(out.errors).toEqual([]);
    const byName = Object.fromEntries(out.refs.map((r) => [r.name, r]));
    expect(byName.requests).toMatchObject({ spec: '>=2.31', location: { line: 9 }, source: 'declared' });
    expect(byName.requests?.groups).toBeUndefined();
    expect(byName.fastapi).toMatchObject({ version: '0.110.0', location: { line: 10 } });
    expect(byName.pydantic).toMatchObject({ spec: '~=2.6', location: { line: 11 } });
    expect(byName.psycopg).toMatchObject({ version: '3.1.18', groups: ['postgres'], location: { line: 16 } });
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'PyPI', name: 'Shop_Backend' }]);
  });

  it('drops the extra that names the project itself', () => {
    const out = extract('pep621');
    expect(out.refs.map((r) => r.name)).not.toContain('shop-backend');
  });

  it('reads build requirements and PEP 735 groups, resolving include-group', () => {
    const byName = Object.fromEntries(extract('pep621').refs.map((r) => [r.name, r]));
    expect(byName.hatchling).toMatchObject({ spec: '>=1.18', groups: ['build'], location: { line: 2 } });
    expect(byName.pytest).toMatchObject({
      version: '8.0.0',
      groups: ['test', 'dev'],
      location: { line: 20 },
    });
    expect(byName.ruff).toMatchObject({ groups: ['lint', 'dev'], location: { line: 21 } });
    expect(byName.ipython).toMatchObject({ groups: ['dev'], location: { line: 22 } });
  });

  it('reads uv dev-dependencies and lets [tool.uv.sources] mark a git origin', () => {
    const byName = Object.fromEntries(extract('pep621').refs.map((r) => [r.name, r]));
    expect(byName.mypy).toMatchObject({ version: '1.8.0', groups: ['dev'], location: { line: 25 } });
    expect(byName['internal-lib']).toMatchObject({
      origin: 'git',
      url: 'https://git.example.org/acme/internal-lib',
      commit: 'abcdef1234567',
    });
  });

  it('reads Poetry dependencies with caret/tilde specs as written, python excluded', () => {
    const out = extract('poetry');
    expect(out.errors).toEqual([]);
    const refs = out.refs;
    const byName = Object.fromEntries(refs.map((r) => [r.name, r]));
    expect(byName.python).toBeUndefined();
    expect(byName.Django).toMatchObject({ spec: '^4.2', location: { line: 8 } });
    expect(byName.celery).toMatchObject({ spec: '~5.3', location: { line: 9 } });
    expect(byName.pendulum).toMatchObject({ version: '2.1.2', location: { line: 10 } });
    expect(byName.Flask).toMatchObject({ version: '3.0.0', location: { line: 11 } });
    expect(byName.anything?.spec).toBeUndefined();
    expect(byName.anything?.version).toBeUndefined();
    expect(byName.boto3).toMatchObject({ spec: '>=1.34,<2', location: { line: 13 } });
    expect(byName.attrs).toMatchObject({ version: '23.2.0', location: { line: 22 } });
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'PyPI', name: 'inventory' }]);
  });

  it('reads Poetry tables: optional extras, git with rev, path, and multiple-constraint arrays', () => {
    const refs = extract('poetry').refs;
    const byName = Object.fromEntries(refs.map((r) => [r.name, r]));
    expect(byName.redis).toMatchObject({ spec: '^5.0', groups: ['cache'] });
    expect(byName.toolbelt).toMatchObject({
      origin: 'git',
      commit: '0123456789abcdef',
      location: { line: 15 },
    });
    expect(byName.sibling).toMatchObject({ origin: 'path', url: '../sibling' });
    expect(refs.filter((r) => r.name === 'numpy').map((r) => r.spec)).toEqual(['^1.24', '^1.26']);
  });

  it('reads Poetry groups and the legacy dev-dependencies table', () => {
    const byName = Object.fromEntries(extract('poetry').refs.map((r) => [r.name, r]));
    expect(byName.pytest).toMatchObject({ spec: '^8.0', groups: ['test'], location: { line: 29 } });
    expect(byName.black).toMatchObject({ version: '24.2.0', groups: ['dev'], location: { line: 32 } });
    expect(byName.flake8).toMatchObject({ spec: '^7.0', groups: ['dev'], location: { line: 35 } });
  });

  it('keeps Poetry constraints as written unless they name one version', () => {
    expect(poetryTarget('a', '1.2.3')).toEqual({ name: 'a', version: '1.2.3', origin: 'registry' });
    expect(poetryTarget('a', '==1.2.3')).toEqual({ name: 'a', version: '1.2.3', origin: 'registry' });
    expect(poetryTarget('a', '1.2.*')).toEqual({ name: 'a', spec: '1.2.*', origin: 'registry' });
    expect(poetryTarget('a', '^1.2')).toEqual({ name: 'a', spec: '^1.2', origin: 'registry' });
    expect(poetryTarget('a', '*')).toEqual({ name: 'a', origin: 'registry' });
  });

  it('reports an invalid requirement string on its line and keeps the others', () => {
    const out = extract('bad-requirement');
    expect(out.refs.map((r) => `${r.name}:${r.location.line}`)).toEqual(['requests:4', 'rich:6']);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 5 });
    // Named by its leading name only: the rest of a line that is not a requirement stays out of the report.
    expect(out.errors[0]?.message).toMatch(/^invalid requirement starting "not": /);
    expect(out.errors[0]?.message).not.toContain('valid requirement!!');
  });

  it('reads an empty file as nothing declared', () => {
    expect(extract('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports malformed TOML with its line and column', () => {
    const out = extract('broken');
    expect(out.refs).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 7 });
    expect(out.errors[0]?.column).toBeGreaterThan(0);
    expect(out.errors[0]?.message).toMatch(/^invalid TOML: /);
  });
});
