import { FINDING_KINDS, type Finding } from '../model/finding.js';
import { declareFix, firstImportPerFile, importFacts, isMissing, phantomSeverity } from './phantom-common.js';
import type { Analyzer } from './types.js';

export const undeclared: Analyzer = {
  id: 'undeclared',
  analyze({ refs, phantom, registry }) {
    const findings: Finding[] = [];
    for (const ref of firstImportPerFile(refs)) {
      const status = phantom.status(ref);
      // A package that does not exist is one problem: `nonexistent` reports it, this in its evidence.
      if (status?.status !== 'undeclared' || isMissing(ref, registry)) continue;
      const where =
        ref.scope !== undefined
          ? 'the answer never installs or declares it'
          : status.manifests.length === 0
            ? 'no manifest covers this file'
            : `it is not declared in ${status.manifests.join(', ')}`;
      const fix = ref.scope === undefined ? declareFix(ref, status.install) : undefined;
      const note = status.note === undefined ? '' : ` (${status.note})`;
      const finding: Finding = {
        kind: 'undeclared',
        severity: phantomSeverity(ref, status.severity ?? FINDING_KINDS.undeclared.severity),
        ecosystem: ref.ecosystem,
        name: ref.name,
        message: `'${ref.name}' is imported but ${where}${note}${fix ? `; to declare it: ${fix}` : ''}`,
        location: ref.location,
        evidence: {
          ...importFacts(ref),
          manifests: status.manifests,
          ...(status.declaredBy ? { declaredBy: status.declaredBy } : {}),
          ...(fix ? { fix } : {}),
        },
      };
      if (ref.inferred) finding.inferred = true;
      findings.push(finding);
    }
    return { findings, unchecked: [] };
  },
};
