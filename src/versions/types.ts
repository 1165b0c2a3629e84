import type { Ecosystem } from '../model/ecosystem.js';

/**
 * How one ecosystem orders its versions, for matching versions against OSV `ECOSYSTEM` ranges.
 *
 * `compare` never throws and never falls back to plain string order between versions. Every string gets a
 * sort key, so the order is deterministic and antisymmetric (`compare(a, b) === -compare(b, a)`):
 * - a valid version is keyed by the ecosystem's own rules;
 * - a string that is not valid but still readable (a `v` prefix where the ecosystem has none, a missing
 *   minor part, a number too big for the ecosystem's integer type) is keyed by the same rules applied to
 *   what could be read;
 * - a string that cannot be read at all sorts before every readable version, and among such strings by
 *   UTF-16 code unit order (equal only when identical).
 * The last rule holds for npm, crates.io, Go and NuGet. PyPI orders non-PEP 440 strings as packaging's
 * LegacyVersion did (all before PEP 440 versions); RubyGems, Maven and Packagist read every string by their
 * own segment rules (Gem::Version itself would refuse some). Maven's and PHP's orders (Packagist follows PHP's `version_compare`, as OSV
 * does) are not transitive in a few corners, e.g. `1.2.3 = 1.2.3.#`, `1.2.3.# = 1.2.3.1`, `1.2.3 < 1.2.3.1`.
 */
export interface VersionScheme<Parsed = unknown> {
  readonly ecosystem: Ecosystem;
  /** The version as the ecosystem understands it; undefined when the ecosystem would reject the string. */
  parse(version: string): Parsed | undefined;
  /** -1, 0 or 1. Versions that differ only in ignored parts (build metadata, spelling) compare equal. */
  compare(a: string, b: string): number;
}
