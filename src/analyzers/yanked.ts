import type { Finding } from '../model/finding.js';
import { findVersion } from '../versions/pick.js';
import {
  existing,
  registryFinding,
  registryRefs,
  sourceEvidence,
  VERSIONED_SOURCES,
} from './registry-common.js';
import type { Analyzer } from './types.js';

/** The exact version pinned or locked was yanked (PEP 592); the maintainers' reason is shown when given. */
export const yanked: Analyzer = {
  id: 'yanked',
  needs: 'registry',
  analyze({ refs, registry }) {
    const findings: Finding[] = [];
    if (!registry) return { findings, unchecked: [] };
    for (const { ref, answer } of registryRefs(refs, registry, VERSIONED_SOURCES)) {
      const facts = existing(answer);
      if (!facts || ref.version === undefined) continue;
      const version = findVersion(facts, ref.version);
      if (!version?.yanked) continue;
      const reason = version.yankedReason ? `: "${version.yankedReason}"` : ' (no reason given)';
      findings.push(
        registryFinding(ref, {
          kind: 'yanked',
          severity: 'medium',
          message: `'${ref.name}' ${version.version} was yanked${reason}${facts.latest ? `; the latest is ${facts.latest}` : ''}`,
          evidence: {
            version: version.version,
            reason: version.yankedReason ?? null,
            latest: facts.latest ?? null,
            ...sourceEvidence(answer),
          },
        }),
      );
    }
    return { findings, unchecked: [] };
  },
};
