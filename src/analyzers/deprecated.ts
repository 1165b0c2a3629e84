import type { Finding } from '../model/finding.js';
import {
  DIRECT_SOURCES,
  existing,
  registryFinding,
  registryRefs,
  sourceEvidence,
} from './registry-common.js';
import type { Analyzer } from './types.js';

/**
 * The version named, or the one a fresh install picks today (the latest for an import or a bare name),
 * is deprecated; the maintainers' message is shown. A package every version of which is deprecated is
 * deprecated as a whole.
 */
export const deprecated: Analyzer = {
  id: 'deprecated',
  needs: 'registry',
  analyze({ refs, registry }) {
    const findings: Finding[] = [];
    if (!registry) return { findings, unchecked: [] };
    for (const { ref, answer } of registryRefs(refs, registry, DIRECT_SOURCES)) {
      const facts = existing(answer);
      const version = facts && registry.installs(ref);
      if (!facts?.versions || !version?.deprecated) continue;
      const whole = Object.values(facts.versions).every((v) => v.deprecated);
      const subject = whole
        ? `'${ref.name}' is deprecated`
        : `'${ref.name}' ${version.version} is deprecated`;
      const picked = ref.version === undefined ? ` (${version.version} is what installs today)` : '';
      findings.push(
        registryFinding(
          ref,
          {
            kind: 'deprecated',
            severity: 'low',
            message: `${subject}${whole ? '' : picked}: "${version.deprecated}"`,
            evidence: {
              version: version.version,
              deprecation: version.deprecated,
              wholePackage: whole,
              latest: facts.latest ?? null,
              ...sourceEvidence(answer),
            },
          },
          version.version,
        ),
      );
    }
    return { findings, unchecked: [] };
  },
};
