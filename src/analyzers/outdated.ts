import type { Finding } from '../model/finding.js';
import { majorOf } from '../registry/pick.js';
import { compareVersions } from '../vulndb/versions/index.js';
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
 * published long before it (default two years): stale training data. Both need the registry's real
 * publish dates; without them the check is `unchecked`.
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
      if (!facts.datesTrusted || !version.published || !latest.published) {
        unchecked.add(ref, 'outdated', UNTRUSTED_DATES, version.version);
        continue;
      }
      const from = majorOf(ref.ecosystem, version.version);
      const to = majorOf(ref.ecosystem, latest.version);
      const majors = from !== undefined && to !== undefined ? to - from : 0;
      const gap = Date.parse(latest.published) - Date.parse(version.published);
      if (majors < 1 && gap <= outdatedMs) continue;
      const behind: string[] = [];
      if (majors >= 1) behind.push(`${majors} major version${majors === 1 ? '' : 's'}`);
      if (gap > outdatedMs) behind.push(`${(gap / YEAR_MS).toFixed(1)} years`);
      const which = ref.version === undefined ? `${ref.spec} installs ${version.version}` : version.version;
      findings.push(
        registryFinding(
          ref,
          {
            kind: 'outdated',
            severity: 'low',
            message: `'${ref.name}' ${which} (${day(version.published)}) is behind the latest ${latest.version} (${day(latest.published)}) by ${behind.join(' and ')}`,
            evidence: {
              version: version.version,
              published: version.published,
              latest: latest.version,
              latestPublished: latest.published,
              majorsBehind: majors,
              daysBehind: Math.round(gap / 86_400_000),
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
