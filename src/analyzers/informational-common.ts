import type { AdvisoryGroup, Informational, RefAdvisories } from '../model/advisory-facts.js';
import { FINDING_KINDS, type Finding } from '../model/finding.js';
import { advisoryEvidence, idList, refFinding } from './advisory-common.js';
import type { Analyzer } from './types.js';

const WHAT: Record<Informational, string> = {
  unmaintained: 'is unmaintained',
  unsound: 'has an unsound API',
  notice: 'has an advisory notice',
};

/**
 * Informational advisories (RUSTSEC `database_specific.informational`): one finding kind each, never a
 * vulnerability. An exact version is reported when a notice covers it; a range or bare name when it admits
 * covered versions, unless the registry says a fresh install gets one that is not covered.
 */
export function informationalAnalyzer(kind: Informational): Analyzer {
  return {
    id: kind,
    needs: 'advisories',
    analyze({ refs, advisories }) {
      const findings: Finding[] = [];
      if (!advisories) return { findings, unchecked: [] };
      for (const ref of refs) {
        const facts = advisories.forRef(ref);
        const groups = facts ? noticesFor(facts, kind) : [];
        if (groups.length === 0) continue;
        const subject = ref.version === undefined ? ref.name : `${ref.name} ${ref.version}`;
        const summary = groups[0]!.summary ? `: ${groups[0]!.summary}` : '';
        const fixed = groups.flatMap((g) => g.fixed);
        const advice = fixed.length > 0 ? `; not so from ${fixed[0]}` : '';
        findings.push(
          refFinding(ref, {
            kind,
            severity: FINDING_KINDS[kind].severity,
            message: `${subject} ${WHAT[kind]} (${idList(groups)})${summary}${advice}`,
            evidence: {
              advisories: groups.map((g) => ({ ...advisoryEvidence(g), informational: g.informational })),
            },
          }),
        );
      }
      return { findings, unchecked: [] };
    },
  };
}

function noticesFor(facts: RefAdvisories, kind: Informational): AdvisoryGroup[] {
  if (facts.exact) return facts.exact.groups.filter((g) => g.informational === kind);
  const range = facts.range;
  if (!range) return [];
  const admitted = range.advisories.map((a) => a.group).filter((g) => g.informational === kind);
  if (!range.installs) return admitted;
  const today = new Set(range.installs.groups.map((g) => g.id));
  return admitted.filter((g) => today.has(g.id));
}
