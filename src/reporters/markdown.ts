import { pushAll } from '../core/arrays.js';
import { FINDING_KIND_IDS, FINDING_KINDS, type Finding, type FindingKind } from '../model/finding.js';
import { formatLocation } from '../model/location.js';
import { isMissingEvidence, SKIP_REASONS } from '../model/result.js';
import { SEVERITIES, type Severity, severityRank } from '../model/severity.js';
import { markdownCode as code, escapeGithubMarkdown as text } from './escape.js';
import type { Reporter } from './types.js';

/**
 * GitHub refuses a comment over 65,536 characters (a job summary may be 1 MiB); the report stays under this,
 * which leaves room for a comment's own header.
 */
export const MARKDOWN_LIMIT = 60_000;

/** The first line: lets a workflow find and update its own earlier comment. */
const MARKDOWN_MARKER = '<!-- vouch-report -->';

const ICON: Record<Severity, string> = {
  critical: '🟥',
  high: '🟥',
  medium: '🟧',
  low: '🟨',
  info: '⬜',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function packageOf(finding: Finding): string {
  return code(`${finding.ecosystem}:${finding.name}${finding.version ? `@${finding.version}` : ''}`);
}

/** What to do about a finding, read from its evidence (the analyzers decided it; this only words it). */
function fixOf(finding: Finding): string {
  const evidence = finding.evidence ?? {};
  const fix = evidence.fix;
  if (typeof fix === 'string') return code(fix);
  if (isRecord(fix) && typeof fix.to === 'string') {
    const major = fix.majorBump === true ? ' (a major version up)' : '';
    const via = Array.isArray(fix.via) ? fix.via.map(String) : [];
    if (fix.kind === 'transitive' && via.length > 0) {
      const force = isRecord(fix.force) ? fix.force : {};
      const how =
        typeof force.command === 'string'
          ? `, or run ${code(force.command)}`
          : typeof force.file === 'string'
            ? `, or force it in ${code(force.file)}${typeof force.entry === 'string' ? ` (${code(force.entry)})` : ''}`
            : '';
      return `${code(fix.to)}${major} through ${code(via.join(' → '))}: upgrade ${code(via[0] ?? '')}${how}`;
    }
    return `upgrade to ${code(fix.to)}${major}`;
  }
  if (finding.kind === 'vulnerable') return 'no fixed version is known';
  if (typeof evidence.upgrade === 'string') return `require ${code(evidence.upgrade)} or later`;
  const suggestions = Array.isArray(evidence.suggestions) ? evidence.suggestions.map(String) : [];
  if (suggestions.length > 0)
    return `did you mean ${suggestions
      .slice(0, 3)
      .map((name) => code(name))
      .join(', ')}?`;
  switch (finding.kind) {
    case 'malicious':
      return 'remove it; rotate the secrets it could reach';
    case 'nonexistent':
      return 'remove it, or name the package meant';
    default:
      return typeof evidence.latest === 'string' ? `latest is ${code(evidence.latest)}` : '';
  }
}

function count(n: number, word: string, plural = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : plural}`;
}

/** A part of the report: its lines before the rows, the rows (which may be cut), its lines after. */
interface Section {
  head: string[];
  rows: string[];
  tail: string[];
  /** Rows of findings (counted as findings when cut), or of other things. */
  findings: boolean;
  /** Folded details: the first thing to leave out when the report is too long. */
  optional?: boolean;
}

function kindSections(findings: readonly Finding[]): Section[] {
  const groups = new Map<FindingKind, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.kind);
    if (group) group.push(finding);
    else groups.set(finding.kind, [finding]);
  }
  for (const [kind, group] of groups)
    groups.set(
      kind,
      group.toSorted((a, b) => severityRank(b.severity) - severityRank(a.severity)),
    );
  // The worst kinds first; kinds of equal worst severity in the table's order.
  const worst = (kind: FindingKind) => severityRank(groups.get(kind)?.[0]?.severity ?? 'info');
  const kinds = FINDING_KIND_IDS.filter((kind) => groups.has(kind)).sort((a, b) => worst(b) - worst(a));
  const sections: Section[] = [];
  for (const kind of kinds) {
    const group = groups.get(kind) ?? [];
    sections.push({
      head: [
        `### ${text(FINDING_KINDS[kind].title)} (${group.length})`,
        '',
        '| severity | package | where | fix |',
        '| --- | --- | --- | --- |',
      ],
      rows: group.map(
        (f) =>
          `| ${ICON[f.severity]} ${f.severity} | ${packageOf(f)} | ${code(formatLocation(f.location))} | ${fixOf(f)} |`,
      ),
      tail: [''],
      findings: true,
    });
    sections.push({
      head: ['<details><summary>Details</summary>', ''],
      rows: group.map((f) => `- ${packageOf(f)} ${code(formatLocation(f.location))}: ${text(f.message)}`),
      tail: ['', '</details>', ''],
      findings: false,
      optional: true,
    });
  }
  return sections;
}

/**
 * A pull-request comment or job summary: counts, a table of findings per kind with the fix, the messages folded
 * away, files not read, suppressions that need attention, what was ignored, what could not be checked. Never
 * longer than GitHub takes (`MARKDOWN_LIMIT`): the folded details go first, then rows, and what is left out is
 * counted. Text from scanned files and registries is escaped; names and paths are code spans.
 */
