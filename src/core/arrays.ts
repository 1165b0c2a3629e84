/**
 * Appends every item to `target`. `target.push(...items)` passes each item as an argument on the stack, so a
 * large array (150,000 lockfile entries) overflows it; this never does.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}

/** The largest of the numbers, or `floor` when there are none (`Math.max(...numbers)` has the same limit). */
export function maxOf(numbers: Iterable<number>, floor = Number.NEGATIVE_INFINITY): number {
  let max = floor;
  for (const n of numbers) if (n > max) max = n;
  return max;
}
