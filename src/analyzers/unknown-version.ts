import type { Finding } from '../model/finding.js';
import { admittedVersions, findVersion } from '../versions/pick.js';
import { isValidVersion } from '../versions/valid.js';
import {
  existing,
  registryFinding,
  registryRefs,
  sourceEvidence,
  UncheckedList,
  VERSIONED_SOURCES,
  whereFrom,
} from './registry-common.js';
import type { Analyzer } from './types.js';

/**
 * The package exists but the pinned version, or every version the requirement admits, was never published;
 * or the pinned version is not a version at all (`==latest`, `==2.2.x`: `invalid` in the evidence).
 */
export const unknownVersion: Analyzer = {
  id: 'unknown-version',
  needs: 'registry',
  analyze({ refs, registry }) {
    const findings: Finding[] = [];
    const unchecked = new UncheckedList();
    if (!registry) return { findings, unchecked: [] };
    for (const { ref, answer } of registryRefs(refs, registry, VERSIONED_SOURCES)) {
      const facts = existing(answer);
      if (!facts || (ref.version === undefined && ref.spec === undefined)) continue;
      if (!facts.versions) {
        unchecked.add(
          ref,
          'unknown-version',
          `${whereFrom(answer)} says the package exists but lists no versions`,
        );
        continue;
      }
      const latest = facts.latest ? ` (the latest is ${facts.latest})` : '';
      const evidence: Record<string, unknown> = { latest: facts.latest ?? null, ...sourceEvidence(answer) };
      if (ref.version !== undefined) {
        // An unresolved placeholder (`${project.version}`, `$(Version)`) is the build's business, not a version.
        if (!isValidVersion(ref.ecosystem, ref.version) && !/\$[{(]/.test(ref.version)) {
          // `requests==latest`, `django==2.2.x`: the tool refuses it, so no advisory is matched against it either.
          findings.push(
            registryFinding(ref, {
              kind: 'unknown-version',
              severity: 'medium',
              message: `'${ref.version}' is not a valid ${ref.ecosystem} version: no release of '${ref.name}' can have it, and installing it fails${latest}`,
              evidence: { requested: ref.version, invalid: true, ...evidence },
            }),
          );
          continue;
        }
        if (findVersion(facts, ref.version)) continue;
        findings.push(
          registryFinding(ref, {
            kind: 'unknown-version',
            severity: 'medium',
            message: `'${ref.name}' has no version ${ref.version} in ${whereFrom(answer)}${latest}: a hallucinated version`,
            evidence: { requested: ref.version, ...evidence },
          }),
        );
        continue;
      }
      const admitted = admittedVersions(facts, ref.spec);
      if (admitted === undefined || admitted.length > 0) continue;
      const tag = ref.ecosystem === 'npm' && /^[A-Za-z]/.test(ref.spec!.trim());
      findings.push(
        registryFinding(ref, {
          kind: 'unknown-version',
          severity: 'medium',
          message: tag
            ? `'${ref.name}' has no dist-tag '${ref.spec}' in ${whereFrom(answer)}${latest}`
            : `no published version of '${ref.name}' satisfies ${ref.spec}${latest}: a hallucinated version`,
          evidence: { spec: ref.spec, ...evidence },
        }),
      );
    }
    return { findings, unchecked: unchecked.list() };
  },
};
