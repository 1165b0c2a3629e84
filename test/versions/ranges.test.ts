import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import { intervalsOverlap, readRange, type VersionRange } from '../../src/versions/ranges.js';

function range(ecosystem: Ecosystem, spec: string): VersionRange {
  const read = readRange(ecosystem, spec);
  if (!('range' in read)) throw new Error(`${ecosystem} ${spec}: ${JSON.stringify(read)}`);
  return read.range;
}

/** Which of the versions the requirement admits. */
function admitted(ecosystem: Ecosystem, spec: string, versions: string[]): string[] {
  const r = range(ecosystem, spec);
  return versions.filter((v) => r.admits(v));
}

describe('every range syntax is read by its ecosystem’s rules', () => {
  it('npm: node-semver ranges', () => {
    expect(admitted('npm', '^4.17.0', ['4.16.9', '4.17.0', '4.17.21', '5.0.0', '5.0.0-beta.1'])).toEqual([
      '4.17.0',
      '4.17.21',
    ]);
    expect(range('npm', '^4.17.0').intervals).toEqual([
      { lower: { version: '4.17.0', inclusive: true }, upper: { version: '5.0.0-0', inclusive: false } },
    ]);
    expect(readRange('npm', 'latest')).toEqual({ tag: 'latest' });
  });

  it('PyPI: PEP 440 specifiers, `>` lower bounds included', () => {
    expect(admitted('PyPI', '>1.0,<2.0', ['1.0', '1.0.1', '1.9', '2.0'])).toEqual(['1.0.1', '1.9']);
    expect(range('PyPI', '>1.0,<2.0').intervals).toEqual([
      { lower: { version: '1.0', inclusive: false }, upper: { version: '2.0', inclusive: false } },
    ]);
    expect(admitted('PyPI', '~=1.4.5', ['1.4.4', '1.4.5', '1.4.9', '1.5'])).toEqual(['1.4.5', '1.4.9']);
    expect(range('PyPI', '~=1.4.5').intervals[0]?.upper).toEqual({ version: '1.5', inclusive: false });
    expect(range('PyPI', '==2.2.*').intervals[0]).toEqual({
      lower: { version: '2.2', inclusive: true },
      upper: { version: '2.3', inclusive: false },
    });
  });

  it('PyPI: Poetry constraints (^, ~, *, ||, spaces between clauses)', () => {
    expect(admitted('PyPI', '^3.0.6', ['3.0.5', '3.0.6', '3.2.19', '4.0'])).toEqual(['3.0.6', '3.2.19']);
    expect(admitted('PyPI', '^0.2.3', ['0.2.3', '0.2.9', '0.3.0'])).toEqual(['0.2.3', '0.2.9']);
    expect(admitted('PyPI', '~1.2', ['1.1', '1.2.0', '1.2.9', '1.3'])).toEqual(['1.2.0', '1.2.9']);
    expect(admitted('PyPI', '1.*', ['0.9', '1.0', '1.9.9', '2.0'])).toEqual(['1.0', '1.9.9']);
    expect(admitted('PyPI', '^1.0 || ^3.0', ['1.5', '2.5', '3.5'])).toEqual(['1.5', '3.5']);
    expect(admitted('PyPI', '>= 2.1 < 2.5', ['2.0', '2.1', '2.4', '2.5'])).toEqual(['2.1', '2.4']);
    expect(readRange('PyPI', '^^3')).toEqual({
      reason: "'^^3' is neither a PEP 440 version specifier nor a Poetry constraint",
    });
  });

  it('crates.io: a bare version is a caret requirement', () => {
    expect(admitted('crates.io', '0.8.0', ['0.7.9', '0.8.0', '0.8.5', '0.9.0'])).toEqual(['0.8.0', '0.8.5']);
    expect(admitted('crates.io', '1.2', ['1.1.0', '1.2.0', '1.9.0', '2.0.0'])).toEqual(['1.2.0', '1.9.0']);
    expect(admitted('crates.io', '>=0.2, <0.3', ['0.1.0', '0.2.7', '0.3.0'])).toEqual(['0.2.7']);
    expect(admitted('crates.io', '~0.2.1', ['0.2.0', '0.2.1', '0.2.9', '0.3.0'])).toEqual(['0.2.1', '0.2.9']);
    expect(admitted('crates.io', '=1.2.3', ['1.2.3', '1.2.4'])).toEqual(['1.2.3']);
    expect('reason' in readRange('crates.io', 'workspace')).toBe(true);
  });

  it('RubyGems: ~> is pessimistic', () => {
    expect(admitted('RubyGems', '~> 5.2', ['5.1.9', '5.2', '5.9.1', '6.0.0'])).toEqual(['5.2', '5.9.1']);
    expect(admitted('RubyGems', '~> 5.2.1', ['5.2.0', '5.2.1', '5.2.8', '5.3.0'])).toEqual([
      '5.2.1',
      '5.2.8',
    ]);
    expect(admitted('RubyGems', '>= 4.0, < 6', ['3.9', '4.0', '5.9', '6.0'])).toEqual(['4.0', '5.9']);
    expect(admitted('RubyGems', '~> 5.2', ['5.3.0.rc1'])).toEqual([]);
  });

  it('Packagist: Composer constraints', () => {
    const versions = ['1.1.0', '1.2.0', '1.2.5', '1.3.0', '2.0.0', '2.1.0'];
    expect(admitted('Packagist', '^1.2', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0']);
    expect(admitted('Packagist', '~1.2', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0']);
    expect(admitted('Packagist', '~1.2.0', versions)).toEqual(['1.2.0', '1.2.5']);
    expect(admitted('Packagist', '1.2.*', versions)).toEqual(['1.2.0', '1.2.5']);
    expect(admitted('Packagist', '^1.2 || ^2.1', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0', '2.1.0']);
    expect(admitted('Packagist', '>=1.2 <2.0', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0']);
    expect(admitted('Packagist', '1.2 - 1.3', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0']);
    expect(admitted('Packagist', 'v1.2.5@stable', versions)).toEqual(['1.2.5']);
    expect('reason' in readRange('Packagist', 'dev-main')).toBe(true);
  });

  it('NuGet: interval notation, floating versions, a bare version as a minimum', () => {
    const versions = ['0.9.0', '1.0.0', '1.5.0', '2.0.0', '2.1.0'];
    expect(admitted('NuGet', '[1.0,2.0)', versions)).toEqual(['1.0.0', '1.5.0']);
    expect(admitted('NuGet', '(1.0,]', versions)).toEqual(['1.5.0', '2.0.0', '2.1.0']);
    expect(admitted('NuGet', '(,1.0]', versions)).toEqual(['0.9.0', '1.0.0']);
    expect(admitted('NuGet', '[1.5.0]', versions)).toEqual(['1.5.0']);
    expect(admitted('NuGet', '1.*', versions)).toEqual(['1.0.0', '1.5.0']);
    expect(admitted('NuGet', '1.5.0', versions)).toEqual(['1.5.0', '2.0.0', '2.1.0']);
  });

  it('Maven: interval notation with unions, and a soft requirement', () => {
    const versions = ['0.9', '1.0', '1.1', '1.2', '2.0'];
    expect(admitted('Maven', '[1.0,2.0)', versions)).toEqual(['1.0', '1.1', '1.2']);
    expect(admitted('Maven', '(,1.0],[1.2,)', versions)).toEqual(['0.9', '1.0', '1.2', '2.0']);
    expect(admitted('Maven', '1.1', versions)).toEqual(['1.1']);
    expect('reason' in readRange('Maven', '[1.0,2.0')).toBe(true);
  });

  it('Go: versions are exact; queries by prefix or comparison', () => {
    const versions = ['v1.1.0', 'v1.2.0', 'v1.2.5', 'v2.0.0'];
    expect(admitted('Go', 'v1.2.0', versions)).toEqual(['v1.2.0']);
    expect(admitted('Go', 'v1.2', versions)).toEqual(['v1.2.0', 'v1.2.5']);
    expect(admitted('Go', '<v1.2.5', versions)).toEqual(['v1.1.0', 'v1.2.0']);
    expect(readRange('Go', 'latest')).toEqual({
      reason: "'latest' is a Go module query: what it resolves to needs the module proxy",
    });
  });

  it('tells whether a range reaches into an affected interval, however its lower bound is written', () => {
    const affected = { upper: { version: '1.0.1', inclusive: false } };
    expect(intervalsOverlap('PyPI', range('PyPI', '>1.0,<2.0').intervals[0]!, affected)).toBe(true);
    expect(intervalsOverlap('PyPI', range('PyPI', '>=1.0.1,<2.0').intervals[0]!, affected)).toBe(false);
    expect(
      intervalsOverlap('npm', range('npm', '^4.17.21').intervals[0]!, {
        upper: { version: '4.17.21', inclusive: false },
      }),
    ).toBe(false);
  });
});
