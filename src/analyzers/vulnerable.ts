import type { Finding } from '../model/finding.js';
import {
  advisoryEvidence,
  idList,
  isVulnerability,
  plural,
  refFinding,
  worstSeverity,
} from './advisory-common.js';
import { fixFor, fixText, spelled } from './advisory-fix.js';
import type { Analyzer } from './types.js';

/** An exact version (pinned, locked, or named in an install command or answer) with known vulnerabilities. */
export const vulnerable: Analyzer = {
  id: 'vulnerable',
  needs: 'advisories',
  analyze({ refs, advisories, phantom, registry }) {
    const findings: Finding[] = [];
    if (!advisories) return { findings, unchecked: [] };
    for (const ref of refs) {
      const exact = advisories.forRef(ref)?.exact;
      const groups = exact?.groups.filter(isVulnerability) ?? [];
      if (!exact || groups.length === 0) continue;
      const what = plural(groups.length, 'known vulnerability', 'known vulnerabilities');
      const fix = fixFor(ref, exact.upgrade, phantom, registry, refs);
      const evidence: Record<string, unknown> = { advisories: groups.map(advisoryEvidence) };
      if (exact.upgrade) evidence.upgrade = spelled(ref, exact.upgrade);
      evidence.fix = fix ?? null;
      findings.push(
        refFinding(ref, {
          kind: 'vulnerable',
          severity: worstSeverity(groups),
          message: `${ref.name} ${ref.version} has ${what} (${idList(groups)}); ${fixText(fix)}`,
          evidence,
        }),
      );
    }
    return { findings, unchecked: advisories.unchecked.filter((u) => u.check === 'vulnerable') };
  },
};
