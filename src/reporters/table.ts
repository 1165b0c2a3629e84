import pc from 'picocolors';
import { formatLocation } from '../model/location.js';
import type { PackageRef } from '../model/package-ref.js';
import { isMissingEvidence, SKIP_REASONS } from '../model/result.js';
import type { Severity } from '../model/severity.js';
import { oneLine } from './escape.js';
import type { Reporter } from './types.js';

type Colors = ReturnType<typeof pc.createColors>;

function severityColor(c: Colors, severity: Severity): (s: string) => string {
  switch (severity) {
    case 'critical':
      return (s) => c.bold(c.red(s));
    case 'high':
      return c.red;
    case 'medium':
      return c.yellow;
    case 'low':
      return c.cyan;
    default:
      return c.dim;
  }
}

function table(
  cells: string[][],
  colorize: ((cell: string, col: number, row: number) => string) | undefined,
): string {
  const rows = cells.map((row) => row.map(oneLine));
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row, r) =>
      row
        .map((cell, i) => {
          const padded = i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
          return colorize ? colorize(padded, i, r) : padded;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function versionText(ref: PackageRef): string {
  if (ref.version !== undefined) return ref.version;
  if (ref.spec !== undefined) return ref.spec;
  if (ref.url !== undefined) return ref.url.length > 40 ? `${ref.url.slice(0, 39)}…` : ref.url;
  return '-';
}

function howFound(ref: PackageRef): string {
  const notes: string[] = [ref.source];
  if (ref.groups?.length) notes.push(ref.groups.join(','));
  if (ref.typeOnly) notes.push('type-only');
  if (ref.optional) notes.push('optional');
  if (ref.inferred) notes.push('inferred');
  return notes.join(' ');
}

/** A readable summary for people: packages (grouped), findings, problems, totals. */
export const tableReporter: Reporter = (result, options) => {
  const c = pc.createColors(options.color);
  const out: string[] = [];

  const groups = new Map<string, { ref: PackageRef; count: number }>();
  for (const ref of result.packages) {
    const key = [ref.ecosystem, ref.name, versionText(ref), howFound(ref)].join('\0');
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { ref, count: 1 });
  }
  out.push(c.bold(`Packages (${result.packages.length})`));
  if (groups.size === 0) out.push('  none found');
  else {
    const rows = [['ECOSYSTEM', 'PACKAGE', 'VERSION', 'FOUND', 'WHERE']];
    for (const { ref, count } of groups.values()) {
      const where = formatLocation(ref.location) + (count > 1 ? ` (+${count - 1} more)` : '');
      rows.push([ref.ecosystem, ref.name, versionText(ref), howFound(ref), where]);
    }
    out.push(indent(table(rows, (cell, _col, row) => (row === 0 ? c.dim(cell) : cell))));
  }

  out.push('', c.bold(`Findings (${result.findings.length})`));
  if (result.findings.length === 0) out.push(`  ${c.green('no findings')}`);
  else {
    const rows = [['SEVERITY', 'KIND', 'PACKAGE', 'WHERE', 'DETAIL']];
    for (const f of result.findings) {
      const name = f.version ? `${f.name}@${f.version}` : f.name;
      rows.push([
        f.severity.toUpperCase(),
        f.kind + (f.inferred ? ' (inferred)' : ''),
        `${f.ecosystem}:${name}`,
        formatLocation(f.location),
        f.message,
      ]);
    }
    out.push(
      indent(
        table(rows, (cell, col, row) => {
          if (row === 0) return c.dim(cell);
          const finding = result.findings[row - 1];
          return col === 0 && finding ? severityColor(c, finding.severity)(cell) : cell;
        }),
      ),
    );
  }

  if (result.errors.length > 0) {
    out.push('', c.bold(c.red(`Errors (${result.errors.length})`)));
    for (const e of result.errors) out.push(`  ${oneLine(formatLocation(e))}  ${oneLine(e.message)}`);
  }
  if (result.unchecked.length > 0) {
    out.push('', c.bold(`Not checked (${result.unchecked.length})`));
    for (const u of result.unchecked)
      out.push(`  ${oneLine(`${u.ecosystem}:${u.name}  ${u.check}: ${u.reason}`)}`);
  }
  const skippedChecks = result.checks.filter((check) => check.status === 'skipped');
  if (skippedChecks.length > 0) {
    out.push('', c.bold('Checks skipped'));
    for (const check of skippedChecks) out.push(`  ${check.id}: ${oneLine(check.reason ?? '')}`);
  }
  const sources = new Set(result.checks.flatMap((check) => (check.source ? [check.source] : [])));
  if (sources.size > 0) out.push('', c.dim(`Advisories from ${oneLine([...sources].join('; '))}`));
  const missing = result.skipped.filter(isMissingEvidence);
  if (missing.length > 0) {
    out.push('', c.bold(c.red(`Not read, so the scan is incomplete (${missing.length})`)));
    for (const s of missing) out.push(`  ${oneLine(s.file)}  ${s.kind ?? 'file'}: ${SKIP_REASONS[s.reason]}`);
  }
  const skipped = result.skipped.filter((s) => !isMissingEvidence(s));
  if (skipped.length > 0) {
    out.push('', c.bold(`Skipped (${skipped.length})`));
    for (const s of skipped) out.push(c.dim(`  ${oneLine(s.file)}  ${SKIP_REASONS[s.reason]}`));
  }

  if (result.ignored && result.ignored.length > 0) {
    out.push('', c.bold(`Ignored (${result.ignored.length})`));
    for (const f of result.ignored) {
      const name = f.version ? `${f.name}@${f.version}` : f.name;
      const until = f.ignoredBy.until ? `, until ${f.ignoredBy.until}` : '';
      out.push(
        c.dim(
          `  ${f.kind}  ${f.ecosystem}:${name}  ${formatLocation(f.location)}  ${f.ignoredBy.reason} (${f.ignoredBy.where}${until})`,
        ),
      );
    }
  }
  const attention = (result.suppressions ?? []).filter((s) => s.status !== 'applied');
  if (attention.length > 0) {
    out.push('', c.bold(`Suppressions to review (${attention.length})`));
    for (const s of attention) {
      const detail =
        s.status === 'expired'
          ? `expired on ${s.until}: ${s.matched} finding(s) reported again`
          : s.status === 'invalid'
            ? `ignored: ${s.problem ?? 'invalid'}`
            : 'matched no finding';
      out.push(`  ${s.status}  ${s.where}  ${s.matches}: ${detail}${s.reason ? ` (${s.reason})` : ''}`);
    }
  }
  if (result.baseline)
    out.push(
      '',
      c.dim(`${result.baseline.baselined} finding(s) already in the baseline ${result.baseline.file}`),
    );
  if (result.changed)
    out.push(
      '',
      c.dim(
        `${result.changed.files.length} file(s) changed since ${result.changed.ref}; ${result.changed.existing} finding(s) in them were already there`,
      ),
    );

  const bySeverity = new Map<string, number>();
  for (const f of result.findings) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  const severityText = [...bySeverity].map(([s, n]) => `${n} ${s}`).join(', ');
  out.push(
    '',
    `${result.packages.length} package reference(s) in ${result.stats.filesScanned} file(s); ` +
      `${result.findings.length} finding(s)${severityText ? ` (${severityText})` : ''}; ` +
      `${result.errors.length} error(s)`,
    result.notChecked.summary,
  );
  return `${out.join('\n')}\n`;
};

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
