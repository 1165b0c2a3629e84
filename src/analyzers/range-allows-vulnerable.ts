import { pushAll } from '../core/arrays.js';
import type { RangeAdvisories } from '../model/advisory-facts.js';
import type { Finding } from '../model/finding.js';
import { SEVERITIES, type Severity, severityRank } from '../model/severity.js';
import { advisoryEvidence, idList, plural, refFinding, worstSeverity } from './advisory-common.js';
import type { Analyzer } from './types.js';

/** Intervals and versions named in a message before "…"; the evidence has them all. */
const PARTS_IN_MESSAGE = 4;

/**
 * A range or bare name that admits versions with advisories. Never read as its lower bound: the finding
 * names the affected versions and intervals inside the range, and ranks below an exact vulnerable version
 * unless the range admits no version the data knows to be fixed.
 */
export const rangeAllowsVulnerable: Analyzer = {
  id: 'range-allows-vulnerable',
  needs: 'advisories',
  analyze({ refs, advisories }) {
    const findings: Finding[] = [];
    if (!advisories) return { findings, unchecked: [] };
    for (const ref of refs) {
      const found = advisories.forRef(ref)?.range;
      if (!found) continue;
      // Informational notices are their own kinds (unmaintained, unsound, notice).
      const range = {
        ...found,
        advisories: found.advisories.filter((a) => a.group.informational === undefined),
      };
      if (range.advisories.length === 0) continue;
      const groups = range.advisories.map((a) => a.group);
      const requirement =
        range.spec === undefined ? `${ref.name} (any version)` : `${ref.name} ${range.spec}`;
      findings.push(
        refFinding(ref, {
          kind: 'range-allows-vulnerable',
          severity: rangeSeverity(range),
          message: `${requirement} admits ${admitted(range)} (${idList(groups)}): ${where(range)}; ${advice(range)}${installsToday(range)}`,
          evidence: {
            spec: range.spec ?? null,
            advisories: range.advisories.map((a) => ({
              ...advisoryEvidence(a.group),
              ...(a.group.malicious ? { malicious: true } : {}),
              versions: a.versions,
              intervals: a.intervals,
            })),
            ...(range.upgrade ? { upgrade: range.upgrade } : {}),
            admitsUpgrade: range.admitsUpgrade,
            ...(range.installs
              ? {
                  installsToday: {
                    version: range.installs.version,
                    advisories: range.installs.groups
                      .filter((g) => g.informational === undefined)
                      .map((g) => g.id),
                  },
                }
              : {}),
          },
        }),
      );
    }
    return {
      findings,
      unchecked: advisories.unchecked.filter((u) => u.check === 'range-allows-vulnerable'),
    };
  },
};

/**
 * Per advisory the range still admits: its full severity when the range admits no version that fixes it,
 * else one step below, never above medium nor below low (a fresh install most likely gets the fix). When the
 * registry says what a fresh install gets today, that decides: the severity of the advisories affecting it,
 * or `info` when none does.
 */
function rangeSeverity(range: RangeAdvisories): Severity {
  if (range.installs) {
    const affecting = range.installs.groups.filter((g) => g.informational === undefined);
    return affecting.length > 0 ? worstSeverity(affecting) : 'info';
  }
  let worst: Severity = 'info';
  for (const { group, avoidable } of range.advisories) {
    const severity = avoidable ? lowered(group.severity) : group.severity;
    if (severityRank(severity) > severityRank(worst)) worst = severity;
  }
  return worst;
}

function lowered(severity: Severity): Severity {
  const rank = Math.min(severityRank(severity) - 1, severityRank('medium'));
  return SEVERITIES[Math.max(rank, severityRank('low'))]!;
}

function admitted(range: RangeAdvisories): string {
  const malicious = range.advisories.filter((a) => a.group.malicious).length;
  const vulnerable = range.advisories.length - malicious;
  const parts: string[] = [];
  if (vulnerable > 0)
    parts.push(`versions with ${plural(vulnerable, 'known vulnerability', 'known vulnerabilities')}`);
  if (malicious > 0) parts.push(plural(malicious, 'known malicious release', 'known malicious releases'));
  return parts.join(' and ');
}

/** The affected intervals, or the listed versions for advisories that name versions only. */
function where(range: RangeAdvisories): string {
  const intervals = new Set<string>();
  const versions: string[] = [];
  for (const a of range.advisories) {
    if (a.intervals.length > 0) for (const i of a.intervals) intervals.add(i);
    else pushAll(versions, a.versions);
  }
  const parts = [...intervals, ...new Set(versions)];
  const shown = parts.slice(0, PARTS_IN_MESSAGE).join(', ');
  return `affected ${parts.length > PARTS_IN_MESSAGE ? `${shown} …` : shown}`;
}

function installsToday(range: RangeAdvisories): string {
  if (!range.installs) return '';
  const { version, groups } = range.installs;
  const affecting = groups.filter((g) => g.informational === undefined);
  return affecting.length > 0
    ? `; a fresh install gets ${version} today, which is affected (${idList(affecting)})`
    : `; a fresh install gets ${version} today, which is not affected`;
}

function advice(range: RangeAdvisories): string {
  if (range.upgrade === undefined) return 'no fixed version is known';
  if (range.admitsUpgrade) return `require ${range.upgrade} or later`;
  return `it admits no version known to be fixed; require ${range.upgrade} or later`;
}
