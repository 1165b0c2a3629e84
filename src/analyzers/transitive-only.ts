import { FINDING_KINDS, type Finding } from '../model/finding.js';
import { declareFix, firstImportPerFile, importFacts, phantomSeverity } from './phantom-common.js';
import type { Analyzer } from './types.js';

export const transitiveOnly: Analyzer = {
  id: 'transitive-only',
  analyze({ refs, phantom }) {
    const findings: Finding[] = [];
    for (const ref of firstImportPerFile(refs)) {
      const status = phantom.status(ref);
      if (status?.status !== 'transitive-only') continue;
      // The chain starts at the project; its second link is the direct dependency that brings the package.
      const via = status.lockfile === undefined ? status.chain[0] : status.chain[1];
      const version = status.install?.version;
      const fix = ref.scope === undefined ? declareFix(ref, status.install, version) : undefined;
      const note = status.note === undefined ? '' : `; ${status.note}`;
      const finding: Finding = {
        kind: 'transitive-only',
        severity: phantomSeverity(ref, status.severity ?? FINDING_KINDS['transitive-only'].severity),
        ecosystem: ref.ecosystem,
        name: ref.name,
        message:
          status.lockfile === undefined
            ? `'${ref.name}' is imported but the answer installs it only as a dependency of ${status.chain[0]} (${status.chain.join(' → ')}, per the registry)`
            : `'${ref.name}' is imported but installed only as a dependency of a dependency (${status.chain.join(' → ')}${note})${fix ? `; to declare it: ${fix}` : ''}`,
        location: ref.location,
        evidence: {
          ...importFacts(ref),
          chain: status.chain,
          lockfile: status.lockfile,
          manifests: status.manifests,
          ...(via !== undefined && via !== '…' ? { via } : {}),
          ...(version !== undefined ? { lockedVersion: version } : {}),
          ...(fix ? { fix } : {}),
        },
      };
      if (ref.inferred) finding.inferred = true;
      findings.push(finding);
    }
    return { findings, unchecked: [] };
  },
};
