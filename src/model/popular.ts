/**
 * Popular package names, the targets of typosquatting and the source of "did you mean" suggestions, as a
 * ranked list. `registry/popular.ts` loads them; the analyzers read them.
 */
import { type Ecosystem, packageKey } from './ecosystem.js';

export class PopularNames {
  private readonly rankByKey = new Map<string, number>();
  /** Keys by length, for comparing a name only with names of nearby lengths. */
  readonly byLength = new Map<number, { key: string; name: string; rank: number }[]>();

  /** `names` most popular first; `downloads` in the same order when known. */
  constructor(
    readonly ecosystem: Ecosystem,
    readonly source: string,
    readonly names: readonly string[],
    private readonly downloadCounts?: readonly number[],
  ) {
    for (const [rank, name] of names.entries()) {
      const key = packageKey(ecosystem, name).toLowerCase();
      if (this.rankByKey.has(key)) continue;
      this.rankByKey.set(key, rank + 1);
      const bucket = this.byLength.get(key.length);
      if (bucket) bucket.push({ key, name, rank: rank + 1 });
      else this.byLength.set(key.length, [{ key, name, rank: rank + 1 }]);
    }
  }

  /** 1 for the most popular; undefined for a name not on the list. */
  rank(name: string): number | undefined {
    return this.rankByKey.get(packageKey(this.ecosystem, name).toLowerCase());
  }

  downloads(name: string): number | undefined {
    const rank = this.rank(name);
    return rank === undefined ? undefined : this.downloadCounts?.[rank - 1];
  }
}

export type PopularLoad = PopularNames | { reason: string };

/**
 * The ecosystems with lists of popular names, and so with typosquat checks. The others have no maintained
 * list to compare names with, so their names are not checked for look-alikes at all.
 */
export const POPULAR_ECOSYSTEMS: ReadonlySet<Ecosystem> = new Set(['npm', 'PyPI']);
