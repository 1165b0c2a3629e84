import type { AdvisoryGroup } from '../model/advisory-facts.js';
import type { Finding } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import { type Severity, severityRank } from '../model/severity.js';

/** How many ids a message names before it says "…". */
const IDS_IN_MESSAGE = 3;
const REFERENCES_IN_EVIDENCE = 3;

/** The evidence for one advisory (all the ids of one flaw): stable keys, documented in docs/json-output.md. */
export function advisoryEvidence(group: AdvisoryGroup): Record<string, unknown> {
  const evidence: Record<string, unknown> = {
    id: group.id,
    ids: group.ids,
    severity: group.severityUnknown ? 'unknown' : group.severity,
  };
  if (group.summary) evidence.summary = group.summary;
  if (group.score !== undefined) evidence.score = group.score;
  if (group.vector) evidence.vector = group.vector;
  evidence.fixed = group.fixed;
  if (group.published) evidence.published = group.published;
  evidence.references = group.references.slice(0, REFERENCES_IN_EVIDENCE);
  return evidence;
}

/** `CVE-2019-10744, CVE-2020-8203, GHSA-xxxx-xxxx-xxxx [severity unknown] …` */
export function idList(groups: readonly AdvisoryGroup[]): string {
  const shown = groups
    .slice(0, IDS_IN_MESSAGE)
    .map((g) => (g.severityUnknown ? `${g.id} [severity unknown]` : g.id));
  return groups.length > IDS_IN_MESSAGE ? `${shown.join(', ')} …` : shown.join(', ');
}

export function worstSeverity(groups: readonly AdvisoryGroup[]): Severity {
  return groups.reduce<Severity>(
    (worst, g) => (severityRank(g.severity) > severityRank(worst) ? g.severity : worst),
    'info',
  );
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A finding about one package reference, with the fields every advisory finding shares. */
export function refFinding(
  ref: PackageRef,
  fields: Pick<Finding, 'kind' | 'severity' | 'message' | 'evidence'>,
): Finding {
  const finding: Finding = { ...fields, ecosystem: ref.ecosystem, name: ref.name, location: ref.location };
  if (ref.version !== undefined) finding.version = ref.version;
  if (ref.inferred) finding.inferred = true;
  return finding;
}

/** Vulnerabilities only: not malicious releases (their own kind), not informational notices (theirs). */
export function isVulnerability(group: AdvisoryGroup): boolean {
  return !group.malicious && group.informational === undefined;
}
