/**
 * The statistics of the simulation reports: shares with their 95% Wilson score interval, and the
 * difference of two shares with a two-proportion z-test, Newcombe's hybrid score interval and Holm's
 * correction for testing many differences at once.
 */

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;
/** Family-wise error rate of the difference tests. */
export const ALPHA = 0.05;
/** Below this expected count in any cell the normal approximation of the z-test is rough. */
const MIN_EXPECTED = 5;

export interface Proportion {
  count: number;
  total: number;
  rate: number;
  /** 95% Wilson score interval. */
  low: number;
  high: number;
  /**
   * Units in `total` that the check judged on part of the evidence: answers with a package it could not
   * check (registry unreachable, a name only guessed from an import). They count as "no finding" unless one
   * was found, so the true share may be higher.
   */
  partial?: number;
  /** Units left out of `total` because they could not be checked at all (package references not asked). */
  excluded?: number;
}

/** 95% Wilson score interval for `count` successes out of `total` (total > 0). */
export function wilson(count: number, total: number, z = Z95): { low: number; high: number } {
  const p = count / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const center = (p + z2 / (2 * total)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  // At 0 and at total the bound is exactly 0 or 1; floating point would say 1e-17 or 0.9999999999999999.
  return {
    low: count === 0 ? 0 : Math.max(0, center - half),
    high: count === total ? 1 : Math.min(1, center + half),
  };
}

export function proportion(count: number, total: number): Proportion | null {
  if (total === 0) return null;
  return { count, total, rate: count / total, ...wilson(count, total) };
}

/**
 * The complementary error function, by the Chebyshev fit of Numerical Recipes (`erfcc`, fractional error
 * below 1.2e-7 everywhere): p-values need no more.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

export interface Difference {
  /** a.rate − b.rate. */
  difference: number;
  /** 95% interval of the difference: Newcombe's hybrid score method (method 10), from the Wilson intervals. */
  low: number;
  high: number;
  /** The pooled two-proportion z statistic; null when both shares are 0 or both 1 (nothing to test). */
  z: number | null;
  /** Two-sided p-value of the z-test (1 when z is null). */
  p: number;
  /** An expected count below 5 in one of the four cells: the z-test's normal approximation is rough. */
  approximate: boolean;
}

/** The difference of two independent shares, tested. */
export function difference(a: Proportion, b: Proportion): Difference {
  const d = a.rate - b.rate;
  const low = d - Math.sqrt((a.rate - a.low) ** 2 + (b.high - b.rate) ** 2);
  const high = d + Math.sqrt((a.high - a.rate) ** 2 + (b.rate - b.low) ** 2);
  const pooled = (a.count + b.count) / (a.total + b.total);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.total + 1 / b.total));
  const z = se > 0 ? d / se : null;
  const expected = [a.total, b.total].flatMap((n) => [n * pooled, n * (1 - pooled)]);
  return {
    difference: d,
    low: Math.max(-1, low),
    high: Math.min(1, high),
    z,
    p: z === null ? 1 : twoSidedP(z),
    approximate: expected.some((e) => e < MIN_EXPECTED),
  };
}

/**
 * Holm's step-down adjustment: p-values of a family of tests made comparable with one α, so that the chance
 * of calling any true null difference significant stays below α. Same order as given.
 */
export function holm(pValues: readonly number[]): number[] {
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
