import { describe, expect, it } from 'vitest';
import { rangeAllowsVulnerable } from '../../src/analyzers/range-allows-vulnerable.js';
import type { AdvisoryFacts, AdvisoryGroup, RangeAdvisories } from '../../src/model/advisory-facts.js';
import type { Severity } from '../../src/model/severity.js';
import { ProjectIndex } from '../../src/project/index.js';
import { PhantomResolver } from '../../src/project/phantom.js';
import { context, ref, useFixtureDatabase } from './advisory-helpers.js';

const db = useFixtureDatabase();

describe('range-allows-vulnerable', () => {
  it('names the affected intervals inside a range, at a lower severity than an exact match', () => {
    const lodash = ref({ ecosystem: 'npm', name: 'lodash', spec: '^4.17.0' });
    const { findings } = rangeAllowsVulnerable.analyze(context([lodash], db()));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'range-allows-vulnerable',
      severity: 'medium',
      name: 'lodash',
      message:
        'lodash ^4.17.0 admits versions with 2 known vulnerabilities (CVE-2019-10744, CVE-2021-23337): affected <4.17.12, <4.17.21; require 4.17.21 or later',
    });
    expect(findings[0]?.version).toBeUndefined();
    expect(findings[0]?.evidence).toMatchObject({
      spec: '^4.17.0',
      upgrade: '4.17.21',
      admitsUpgrade: true,
      advisories: [
        { id: 'CVE-2019-10744', severity: 'critical', versions: ['4.17.0'], intervals: ['<4.17.12'] },
        { id: 'CVE-2021-23337', severity: 'high', versions: ['4.17.0'], intervals: ['<4.17.21'] },
      ],
    });
  });

  it('keeps the full severity when the range admits no version known to be fixed', () => {
    const pinnedLow = ref({ ecosystem: 'npm', name: 'lodash', spec: '<4.17.12' });
    const [finding] = rangeAllowsVulnerable.analyze(context([pinnedLow], db())).findings;
    expect(finding?.severity).toBe('critical');
    expect(finding?.message).toMatch(/it admits no version known to be fixed; require 4\.17\.21 or later$/);
  });

  it('reports a bare name, and a range admitting a malicious release', () => {
    const refs = [
      ref({ ecosystem: 'PyPI', name: 'requests', source: 'installed', extractor: 'shell' }),
      ref({ ecosystem: 'npm', name: '@solana/web3.js', spec: '^1.95.0' }),
    ];
    const messages = rangeAllowsVulnerable
      .analyze(context(refs, db()))
      .findings.map((f) => [f.severity, f.message]);
    expect(messages).toEqual([
      [
        'low',
        'requests (any version) admits versions with 2 known vulnerabilities (CVE-2018-18074 [severity unknown], CVE-2023-32681 [severity unknown]): affected <2.20.0, >=2.3.0 <2.31.0; require 2.31.0 or later',
      ],
      [
        'medium',
        '@solana/web3.js ^1.95.0 admits 1 known malicious release (MAL-2024-11183): affected >=1.95.6 <1.95.8; require 1.95.8 or later',
      ],
    ]);
  });

  it('names the versions of an advisory that lists versions and no ranges', () => {
    const gem = ref({ ecosystem: 'RubyGems', name: 'microsoft_kiota_http', source: 'installed' });
    expect(rangeAllowsVulnerable.analyze(context([gem], db())).findings.map((f) => f.message)).toEqual([
      'microsoft_kiota_http (any version) admits 1 known malicious release (MAL-2023-11): affected 6.0.1; no fixed version is known',
    ]);
  });

  it('is silent for ranges that admit only fixed versions and for exact versions', () => {
    const refs = [
      ref({ ecosystem: 'npm', name: 'lodash', spec: '^4.17.21' }),
      ref({ ecosystem: 'PyPI', name: 'requests', spec: '>=2.31,<3' }),
      ref({ ecosystem: 'npm', name: 'lodash', version: '4.17.11' }),
    ];
    expect(rangeAllowsVulnerable.analyze(context(refs, db())).findings).toEqual([]);
  });

  it('passes on ranges it cannot evaluate as unchecked', () => {
    const crates = ref({ ecosystem: 'crates.io', name: 'time', spec: 'workspace' });
    const out = rangeAllowsVulnerable.analyze(context([crates], db()));
    expect(out.findings).toEqual([]);
    expect(out.unchecked).toEqual([
      expect.objectContaining({ name: 'time', check: 'range-allows-vulnerable' }),
    ]);
  });
});

describe('the severity of a range', () => {
  const group = (id: string, severity: Severity, fixed: string[]): AdvisoryGroup => ({
    id,
    ids: [id],
    severity,
    malicious: false,
    fixed,
    references: [],
    modified: '2024-01-01T00:00:00Z',
    entries: [],
  });
  const finding = (range: RangeAdvisories) => {
    const requests = ref({ ecosystem: 'PyPI', name: 'requests', spec: range.spec });
    const advisories: AdvisoryFacts = { forRef: () => ({ range }), unchecked: [] };
    const phantom = new PhantomResolver(new ProjectIndex([requests], [], []));
    return rangeAllowsVulnerable.analyze({ refs: [requests], phantom, advisories }).findings[0];
  };
  const high = group('CVE-2099-0001', 'high', ['2.31.0']);
  const unfixed = group('CVE-2099-0002', 'medium', []);

  it('counts each advisory the range still admits: an unfixed medium one does not lift it to a fixed high one', () => {
    const range: RangeAdvisories = {
      spec: '>=2.0',
      advisories: [
        { group: high, versions: ['2.0'], intervals: ['<2.31.0'], avoidable: true },
        { group: unfixed, versions: ['2.0'], intervals: ['all versions'], avoidable: false },
      ],
      admitsUpgrade: false,
    };
    expect(finding(range)?.severity).toBe('medium');
    const onlyHigh = { ...range, advisories: [range.advisories[0]!], admitsUpgrade: true };
    expect(finding(onlyHigh)?.severity).toBe('medium');
    const highUnavoidable = { ...range, advisories: [{ ...range.advisories[0]!, avoidable: false }] };
    expect(finding(highUnavoidable)?.severity).toBe('high');
  });

  it('is info when the registry says a fresh install gets a version no advisory affects', () => {
    const range: RangeAdvisories = {
      advisories: [{ group: high, versions: [], intervals: ['<2.31.0'], avoidable: true }],
      upgrade: '2.31.0',
      admitsUpgrade: true,
      installs: { version: '2.32.3', groups: [] },
    };
    const bare = finding(range);
    expect(bare?.severity).toBe('info');
    expect(bare?.message).toMatch(/a fresh install gets 2\.32\.3 today, which is not affected$/);
    expect(finding({ ...range, installs: { version: '2.30.0', groups: [high] } })?.severity).toBe('high');
  });
});
