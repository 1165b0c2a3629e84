import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import type { OsvAffected, OsvEvent } from '../../src/model/osv.js';
import {
  affectedIntervals,
  affectsAllVersions,
  describeInterval,
  equalSpellings,
  fixedVersions,
  isAffected,
  prepareAffected,
  smallestFixingUpgrade,
} from '../../src/versions/osv-match.js';

function ranges(type: string, ...events: OsvEvent[][]): Pick<OsvAffected, 'ranges'> {
  return { ranges: events.map((e) => ({ type, events: e })) };
}

function affected(
  ecosystem: Ecosystem,
  entry: Pick<OsvAffected, 'ranges' | 'versions'>,
  versions: string[],
): string[] {
  const prepared = prepareAffected(ecosystem, entry);
  return versions.filter((v) => isAffected(prepared, v));
}

describe('OSV range evaluation', () => {
  it('affects versions from introduced up to, not including, fixed', () => {
    const entry = ranges('ECOSYSTEM', [{ introduced: '1.0.0' }, { fixed: '1.0.2' }]);
    expect(affected('npm', entry, ['0.9.0', '1.0.0', '1.0.1', '1.0.2', '2.0.0'])).toEqual(['1.0.0', '1.0.1']);
  });

  it('reads introduced "0" as before every version', () => {
    const entry = ranges('SEMVER', [{ introduced: '0' }, { fixed: '4.17.12' }]);
    expect(affected('npm', entry, ['0.0.1', '1.0.0-alpha', '4.17.11', '4.17.12', '4.17.21'])).toEqual([
      '0.0.1',
      '1.0.0-alpha',
      '4.17.11',
    ]);
  });

  it('includes last_affected itself and nothing after it', () => {
    const entry = ranges('ECOSYSTEM', [{ introduced: '2.0' }, { last_affected: '2.3' }]);
    expect(affected('PyPI', entry, ['1.9', '2.0', '2.3', '2.3.post1', '2.4'])).toEqual(['2.0', '2.3']);
  });

  it('evaluates several intervals in one range, whatever order the events are written in', () => {
    const entry = ranges('SEMVER', [
      { fixed: '3.2.5' },
      { introduced: '3.0.0' },
      { fixed: '1.0.2' },
      { introduced: '1.0.0' },
    ]);
    expect(affected('npm', entry, ['0.5.0', '1.0.1', '1.0.2', '2.0.0', '3.1.0', '3.2.5'])).toEqual([
      '1.0.1',
      '3.1.0',
    ]);
  });

  it('affects everything from introduced on when nothing fixes it', () => {
    const entry = ranges('ECOSYSTEM', [{ introduced: '5.1' }]);
    expect(affected('PyPI', entry, ['5.0', '5.1', '99.0'])).toEqual(['5.1', '99.0']);
  });

  it('stops at a limit event', () => {
    const entry = ranges('ECOSYSTEM', [{ introduced: '0' }, { limit: '2.0.0' }]);
    expect(affected('npm', entry, ['1.9.9', '2.0.0', '3.0.0'])).toEqual(['1.9.9']);
    const star = ranges('ECOSYSTEM', [{ introduced: '0' }, { limit: '*' }]);
    expect(affected('npm', star, ['3.0.0'])).toEqual(['3.0.0']);
  });

  it('compares by the ecosystem order, never as strings', () => {
    const pypi = ranges('ECOSYSTEM', [{ introduced: '0' }, { fixed: '2.20.0' }]);
    expect(affected('PyPI', pypi, ['2.3.0', '2.19.1', '2.20.0', '2.100.0', '2.20.0rc1'])).toEqual([
      '2.3.0',
      '2.19.1',
      '2.20.0rc1',
    ]);
  });

  it('matches Go versions written with or without the v prefix', () => {
    const entry = ranges('SEMVER', [{ introduced: '0' }, { fixed: '0.3.8' }]);
    expect(
      affected('Go', entry, ['v0.3.7', '0.3.7', 'v0.3.8', 'v0.0.0-20210927181540-4e4d966f7476']),
    ).toEqual(['v0.3.7', '0.3.7', 'v0.0.0-20210927181540-4e4d966f7476']);
  });

  it('matches listed versions, including spellings the ecosystem treats as equal', () => {
    const entry = { versions: ['1.0', '2.0.1', '3.0b1'] };
    expect(affected('PyPI', entry, ['1.0', '1.0.0', '2.0.1', '2.0.2', '3.0.0b1', '3.0'])).toEqual([
      '1.0',
      '1.0.0',
      '2.0.1',
      '3.0.0b1',
    ]);
  });

  it('is affected when either the versions list or a range says so', () => {
    const entry = { ...ranges('ECOSYSTEM', [{ introduced: '2.0' }, { fixed: '2.1' }]), versions: ['1.5'] };
    expect(affected('PyPI', entry, ['1.4', '1.5', '2.0.5', '2.1'])).toEqual(['1.5', '2.0.5']);
  });

  it('skips GIT ranges and counts them', () => {
    const git = {
      type: 'GIT',
      repo: 'https://git.example.org/r',
      events: [{ introduced: '0' }, { fixed: 'c45d7c4' }],
    };
    const both = prepareAffected('PyPI', {
      ranges: [git, { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.20.0' }] }],
    });
    expect(both.gitRanges).toBe(1);
    expect(isAffected(both, '2.19.0')).toBe(true);
    expect(isAffected(both, '2.20.0')).toBe(false);
    const gitOnly = prepareAffected('PyPI', { ranges: [git] });
    expect(gitOnly.gitRanges).toBe(1);
    expect(isAffected(gitOnly, '1.0')).toBe(false);
  });

  it('matches nothing for an entry with neither ranges nor versions, unless told it means the whole package', () => {
    expect(isAffected(prepareAffected('npm', {}), '1.0.0')).toBe(false);
    const all = prepareAffected('npm', {}, { emptyMeansAll: true });
    expect(isAffected(all, '1.0.0')).toBe(true);
    expect(affectsAllVersions(all)).toBe(true);
  });
});

describe('fixed versions, intervals and upgrades', () => {
  it('lists fixed versions in version order', () => {
    const entry = prepareAffected(
      'npm',
      ranges('SEMVER', [
        { introduced: '3.0.0' },
        { fixed: '3.10.0' },
        { introduced: '0' },
        { fixed: '3.9.1' },
      ]),
    );
    expect(fixedVersions(entry)).toEqual(['3.9.1', '3.10.0']);
  });

  it('describes affected intervals for messages', () => {
    const entry = prepareAffected(
      'npm',
      ranges(
        'SEMVER',
        [{ introduced: '0' }, { fixed: '4.17.12' }],
        [{ introduced: '5.0.0' }, { last_affected: '5.1.0' }],
        [{ introduced: '6.0.0' }],
      ),
    );
    expect(affectedIntervals(entry).map(describeInterval)).toEqual([
      '<4.17.12',
      '>=5.0.0 <=5.1.0',
      '>=6.0.0',
    ]);
    const all = prepareAffected('npm', ranges('SEMVER', [{ introduced: '0' }]));
    expect(affectedIntervals(all).map(describeInterval)).toEqual(['all versions']);
    // RUSTSEC starts its ranges at 0.0.0-0, the lowest SemVer version: no lower bound either.
    const rustsec = prepareAffected(
      'crates.io',
      ranges('SEMVER', [{ introduced: '0.0.0-0' }, { fixed: '0.14.10' }]),
    );
    expect(affectedIntervals(rustsec).map(describeInterval)).toEqual(['<0.14.10']);
    expect(
      affectsAllVersions(prepareAffected('crates.io', ranges('SEMVER', [{ introduced: '0.0.0-0' }]))),
    ).toBe(true);
    expect(affectsAllVersions(all)).toBe(true);
    expect(affectsAllVersions(entry)).toBe(false);
  });

  it('finds the smallest upgrade that no advisory of the package affects', () => {
    const entries = [
      prepareAffected('npm', ranges('SEMVER', [{ introduced: '0' }, { fixed: '4.17.12' }])),
      prepareAffected('npm', ranges('SEMVER', [{ introduced: '0' }, { fixed: '4.17.19' }])),
      // The fix of the first is itself affected by this one: the upgrade must skip it.
      prepareAffected('npm', ranges('SEMVER', [{ introduced: '4.17.12' }, { fixed: '4.17.21' }])),
    ];
    expect(smallestFixingUpgrade('npm', '4.17.11', entries)).toBe('4.17.21');
    expect(smallestFixingUpgrade('npm', '4.17.20', entries)).toBe('4.17.21');
  });

  it('has no upgrade when no fix the data names is free of every advisory', () => {
    const entries = [
      prepareAffected('PyPI', ranges('ECOSYSTEM', [{ introduced: '0' }, { fixed: '2.0' }])),
      prepareAffected('PyPI', ranges('ECOSYSTEM', [{ introduced: '1.5' }])),
    ];
    expect(smallestFixingUpgrade('PyPI', '1.0', entries)).toBeUndefined();
  });

  it('finds the listed spellings equal to a version', () => {
    expect(equalSpellings('PyPI', ['1.0', '1.0.0', '1.1'], '1')).toEqual(['1.0', '1.0.0']);
    expect(equalSpellings('npm', ['1.0.0', '2.0.0'], '1.5.0')).toEqual([]);
  });
});

describe('OSV data at its edges', () => {
  it('ignores ranges of a type OSV does not define and events with no known field', () => {
    const unknownType = ranges('UNKNOWN', [{ introduced: '0' }]);
    expect(affected('npm', unknownType, ['1.0.0'])).toEqual([]);
    // A field a later schema adds is no event this reader knows: the range still ends where `fixed` says.
    const extra = ranges('SEMVER', [{ introduced: '1.0.0' }, {} as OsvEvent, { fixed: '2.0.0' }]);
    expect(affected('npm', extra, ['0.9.0', '1.5.0', '2.0.0'])).toEqual(['1.5.0']);
  });

  it('reads introduced "0" as the first release even where "0" sorts above some versions (Go pseudo-versions)', () => {
    // v0.0.0-<date>-<commit> is a prerelease of 0.0.0, so below "0" read as a version: only the
    // "from the start" reading of introduced "0" keeps it inside the range, whatever the events' order.
    const entry = ranges('SEMVER', [{ fixed: '0.0.0-20220101000000-abcdefabcdef' }, { introduced: '0' }]);
    expect(
      affected('Go', entry, [
        'v0.0.0-20210927181540-4e4d966f7476',
        'v0.0.0-20220101000000-abcdefabcdef',
        'v0.1.0',
      ]),
    ).toEqual(['v0.0.0-20210927181540-4e4d966f7476']);
    const written = ranges('SEMVER', [{ introduced: '0' }, { fixed: '0.0.0-20220101000000-abcdefabcdef' }]);
    expect(affected('Go', written, ['v0.0.0-20210927181540-4e4d966f7476', 'v0.1.0'])).toEqual([
      'v0.0.0-20210927181540-4e4d966f7476',
    ]);
  });

  it('matches listed versions by the ecosystem order even when the data lists them out of order', () => {
    const entry = { versions: ['3.0b1', '2.0.1', '1.0', '2.0.1'] };
    expect(affected('PyPI', entry, ['1.0.0', '2.0.1', '3.0.0b1', '2.0'])).toEqual([
      '1.0.0',
      '2.0.1',
      '3.0.0b1',
    ]);
  });

  it('uses the spellings a caller found for the version, instead of searching again', () => {
    const entry = prepareAffected('PyPI', { versions: ['1.0', '2.0'] });
    expect(isAffected(entry, '1', ['1.0.0', '1.0'])).toBe(true);
    expect(isAffected(entry, '1', ['1.0.0'])).toBe(false);
    expect(isAffected(entry, '3', [])).toBe(false);
  });

  it('is below a range limit when below any one of several limits', () => {
    const entry = ranges('ECOSYSTEM', [{ introduced: '0' }, { limit: '1.0.0' }, { limit: '3.0.0' }]);
    expect(affected('npm', entry, ['0.5.0', '2.0.0', '3.0.0'])).toEqual(['0.5.0', '2.0.0']);
  });

  it('does not read an entry with only GIT ranges as the whole package, even where empty means all', () => {
    const gitOnly = prepareAffected(
      'npm',
      { ranges: [{ type: 'GIT', repo: 'https://git.example.org/r', events: [{ introduced: '0' }] }] },
      { emptyMeansAll: true },
    );
    expect(isAffected(gitOnly, '1.0.0')).toBe(false);
    expect(affectsAllVersions(gitOnly)).toBe(false);
  });

  it('lists the fixes of several ranges in version order', () => {
    const entry = prepareAffected(
      'npm',
      ranges(
        'SEMVER',
        [{ introduced: '2.0.0' }, { fixed: '2.5.0' }],
        [{ introduced: '0' }, { fixed: '1.4.0' }],
      ),
    );
    expect(fixedVersions(entry)).toEqual(['1.4.0', '2.5.0']);
  });

  it('finds every listed spelling of a version, before and after the one the search lands on', () => {
    expect(equalSpellings('PyPI', ['0.9', '1.0', '1.0.0'], '1')).toEqual(['1.0', '1.0.0']);
    expect(equalSpellings('PyPI', ['1', '1.0', '1.0.0', '2'], '1.0')).toEqual(['1', '1.0', '1.0.0']);
  });

  it('describes an interval from its first introduced event, ignoring a repeated one', () => {
    const entry = prepareAffected(
      'npm',
      ranges('SEMVER', [{ introduced: '1.0.0' }, { introduced: '1.5.0' }, { fixed: '2.0.0' }]),
    );
    expect(affectedIntervals(entry).map(describeInterval)).toEqual(['>=1.0.0 <2.0.0']);
    // A fix with no interval open before it closes nothing.
    const fixOnly = prepareAffected('npm', ranges('SEMVER', [{ fixed: '1.0.0' }]));
    expect(affectedIntervals(fixOnly)).toEqual([]);
  });

  it('describes a range that ends at a limit, and says nothing of a limit it cannot state', () => {
    const limited = prepareAffected(
      'npm',
      ranges('ECOSYSTEM', [{ introduced: '1.0.0' }, { limit: '2.0.0' }]),
    );
    expect(affectedIntervals(limited).map(describeInterval)).toEqual(['>=1.0.0 <2.0.0']);
    expect(
      affectsAllVersions(
        prepareAffected('npm', ranges('ECOSYSTEM', [{ introduced: '0' }, { limit: '2.0.0' }])),
      ),
    ).toBe(false);
    const star = prepareAffected('npm', ranges('ECOSYSTEM', [{ introduced: '1.0.0' }, { limit: '*' }]));
    expect(affectedIntervals(star).map(describeInterval)).toEqual(['>=1.0.0']);
    // Below either of two limits: no single upper bound to print.
    const two = prepareAffected(
      'npm',
      ranges('ECOSYSTEM', [{ introduced: '1.0.0' }, { limit: '2.0.0' }, { limit: '3.0.0' }]),
    );
    expect(affectedIntervals(two).map(describeInterval)).toEqual(['>=1.0.0']);
  });

  it('does not call a range with no events, or only a limit, the whole package', () => {
    expect(affectsAllVersions(prepareAffected('npm', ranges('SEMVER', [])))).toBe(false);
    expect(affectsAllVersions(prepareAffected('npm', ranges('SEMVER', [{ limit: '2.0.0' }])))).toBe(false);
  });

  it('never offers a downgrade, or the current version, as the fixing upgrade', () => {
    const entries = [
      prepareAffected('npm', ranges('SEMVER', [{ introduced: '0' }, { fixed: '1.0.0' }])),
      prepareAffected('npm', ranges('SEMVER', [{ introduced: '1.5.0' }, { fixed: '2.0.0' }])),
    ];
    expect(smallestFixingUpgrade('npm', '1.6.0', entries)).toBe('2.0.0');
    expect(smallestFixingUpgrade('npm', '1.0.0', entries.slice(0, 1))).toBeUndefined();
  });

  it('offers the lowest free fix, whatever order the advisories name their fixes in', () => {
    const entries = [
      prepareAffected('npm', ranges('SEMVER', [{ introduced: '2.9.0' }, { fixed: '3.0.0' }])),
      prepareAffected('npm', ranges('SEMVER', [{ introduced: '0' }, { fixed: '2.0.0' }])),
    ];
    expect(smallestFixingUpgrade('npm', '1.0.0', entries)).toBe('2.0.0');
  });
});
