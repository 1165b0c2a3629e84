import type { Finding } from '../model/finding.js';
import { POPULAR_ECOSYSTEMS } from '../model/popular.js';
import type { ExistingPackage } from '../model/registry-facts.js';
import type { Severity } from '../model/severity.js';
import {
  DIRECT_SOURCES,
  existing,
  registryFinding,
  registryRefs,
  sourceEvidence,
  UncheckedList,
} from './registry-common.js';
import { CONFUSION_TEXT, lookalikes, suggestions } from './similar-names.js';
import type { Analyzer } from './types.js';

const YEAR_MS = 365.25 * 86_400_000;
/** Releases and years of history that make a look-alike name an established package rather than a fresh squat. */
const ESTABLISHED = { versions: 5, years: 1 };

/**
 * The name is a small edit away from, or a known confusion of, a popular package, and is not popular
 * itself (not on the list of popular names). A name the registry does not have is `nonexistent` instead.
 */
export const typosquat: Analyzer = {
  id: 'typosquat',
  needs: 'registry',
  analyze({ refs, registry }) {
    const findings: Finding[] = [];
    const unchecked = new UncheckedList();
    if (!registry) return { findings, unchecked: [] };
    const unlisted = new Set<string>();
    for (const { ref, answer } of registryRefs(refs, registry, DIRECT_SOURCES)) {
      // A name guessed from an import is not what anyone typed: its likeness to another proves nothing.
      if (answer.facts.status === 'missing' || ref.inferred) continue;
      if (!POPULAR_ECOSYSTEMS.has(ref.ecosystem)) {
        unlisted.add(ref.ecosystem);
        continue;
      }
      const popular = registry.popular(ref.ecosystem);
      if ('reason' in popular) {
        unchecked.add(ref, 'typosquat', popular.reason);
        continue;
      }
      if (popular.rank(ref.name) !== undefined) continue;
      const alike = lookalikes(ref.ecosystem, ref.name, popular);
      const target = alike[0];
      if (!target) continue;
      const facts = existing(answer);
      const suggested = suggestions(ref.ecosystem, ref.name, popular);
      // Many releases with no dates to tell their age: a long-lived package and a fresh squat look the same,
      // so the severity stays high, and the user is told what would have lowered it.
      const undated =
        facts?.versions !== undefined &&
        Object.keys(facts.versions).length >= ESTABLISHED.versions &&
        !(facts.datesTrusted && facts.created)
          ? `; its ${Object.keys(facts.versions).length} releases could make it an established package, but the registry's document has no trustworthy publish dates to tell (${ESTABLISHED.years} year of releases would make this medium)`
          : '';
      findings.push(
        registryFinding(ref, {
          kind: 'typosquat',
          severity: severityOf(facts, registry.settings.now),
          message: `'${ref.name}' looks like the popular '${target.name}' (${CONFUSION_TEXT[target.confusion]}) and is not popular itself; did you mean ${suggested.join(', ') || target.name}?${undated}`,
          evidence: {
            lookalikes: alike,
            suggestions: suggested,
            popularList: { source: popular.source, names: popular.names.length },
            ...(facts
              ? {
                  created: facts.created ?? null,
                  versions: facts.versions ? Object.keys(facts.versions).length : null,
                }
              : {}),
            ...sourceEvidence(answer),
          },
        }),
      );
    }
    const warnings =
      unlisted.size > 0
        ? [
            `typosquat: ${[...unlisted].sort().join(', ')} names were not compared with popular ones (Vouch has lists of popular npm and PyPI names only)`,
          ]
        : [];
    return { findings, unchecked: unchecked.list(), warnings };
  },
};

/** High, unless the registry shows years of releases: then a similar name is more likely an honest one. */
function severityOf(facts: ExistingPackage | undefined, now: number): Severity {
  if (!facts?.versions || !facts.created || !facts.datesTrusted) return 'high';
  const established =
    Object.keys(facts.versions).length >= ESTABLISHED.versions &&
    now - Date.parse(facts.created) >= ESTABLISHED.years * YEAR_MS;
  return established ? 'medium' : 'high';
}
