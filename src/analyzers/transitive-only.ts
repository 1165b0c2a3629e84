import { FINDING_KINDS, type Finding } from '../model/finding.js';
import { firstImportPerFile, importFacts, phantomSeverity } from './phantom-common.js';
import type { Analyzer } from './types.js';

export const transitiveOnly: Analyzer = {
  id: 'transitive-only',
  analyze({ refs, phantom }) {
    const findings: Finding[] = [];
    for (const ref of firstImportPerFile(refs)) {
      const status = phantom.status(ref);
      if (status?.status !== 'transitive-only') continue;
      const finding: Finding = {
        kind: 'transitive-only',
        severity: phantomSeverity(ref, FINDING_KINDS['transitive-only'].severity),
        ecosystem: ref.ecosystem,
        name: ref.name,
        message:
          status.lockfile === undefined
            ? `'${ref.name}' is imported but the answer installs it only as a dependency of ${status.chain[0]} (${status.chain.join(' → ')}, per the registry)`
            : `'${ref.name}' is imported but installed only as a dependency of a dependency (${status.chain.join(' → ')})`,
        location: ref.location,
        evidence: {
          ...importFacts(ref),
          chain: status.chain,
          lockfile: status.lockfile,
          manifests: status.manifests,
        },
      };
      if (ref.inferred) finding.inferred = true;
      findings.push(finding);
    }
    return { findings, unchecked: [] };
  },
};
