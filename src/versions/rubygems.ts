import { defineScheme } from './shared.js';

/** A canonical segment: a number (any size) or a run of letters. */
type Segment = bigint | string;

/** Gem::Version::ANCHORED_VERSION_PATTERN. */
const GEM_VERSION = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/;

function parseGem(version: string): Segment[] | undefined {
  return GEM_VERSION.test(version) ? canonicalSegments(version) : undefined;
}

/**
 * Gem::Version#canonical_segments: `-` means `.pre.`, the string is cut into runs of digits and of letters,
 * and trailing zeros are dropped both from the release part and from the prerelease part (which starts at the
 * first letter run), so `1.0 == 1` and `1.0.a.0 == 1.0.a`.
 */
function canonicalSegments(version: string): Segment[] {
  const runs = version.replaceAll('-', '.pre.').match(/[0-9]+|[a-z]+/gi) ?? [];
  const segments: Segment[] = runs.map((run) => (/^[0-9]/.test(run) ? BigInt(run) : run));
  const firstString = segments.findIndex((s) => typeof s === 'string');
  if (firstString === -1) return dropTrailingZeros(segments);
  return [
    ...dropTrailingZeros(segments.slice(0, firstString)),
    ...dropTrailingZeros(segments.slice(firstString)),
  ];
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (segments[end - 1] === 0n) end--;
  return segments.slice(0, end);
}

/** Gem::Version#<=>: a missing segment is 0; a letter run sorts below any number (it makes a prerelease). */
function compareSegments(a: Segment[], b: Segment[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x === y) continue;
    if (typeof x !== typeof y) return typeof x === 'string' ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * RubyGems (Gem::Version). Ruby refuses strings outside its version pattern; they are still ordered here by
 * the same segment rules applied to their digit and letter runs (a string with none of either is 0).
 */
export const rubygemsScheme = defineScheme({
  ecosystem: 'RubyGems',
  parse: parseGem,
  key: canonicalSegments,
  compareKeys: compareSegments,
});
