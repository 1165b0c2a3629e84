import { describe, expect, it } from 'vitest';
import type { PackageRef } from '../../src/model/package-ref.js';
import { RESULT_SCHEMA_VERSION, type ScanResult } from '../../src/model/result.js';
import { notCheckedOf } from '../../src/pipeline/policy.js';
import { scan } from '../../src/pipeline/scan.js';
import { jsonChunks, jsonReporter } from '../../src/reporters/json.js';
import { fixturePath } from '../helpers.js';

function result(packages: PackageRef[]): ScanResult {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'vouch', version: '0.0.0' },
    inputs: ['.'],
    packages,
    findings: [
      {
        kind: 'vulnerable',
        severity: 'high',
        ecosystem: 'npm',
        name: 'lodash',
        version: '4.17.11',
        message: 'lodash 4.17.11 has 1 known vulnerability (CVE-2019-10744); upgrade to 4.17.12',
        location: { file: 'package-lock.json', line: 12 },
        evidence: {
          advisories: [{ id: 'CVE-2019-10744', ids: ['CVE-2019-10744'], fixed: ['4.17.12'] }],
          nothing: undefined,
        },
      },
    ],
    errors: [],
    skipped: [],
    unchecked: [{ ecosystem: 'npm', name: 'x', check: 'vulnerable', reason: 'a "quoted"\nreason' }],
    checks: [{ id: 'vulnerable', status: 'ran' }],
    notChecked: notCheckedOf([], [], []),
    stats: { filesScanned: 1, bytesScanned: 10, durationMs: 3 },
  };
}

const pkg = (i: number): PackageRef => ({
  ecosystem: 'npm',
  name: `package-${i}`,
  version: '1.0.0',
  source: 'locked',
  extractor: 'npm/package-lock',
  location: { file: 'package-lock.json', line: i },
  groups: i % 2 === 0 ? ['dev'] : undefined,
});

describe('json reporter', () => {
  it('writes the whole result as indented JSON, one document ending in a newline', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/phantom-npm') });
    const text = jsonReporter(result, { color: false });
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(result)));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });

  it('writes exactly what JSON.stringify writes, undefined fields and escapes included', () => {
    const small = result([pkg(1), pkg(2)]);
    expect(jsonReporter(small, { color: false })).toBe(`${JSON.stringify(small, null, 2)}\n`);
  });

  it('streams a large result in bounded pieces instead of one string', () => {
    const large = result(Array.from({ length: 50_000 }, (_, i) => pkg(i)));
    const pieces = [...jsonChunks(large)];
    expect(pieces.length).toBeGreaterThan(5);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan((1 << 20) + 1000);
    expect(pieces.join('')).toBe(`${JSON.stringify(large, null, 2)}\n`);
  });
});
