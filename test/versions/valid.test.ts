import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import { invalidVersionReason, isValidVersion } from '../../src/versions/valid.js';

const CASES: Record<Ecosystem, { valid: string[]; invalid: string[] }> = {
  npm: {
    valid: ['1.2.3', '1.0.0-beta.1', 'v2.0.0', '1.2.3+build'],
    invalid: ['latest', '2.2.x', '1.2', '1.0.0.0.0-garbage', '^1.2.3', ''],
  },
  PyPI: {
    valid: ['2.2', '1.0.post1', '2!1.0', '1.0rc1', '1.0+local.1', 'v1.0'],
    invalid: ['latest', '2.2.x', '1.0.0.0.0-garbage', '0.1dev-r1234', '2.*', ''],
  },
  Go: {
    valid: ['v1.2.3', 'v0.0.0-20191109021931-daa7c04131f5', 'v2.0.0+incompatible', '1.2.3'],
    invalid: ['latest', 'master', 'v1.2.x', 'v01.2.3'],
  },
  'crates.io': {
    valid: ['0.8.0', '1.0.0-alpha.1'],
    invalid: ['0.8', '^0.8.0', 'latest', 'v1.0.0', '1.0.0.0.0-garbage', '1.0.0 '],
  },
  RubyGems: {
    valid: ['5.2.1', '1.0.0.rc1', '2.0.0-beta', '7'],
    invalid: ['latest', '~> 5.0', '>= 1', '', ' '],
  },
  Maven: {
    valid: ['1.2.3', '2.0.0.RELEASE', '1.0-SNAPSHOT', '31.1-jre', '5.3.20'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Maven property placeholder, as a pom writes it
    invalid: ['LATEST', 'RELEASE', '${spring.version}', '[1.0,2.0)', '2.2.x', '2.2.X', '1.*', 'final', ''],
  },
  NuGet: {
    valid: ['13.0.1', '1.0.0.0', '6.0.0-preview.1'],
    invalid: ['latest', '[1.0,2.0)', '1.0.0.0.0-garbage', '1.*'],
  },
  Packagist: {
    valid: ['1.2.3', 'v2.0.0', '1.0.0-beta2', '2.0.0-RC1'],
    invalid: ['latest', '2.2.x', '^1.2', '1.0.0.0.0-garbage'],
  },
};

describe('valid exact versions', () => {
  for (const [ecosystem, { valid, invalid }] of Object.entries(CASES) as [
    Ecosystem,
    (typeof CASES)[Ecosystem],
  ][]) {
    it(`${ecosystem}: accepts what its tools accept and refuses the rest`, () => {
      expect(valid.filter((v) => !isValidVersion(ecosystem, v))).toEqual([]);
      expect(invalid.filter((v) => isValidVersion(ecosystem, v))).toEqual([]);
    });
  }

  it('says why a version is refused', () => {
    expect(invalidVersionReason('PyPI', 'latest')).toBe(
      "'latest' is not a valid PyPI version: no release can have it, so no advisory is matched against it",
    );
    expect(invalidVersionReason('PyPI', '2.2')).toBeUndefined();
  });
});
