import { describe, expect, it } from 'vitest';
import { malicious } from '../../src/analyzers/malicious.js';
import { context, ref, useFixtureDatabase } from './advisory-helpers.js';

const db = useFixtureDatabase();

describe('malicious', () => {
  it('reports a malicious release named exactly', () => {
    const solana = ref({ ecosystem: 'npm', name: '@solana/web3.js', version: '1.95.6', source: 'installed' });
    const { findings } = malicious.analyze(context([solana], db()));
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'malicious',
        severity: 'critical',
        version: '1.95.6',
        message:
          '@solana/web3.js 1.95.6 is a known malicious release (MAL-2024-11183); remove it and rotate any secrets it could reach',
      }),
    ]);
    expect(findings[0]?.evidence).toMatchObject({
      allVersions: false,
      advisories: [
        { id: 'MAL-2024-11183', ids: ['MAL-2024-11183', 'GHSA-2mhj-xmf4-pr8m'], fixed: ['1.95.8'] },
      ],
    });
  });

  it('reports every kind of mention of a package whose every version is malicious, once per file for imports', () => {
    const at = (line: number) => ({ file: 'src/app.js', line });
    const refs = [
      ref({ ecosystem: 'npm', name: 'crossenv', source: 'imported', location: at(1) }),
      ref({ ecosystem: 'npm', name: 'crossenv', source: 'imported', location: at(9) }),
      ref({ ecosystem: 'npm', name: 'crossenv', spec: '^6.1.0' }),
      ref({ ecosystem: 'npm', name: 'crossenv', version: '6.1.1', source: 'locked' }),
    ];
    const findings = malicious.analyze(context(refs, db())).findings;
    expect(findings.map((f) => `${f.location.file}:${f.location.line} ${f.message}`)).toEqual([
      'src/app.js:1 crossenv is a known malicious package (MAL-2099-0001); remove it and rotate any secrets it could reach',
      'app/package.json:3 crossenv is a known malicious package (MAL-2099-0001); remove it and rotate any secrets it could reach',
      'app/package.json:3 crossenv is a known malicious package (MAL-2099-0001); remove it and rotate any secrets it could reach',
    ]);
    expect(findings.every((f) => f.evidence?.allVersions === true)).toBe(true);
  });

  it('is silent for the clean versions of a package that once had a malicious release', () => {
    const refs = [
      ref({ ecosystem: 'npm', name: '@solana/web3.js', version: '1.95.8' }),
      ref({ ecosystem: 'npm', name: '@solana/web3.js', source: 'imported' }),
    ];
    expect(malicious.analyze(context(refs, db())).findings).toEqual([]);
  });
});
