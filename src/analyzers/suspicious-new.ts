import type { Finding } from '../model/finding.js';
import type { ExistingPackage } from '../model/registry-facts.js';
import type { Severity } from '../model/severity.js';
import { admittedVersions } from '../versions/pick.js';
import {
  ALL_SOURCES,
  day,
  existing,
  registryFinding,
  registryRefs,
  sourceEvidence,
  UNTRUSTED_DATES,
  UncheckedList,
} from './registry-common.js';
import type { Analyzer } from './types.js';

const DAY_MS = 86_400_000;

/**
 * The profile of a squatted hallucination: the package was first published recently (default 30 days),
 * or it is thin (one version, no repository link, no description); or every version the reference admits
 * is that recent. Ages need the registry's real publish dates: without them that part is `unchecked`.
 */
export const suspiciousNew: Analyzer = {
  id: 'suspicious-new',
  needs: 'registry',
  analyze({ refs, registry }) {
    const findings: Finding[] = [];
    const unchecked = new UncheckedList();
    if (!registry) return { findings, unchecked: [] };
    const { now, newPackageMs } = registry.settings;
    const days = Math.round(newPackageMs / DAY_MS);
    for (const { ref, answer } of registryRefs(refs, registry, ALL_SOURCES)) {
      const facts = existing(answer);
      if (!facts) continue;
      const signs: string[] = [];
      const evidence: Record<string, unknown> = { thresholdDays: days };
      // An old package with a fresh release is most often just a release: that sign alone is low.
      let severity: Severity = 'low';
      const versionCount = facts.versions ? Object.keys(facts.versions).length : undefined;
      if (versionCount !== undefined) evidence.versions = versionCount;
      if (versionCount === 1 && facts.repository === '' && facts.description === '') {
        signs.push('one version, no repository link and no description');
        evidence.thin = true;
        severity = 'medium';
      }
      if (!facts.datesTrusted || !facts.created) {
        unchecked.add(ref, 'suspicious-new', UNTRUSTED_DATES);
      } else {
        const age = now - Date.parse(facts.created);
        evidence.created = facts.created;
        evidence.ageDays = Math.floor(age / DAY_MS);
        if (age < newPackageMs) {
          signs.push(`first published ${day(facts.created)}, ${evidence.ageDays} days ago`);
          severity = 'medium';
        } else if (ref.source !== 'locked' && ref.source !== 'imported') {
          const recent = recentOnly(facts, ref.version ?? ref.spec, now - newPackageMs);
          if (recent) {
            signs.push(
              `every version ${ref.version ?? ref.spec} admits was published in the last ${days} days (${recent.join(', ')})`,
            );
            evidence.recentVersions = recent;
          }
        }
      }
      if (signs.length === 0) continue;
      findings.push(
        registryFinding(ref, {
          kind: 'suspicious-new',
          severity,
          message: `'${ref.name}' looks like a squatted name: ${signs.join('; ')}`,
          evidence: { ...evidence, signs, ...sourceEvidence(answer) },
        }),
      );
    }
    return { findings, unchecked: unchecked.list() };
  },
};

/** The versions a requirement admits when all of them were published after `since`; else undefined. */
function recentOnly(facts: ExistingPackage, spec: string | undefined, since: number): string[] | undefined {
  if (spec === undefined) return undefined;
  const admitted = admittedVersions(
    facts,
    facts.versions?.[spec] ? `${facts.ecosystem === 'PyPI' ? '==' : ''}${spec}` : spec,
  );
  if (!admitted || admitted.length === 0) return undefined;
  if (!admitted.every((v) => v.published && Date.parse(v.published) >= since)) return undefined;
  return admitted.map((v) => v.version);
}