export const markdownReporter: Reporter = (result) => {
  const bySeverity = SEVERITIES.toReversed()
    .map((severity) => [severity, result.findings.filter((f) => f.severity === severity).length] as const)
    .filter(([, n]) => n > 0);
  const head = [
    MARKDOWN_MARKER,
    result.findings.length === 0
      ? '## Vouch: no findings'
      : `## Vouch: ${count(result.findings.length, 'finding')} (${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')})`,
    '',
  ];
  const facts = [
    `${count(result.packages.length, 'package reference')} in ${count(result.stats.filesScanned, 'file')}`,
  ];
  if (result.changed)
    facts.push(
      `only what changed since ${code(result.changed.ref)} (${count(result.changed.files.length, 'file')}; ${count(result.changed.existing, 'finding')} already there)`,
    );
  if (result.baseline)
    facts.push(
      `${count(result.baseline.baselined, 'finding')} already in the baseline ${code(result.baseline.file)}`,
    );
  if (result.ignored?.length) facts.push(`${count(result.ignored.length, 'finding')} ignored`);
  const missing = result.skipped.filter(isMissingEvidence);
  if (result.errors.length + missing.length > 0)
    facts.push(`**${count(result.errors.length + missing.length, 'file')} not read**`);
  head.push(facts.join(' · '), '');

  const sections = kindSections(result.findings);
  if (result.errors.length > 0 || missing.length > 0)
    sections.push({
      head: [`### Files not read (${result.errors.length + missing.length})`, ''],
      rows: [
        ...result.errors.map((e) => `- ${code(formatLocation(e))}: ${text(e.message)}`),
        ...missing.map((s) => `- ${code(s.file)}: ${text(s.detail ?? SKIP_REASONS[s.reason])}`),
      ],
      tail: [''],
      findings: false,
    });
  const attention = (result.suppressions ?? []).filter((s) => s.status !== 'applied');
  if (attention.length > 0)
    sections.push({
      head: [`### Suppressions to review (${attention.length})`, ''],
      rows: attention.map(
        (s) =>
          `- **${s.status}** ${code(s.where)}: ${text(s.matches)}${s.until ? `, until ${s.until}` : ''}${s.problem ? `: ${text(s.problem)}` : ''}${s.reason ? ` (${text(s.reason)})` : ''}`,
      ),
      tail: [''],
      findings: false,
    });
  if (result.ignored?.length)
    sections.push({
      head: [`<details><summary>Ignored (${result.ignored.length})</summary>`, ''],
      rows: result.ignored.map(
        (f) =>
          `- ${text(f.kind)} ${packageOf(f)} ${code(formatLocation(f.location))}: ${text(f.ignoredBy.reason)} (${code(f.ignoredBy.where)}${f.ignoredBy.until ? `, until ${f.ignoredBy.until}` : ''})`,
      ),
      tail: ['', '</details>', ''],
      findings: false,
    });
  if (result.warnings?.length)
    sections.push({
      head: ['### Warnings', ''],
      rows: result.warnings.map((w) => `- ${text(w)}`),
      tail: [''],
      findings: false,
    });
  const tail = [`_${text(result.notChecked.summary)}_`, ''];

  const render = (body: string[]) => `${[...head, ...body, ...tail].join('\n').replace(/\n{3,}/g, '\n\n')}`;
  const full = render(sections.flatMap((s) => [...s.head, ...s.rows, ...s.tail]));
  if (full.length <= MARKDOWN_LIMIT) return full;
  return render(cut(sections, MARKDOWN_LIMIT - render([]).length - 400));
};

/**
 * The sections within `budget` characters: without the folded details, then as many rows as fit, section by
 * section; a section is only started when its head and tail fit, so no table or fold is left open.
 */
function cut(sections: readonly Section[], budget: number): string[] {
  const kept = sections.filter((s) => !s.optional);
  const body: string[] = [];
  let used = 0;
  let findingsLeft = 0;
  let linesLeft = 0;
  const size = (lines: readonly string[]) => lines.reduce((n, line) => n + line.length + 1, 0);
  for (const section of kept) {
    const frame = size(section.head) + size(section.tail);
    let shown = 0;
    if (used + frame < budget) {
      pushAll(body, section.head);
      used += frame;
      for (const row of section.rows) {
        if (used + row.length + 1 > budget) break;
        body.push(row);
        used += row.length + 1;
        shown++;
      }
      pushAll(body, section.tail);
    }
    if (section.findings) findingsLeft += section.rows.length - shown;
    else linesLeft += section.rows.length - shown;
  }
  const left = [
    findingsLeft > 0 ? count(findingsLeft, 'finding') : '',
    linesLeft > 0 ? count(linesLeft, 'other line') : '',
  ].filter(Boolean);
  body.push(
    `**Cut to stay under GitHub's comment limit**: the details${left.length > 0 ? ` and ${left.join(' and ')}` : ''} are left out; the SARIF or JSON report (\`--format json\`) has everything.`,
    '',
  );
  return body;
}
