import { describe, expect, it } from 'vitest';
import { pipfileLock } from '../../src/extractors/pypi/pipfile-lock.js';
import { extractFixture } from '../helpers.js';

const extract = (scenario: string) =>
  extractFixture(pipfileLock, `extractors/pypi-pipfile-lock/${scenario}/Pipfile.lock`);

describe('pypi/pipfile-lock', () => {
  it('reads default as production and develop as dev, "==X" as the locked version, with lines', () => {
    const out = extract('basic');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.name}@${r.version ?? ''}[${r.groups ?? ''}]:${r.location.line}`)).toEqual(
      [
        'certifi@2023.11.17[]:9',
        'toolbelt@[]:14',
        'six@1.16.0[]:19',
        'pytest@8.0.0[dev]:29',
        'sphinx@7.2.6[docs]:35',
      ],
    );
    expect(out.refs.every((r) => r.source === 'locked')).toBe(true);
  });

  it('reports the same version locked in default and develop once, as production', () => {
    const six = extract('basic').refs.filter((r) => r.name === 'six');
    expect(six).toHaveLength(1);
    expect(six[0]?.groups).toBeUndefined();
  });

  it('reads git entries with the commit in ref', () => {
    const toolbelt = extract('basic').refs.find((r) => r.name === 'toolbelt');
    expect(toolbelt).toMatchObject({
      origin: 'git',
      commit: '0123456789abcdef0123456789abcdef01234567',
      url: 'https://git.example.org/acme/toolbelt.git',
    });
    expect(toolbelt?.version).toBeUndefined();
  });

  it('reads an empty file as nothing locked, without an error', () => {
    expect(extract('empty')).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports truncated JSON with its line and keeps what it could read', () => {
    const out = extract('broken');
    expect(out.errors.length).toBeGreaterThan(0);
    expect(out.errors[0]?.line).toBeGreaterThanOrEqual(7);
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toContain('certifi@2023.11.17');
  });
});
