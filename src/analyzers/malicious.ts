import type { Finding } from '../model/finding.js';
import { affectsAllVersions } from '../versions/osv-match.js';
import { advisoryEvidence, idList, refFinding } from './advisory-common.js';
import type { Analyzer } from './types.js';

const ADVICE = 'remove it and rotate any secrets it could reach';

/**
 * Known malicious releases (OSV `MAL-` records): an exact version the records list, or any mention at all
 * (an import, a bare name, a range) of a package whose every version is malicious.
 */
export const malicious: Analyzer = {
  id: 'malicious',
  needs: 'advisories',
  analyze({ refs, advisories }) {
    const findings: Finding[] = [];
    if (!advisories) return { findings, unchecked: [] };
    const reported = new Set<string>();
    for (const ref of refs) {
      const facts = advisories.forRef(ref);
      if (!facts) continue;
      const exact = facts.exact?.groups.filter((g) => g.malicious) ?? [];
      const groups = exact.length > 0 ? exact : (facts.maliciousPackage ?? []);
      if (groups.length === 0) continue;
      // An import names the package again on every line that uses it: once per file is enough.
      if (ref.source === 'imported') {
        const key = `${ref.location.file}\0${ref.scope ?? ''}\0${ref.ecosystem}\0${ref.name}`;
        if (reported.has(key)) continue;
        reported.add(key);
      }
      const wholePackage = groups.every((g) => g.entries.some((e) => affectsAllVersions(e.prepared)));
      const subject = wholePackage
        ? `${ref.name} is a known malicious package`
        : `${ref.name} ${ref.version} is a known malicious release`;
      findings.push(
        refFinding(ref, {
          kind: 'malicious',
          severity: 'critical',
          message: `${subject} (${idList(groups)}); ${ADVICE}`,
          evidence: { advisories: groups.map(advisoryEvidence), allVersions: wholePackage },
        }),
      );
    }
    return { findings, unchecked: [] };
  },
};
