/**
 * The severity of an advisory: the CVSS base score computed from its vector when it has one, else the
 * database's own label; with neither it is unknown, and gates count it as `medium` (UNKNOWN_SEVERITY_GATE).
 * Malicious-package records are always critical.
 */

import { pushAll } from '../core/arrays.js';
import { lazy } from '../core/lazy.js';
import type { OsvRecord, OsvSeverity } from '../model/osv.js';
import { type Severity, severityRank } from '../model/severity.js';
import { isMaliciousId } from './osv.js';

const cvss = lazy<typeof import('ae-cvss-calculator')>('ae-cvss-calculator');

export interface AdvisorySeverity {
  severity: Severity;
  /** CVSS base score, when a vector gave one. */
  score?: number;
  /** The vector the score was computed from. */
  vector?: string;
  /** The database's own label (GitHub's `database_specific.severity`), when it has one. */
  label?: Severity;
  /** Neither a score nor a label: `severity` is then the gate's stand-in, UNKNOWN_SEVERITY_GATE. */
  unknown?: true;
}

/**
 * What an advisory without any rating counts as for `--fail-on` and the exit code: `medium`, the middle of
 * the scale: the default gate (`--fail-on low`) fails on it, as on any vulnerability, and `--fail-on high`
 * does not, since nothing says it is that bad. It is shown as unknown, never as medium.
 */
export const UNKNOWN_SEVERITY_GATE: Severity = 'medium';

/** Newest CVSS version first: the newer score is the one the databases now publish. */
const CVSS_PREFERENCE = ['CVSS_V4', 'CVSS_V3', 'CVSS_V2'] as const;

/** CVSS qualitative rating (none below 0.1 is `info`: a zero score is still worth showing). */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** GitHub's `LOW` / `MODERATE` / `HIGH` / `CRITICAL`, and the spellings other databases use. */
export function severityOfLabel(label: string): Severity | undefined {
  switch (label.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'important':
      return 'high';
    case 'moderate':
    case 'medium':
      return 'medium';
    case 'low':
    case 'negligible':
      return 'low';
    default:
      return undefined;
  }
}

/** Many advisories share a vector, and computing a score is costly next to storing a record. */
const scoreCache = new Map<string, number | undefined>();

/** The base score of a CVSS vector, or undefined when the vector cannot be read. */
export function cvssBaseScore(type: string, vector: string): number | undefined {
  const key = `${type} ${vector}`;
  if (scoreCache.has(key)) return scoreCache.get(key);
  const score = computeBaseScore(type, vector);
  if (scoreCache.size < 10_000) scoreCache.set(key, score);
  return score;
}

function computeBaseScore(type: string, vector: string): number | undefined {
  try {
    let base: number | undefined;
    if (type === 'CVSS_V4') base = new (cvss().Cvss4P0)(vector).calculateScores().base;
    else if (type === 'CVSS_V3')
      base = (
        vector.startsWith('CVSS:3.0/') ? new (cvss().Cvss3P0)(vector) : new (cvss().Cvss3P1)(vector)
      ).calculateScores().base;
    else if (type === 'CVSS_V2') base = new (cvss().Cvss2)(vector).calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base) ? base : undefined;
  } catch {
    return undefined;
  }
}

export function advisorySeverity(record: OsvRecord): AdvisorySeverity {
  if (isMaliciousId(record.id)) return { severity: 'critical' };
  // A record sets severity either for the whole advisory or per affected package, never both.
  const vectors: OsvSeverity[] = [...(record.severity ?? [])];
  for (const affected of record.affected ?? []) pushAll(vectors, affected.severity ?? []);
  const written = severityLabel(record);
  const label = written === undefined ? undefined : severityOfLabel(written);
  const labelled = label === undefined ? {} : { label };
  for (const type of CVSS_PREFERENCE) {
    let best: AdvisorySeverity | undefined;
    for (const entry of vectors) {
      if (entry.type !== type) continue;
      const score = cvssBaseScore(type, entry.score);
      if (score !== undefined && (best?.score === undefined || score > best.score))
        best = { severity: severityOfScore(score), score, vector: entry.score, ...labelled };
    }
    if (best) return best;
  }
  return label === undefined
    ? { severity: UNKNOWN_SEVERITY_GATE, unknown: true }
    : { severity: label, label };
}

/** The database's own rating (GitHub's `database_specific.severity`), the worst one where entries differ. */
export function severityLabel(record: OsvRecord): string | undefined {
  const labels = [record.database_specific?.severity];
  for (const affected of record.affected ?? []) labels.push(affected.database_specific?.severity);
  let worst: { label: string; severity: Severity } | undefined;
  for (const label of labels) {
    const severity = typeof label === 'string' ? severityOfLabel(label) : undefined;
    if (severity && (!worst || severityRank(severity) > severityRank(worst.severity)))
      worst = { label: label as string, severity };
  }
  return worst?.label;
}
