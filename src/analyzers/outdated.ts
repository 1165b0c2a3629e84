import type { Finding } from '../model/finding.js';
import { compareVersions } from '../versions/index.js';
import { majorOf } from '../versions/pick.js';
import {
  day,
  existing,
  registryFinding,
  registryRefs,
  sourceEvidence,
  UNTRUSTED_DATES,
  UncheckedList,
} from './registry-common.js';
import type { Analyzer } from './types.js';

const YEAR_MS = 365.25 * 86_400_000;

/**
 * The pinned version, or the one a range installs today, is behind the latest by a major version or was
 * published long before it (default two years): stale training data. The age needs the registry's real
 * publish dates (a mirror may trim or re-stamp them); without them only a major-version gap is reported,
 * and otherwise the check is `unchecked`.
 */
export const outdated: Analyzer = {
  id: 'outdated',
  needs: 'registry',
  analyze({ refs, registry }) {
    const findings: Finding[] = [];
    const unchecked = new UncheckedList();
    if (!registry) return { findings, unchecked: [] };
    const { outdatedMs } = registry.settings;
    for (const { ref, answer } of registryRefs(refs, registry, ['declared', 'installed', 'executed'])) {
      const facts = existing(answer);
      if (!facts?.versions || (ref.version === undefined && ref.spec === undefined)) continue;
      const version = registry.installs(ref);
      const latest = facts.latest ? facts.versions[facts.latest] : undefined;
      if (!version || !latest || compareVersions(ref.ecosystem, version.version, latest.version) >= 0)
        continue;
      const from = majorOf(ref.ecosystem, version.version);
      const to = majorOf(ref.ecosystem, latest.version);
      const majors = from !== undefined && to !== undefined ? to - from : 0;
      // A major version behind needs no dates; the age needs real ones.
      const dated = facts.datesTrusted && version.published !== undefined && latest.published !== undefined;
      if (!dated && majors < 1) {
        unchecked.add(ref, 'outdated', UNTRUSTED_DATES, version.version);
        continue;
      }
      const gap = dated ? Date.parse(latest.published!) - Date.parse(version.published!) : undefined;
      if (majors < 1 && (gap === undefined || gap <= outdatedMs)) continue;
      const behind: string[] = [];
      if (majors >= 1) behind.push(`${majors} major version${majors === 1 ? '' : 's'}`);
      if (gap !== undefined && gap > outdatedMs) behind.push(`${(gap / YEAR_MS).toFixed(1)} years`);
      const which = ref.version === undefined ? `${ref.spec} installs ${version.version}` : version.version;
      const when = (published: string | undefined) => (dated ? ` (${day(published!)})` : '');
      findings.push(
        registryFinding(
          ref,
          {
            kind: 'outdated',
            severity: 'low',
            message: `'${ref.name}' ${which}${when(version.published)} is behind the latest ${latest.version}${when(latest.published)} by ${behind.join(' and ')}${dated ? '' : ' (publish dates unknown)'}`,
            evidence: {
              version: version.version,
              latest: latest.version,
              majorsBehind: majors,
              ...(dated
                ? {
                    published: version.published,
                    latestPublished: latest.published,
                    daysBehind: Math.round(gap! / 86_400_000),
                  }
                : {}),
              ...(ref.spec !== undefined && ref.version === undefined ? { spec: ref.spec } : {}),
              ...sourceEvidence(answer),
            },
          },
          version.version,
        ),
      );
    }
    return { findings, unchecked: unchecked.list() };
  },
};
