import { describe, expect, it } from 'vitest';
import { difference, holm, proportion, twoSidedP, wilson } from '../../src/simulate/stats.js';

describe('wilson', () => {
  it('matches published 95% score intervals', () => {
    // Reference values: Newcombe (1998), Statistics in Medicine 17, table I (method 3).
    const check = (count: number, total: number, low: number, high: number) => {
      const interval = wilson(count, total);
      expect(interval.low).toBeCloseTo(low, 4);
      expect(interval.high).toBeCloseTo(high, 4);
    };
    check(81, 263, 0.2553, 0.3662);
    check(15, 148, 0.0624, 0.1605);
    check(0, 20, 0, 0.1611);
    check(1, 29, 0.0061, 0.1718);
  });

  it('stays within [0, 1] and is undefined without samples', () => {
    expect(wilson(10, 10)).toEqual({ low: expect.closeTo(0.7225, 4), high: 1 });
    expect(proportion(0, 0)).toBeNull();
    expect(proportion(3, 12)).toMatchObject({ count: 3, total: 12, rate: 0.25 });
  });
});

describe('the difference of two shares', () => {
  const diff = (a: [number, number], b: [number, number]) => difference(proportion(...a)!, proportion(...b)!);

  it('has Newcombe’s hybrid score interval (method 10)', () => {
    // Newcombe (1998), Statistics in Medicine 17, 873–890, table II, method 10.
    const check = (a: [number, number], b: [number, number], low: number, high: number) => {
      const d = diff(a, b);
      expect(d.low).toBeCloseTo(low, 4);
      expect(d.high).toBeCloseTo(high, 4);
    };
    check([56, 70], [48, 80], 0.0524, 0.3339);
    check([9, 10], [3, 10], 0.1705, 0.809);
    check([5, 56], [0, 29], -0.0381, 0.1926);
  });

  it('is tested with the pooled two-proportion z-test', () => {
    // 56/70 vs 48/80: z² is Pearson's chi-squared of the 2×2 table without continuity correction, 7.0234.
    const d = diff([56, 70], [48, 80]);
    expect(d.z! ** 2).toBeCloseTo(7.0234, 3);
    expect(d.p).toBeCloseTo(0.00805, 4);
    expect(d.approximate).toBe(false);
    expect(diff([9, 10], [3, 10]).approximate).toBe(true);
    // Nothing to test: both never, or both always.
    expect(diff([0, 10], [0, 20])).toMatchObject({ z: null, p: 1, difference: 0 });
    expect(diff([10, 10], [20, 20])).toMatchObject({ z: null, p: 1 });
  });

  it('two-sided normal p-values', () => {
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(-2.5758293035489)).toBeCloseTo(0.01, 6);
    expect(twoSidedP(0)).toBe(1);
  });
});

describe('holm', () => {
  it('adjusts step-down and keeps the order given (R p.adjust(method = "holm"))', () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted.map((p) => Number(p.toFixed(10)))).toEqual([0.03, 0.06, 0.06, 0.02]);
    // Monotone: a larger raw p never gets a smaller adjusted one (0.9 × 1 would be 0.9).
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
});
