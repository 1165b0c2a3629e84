import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/model/severity.js';
import { EXIT, exitCodeFor, type FailOn } from '../../src/pipeline/policy.js';
import { findingAt as finding, resultWith as result } from '../helpers.js';

/**
 * The gate, written out: rows are --fail-on, columns the severity of the one finding (info, low, medium,
 * high, critical). A finding exactly at the threshold fails; one step below does not.
 */
const GATE: [FailOn, [number, number, number, number, number]][] = [
  ['info', [1, 1, 1, 1, 1]],
  ['low', [0, 1, 1, 1, 1]],
  ['medium', [0, 0, 1, 1, 1]],
  ['high', [0, 0, 0, 1, 1]],
  ['critical', [0, 0, 0, 0, 1]],
  ['none', [0, 0, 0, 0, 0]],
];
const COLUMNS: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

describe('exit code policy', () => {
  it('has the documented numbers', () => {
    expect(EXIT).toEqual({ clean: 0, findings: 1, input: 2, internal: 3 });
  });

  for (const [failOn, row] of GATE) {
    it(`--fail-on ${failOn}: ${row.join(' ')} for a finding of ${COLUMNS.join(', ')}`, () => {
      expect(COLUMNS.map((severity) => exitCodeFor(result([finding(severity)]), failOn))).toEqual(row);
    });
  }

  it('is 0 without findings, and decides on the worst finding whatever the order', () => {
    expect(exitCodeFor(result([]), 'info')).toBe(0);
    expect(exitCodeFor(result([finding('low'), finding('high'), finding('info')]), 'high')).toBe(1);
    expect(exitCodeFor(result([finding('medium'), finding('low')]), 'high')).toBe(0);
  });

  it('is 2 when a file could not be read, with or without findings, whatever the threshold', () => {
    const broken = [{ file: 'package.json', line: 4, message: 'invalid JSON' }];
    expect(exitCodeFor(result([], broken), 'low')).toBe(2);
    expect(exitCodeFor(result([finding('critical')], broken), 'low')).toBe(2);
    expect(exitCodeFor(result([], broken), 'none')).toBe(2);
  });
});
