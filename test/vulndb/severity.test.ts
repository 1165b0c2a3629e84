import { describe, expect, it } from 'vitest';
import type { OsvRecord } from '../../src/model/osv.js';
import {
  advisorySeverity,
  cvssBaseScore,
  severityOfLabel,
  severityOfScore,
} from '../../src/vulndb/severity.js';

function record(fields: Partial<OsvRecord>): OsvRecord {
  return { id: 'GHSA-xxxx-xxxx-xxxx', modified: '2024-01-01T00:00:00Z', ...fields };
}

describe('advisory severity', () => {
  it('computes the CVSS base score of v3.1, v3.0, v4.0 and v2 vectors', () => {
    expect(cvssBaseScore('CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H')).toBe(9.1);
    expect(cvssBaseScore('CVSS_V3', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvssBaseScore('CVSS_V4', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBe(
      9.3,
    );
    expect(cvssBaseScore('CVSS_V2', 'AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBe(7.5);
    expect(cvssBaseScore('CVSS_V3', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U')).toBeUndefined();
  });

  it('maps scores to Vouch severities at 9, 7, 4 and above 0', () => {
    expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0.1, 0].map(severityOfScore)).toEqual([
      'critical',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
      'info',
    ]);
  });

  it('prefers the computed score, then the database label; with neither it is unknown (medium for gates)', () => {
    const vector = 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H';
    expect(
      advisorySeverity(
        record({ severity: [{ type: 'CVSS_V3', score: vector }], database_specific: { severity: 'LOW' } }),
      ),
    ).toEqual({ severity: 'high', score: 7.2, vector, label: 'low' });
    expect(advisorySeverity(record({ database_specific: { severity: 'MODERATE' } }))).toEqual({
      severity: 'medium',
      label: 'medium',
    });
    expect(
      advisorySeverity(
        record({
          affected: [{ package: { ecosystem: 'npm', name: 'x' }, database_specific: { severity: 'HIGH' } }],
        }),
      ),
    ).toEqual({ severity: 'high', label: 'high' });
    expect(advisorySeverity(record({}))).toEqual({ severity: 'medium', unknown: true });
  });

  it('falls back to the label when the vector cannot be read', () => {
    const broken = [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U' }];
    expect(
      advisorySeverity(record({ severity: broken, database_specific: { severity: 'CRITICAL' } })),
    ).toEqual({
      severity: 'critical',
      label: 'critical',
    });
  });

  it('rates malicious-package records critical whatever they say', () => {
    expect(
      advisorySeverity(record({ id: 'MAL-2024-11183', database_specific: { severity: 'LOW' } })),
    ).toEqual({
      severity: 'critical',
    });
  });

  it('reads the labels other databases use', () => {
    expect(['CRITICAL', 'important', 'Moderate', 'medium', 'LOW', 'unknown'].map(severityOfLabel)).toEqual([
      'critical',
      'high',
      'medium',
      'medium',
      'low',
      undefined,
    ]);
  });
});
