import { describe, expect, it } from 'vitest';
import { pipfile } from '../../src/extractors/pypi/pipfile.js';
import { extractFixture } from '../helpers.js';

const extract = (scenario: string) => extractFixture(pipfile, `extractors/pypi-pipfile/${scenario}/Pipfile`);

describe('pypi/pipfile', () => {
  it('reads [packages] as production with "*" meaning no spec and "==X" an exact version', () => {
    const out = extract('basic');
    expect(out.errors).toEqual([]);
    const byName = Object.fromEntries(out.refs.map((r) => [r.name, r]));
    expect(byName.requests).toMatchObject({ location: { line: 7 }, source: 'declared' });
    expect(byName.requests?.spec).toBeUndefined();
    expect(byName.requests?.groups).toBeUndefined();
    expect(byName.django).toMatchObject({ version: '4.2.7', location: { line: 8 } });
    expect(byName.Flask).toMatchObject({ spec: '>=2.3,<3', location: { line: 9 } });
  });

  it('reads tables with version, git and path', () => {
    const byName = Object.fromEntries(extract('basic').refs.map((r) => [r.name, r]));
    expect(byName.boto3).toMatchObject({ spec: '~=1.34', location: { line: 10 } });
    expect(byName.toolbelt).toMatchObject({
      origin: 'git',
      url: 'https://git.example.org/acme/toolbelt.git',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
    expect(byName.sibling).toMatchObject({ origin: 'path', url: './libs/sibling' });
  });

  it('puts [dev-packages] in dev and other categories in a group of their name, settings aside', () => {
    const out = extract('basic');
    const byName = Object.fromEntries(out.refs.map((r) => [r.name, r]));
    expect(byName.pytest).toMatchObject({ version: '8.0.0', groups: ['dev'], location: { line: 15 } });
    expect(byName.sphinx).toMatchObject({ spec: '>=7', groups: ['docs'], location: { line: 18 } });
    expect(out.refs.map((r) => r.name)).not.toContain('python_version');
    expect(out.refs.map((r) => r.name)).not.toContain('url');
  });

  it('reads an empty file as nothing declared', () => {
    expect(extract('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports malformed TOML with its line', () => {
    const out = extract('broken');
    expect(out.refs).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 3 });
  });
});
