import { escapeMarkdown as md } from '../../reporters/escape.js';
import {
  columns,
  compositionRows,
  DENOMINATOR_HEADER,
  DENOMINATOR_NOTE,
  DIRECTION_NOTE,
  denominatorCells,
  formatDifference,
  formatNumber,
  formatP,
  formatProportion,
  formatVersions,
  HEADLINE_HEADER,
  headlineRows,
  kindRows,
  NAMES_HEADER,
  nameRows,
  rateTitle,
  type SimulationReporter,
  scenarioRows,
  TEST_NOTE,
  totalsLine,
} from './model.js';

/**
 * Cells are markdown already: the numbers and titles this module makes, and untrusted text (names,
 * versions, reasons, labels) passed through `md`.
 */
function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export const markdownReporter: SimulationReporter = (report) => {
  const cols = columns(report);
  const labels = cols.map((col) => md(col.label));
  const out: string[] = [
    report.runs.length > 1 ? '# Vouch simulation comparison' : '# Vouch simulation report',
    '',
  ];
  for (const run of report.runs)
    out.push(`- ${report.runs.length > 1 ? `**${md(run.label)}**: ` : ''}${totalsLine(run.metrics)}`);
  out.push(
    '',
    '## Samples',
    '',
    DENOMINATOR_NOTE,
    '',
    table(
      ['variant', ...DENOMINATOR_HEADER],
      cols.map((col, i) => [labels[i]!, ...denominatorCells(col.metrics)]),
    ),
    '',
    '## Rates per model',
    '',
    `Share of answers with at least one finding of each kind, with its 95% Wilson interval and count (${DIRECTION_NOTE}). The hallucination rate is nonexistent package references over the package references the registry was asked about (Spracklen et al.); risks disclosed: the risky recommendations the answer itself warns about, over all risky recommendations (these are not counted as undisclosed risk). Jaccard: mean pairwise similarity of the package sets of answers to the same request.`,
    '',
    table(HEADLINE_HEADER, headlineRows(cols, labels)),
    '',
    '## By finding kind',
    '',
    'Share of answers with at least one finding of the kind, over the answers whose check ran (n/a: it did not run).',
    '',
    table(['kind', ...labels], kindRows(cols)),
  );
  const composition = compositionRows(report, cols);
  if (composition.length > 0)
    out.push(
      '',
      '### What undisclosed risk is made of',
      '',
      'Share of answers with an undisclosed risk of each kind; an answer may count under several.',
      '',
      table(['risk', ...labels], composition),
    );
  if (report.tests.length > 0)
    out.push(
      '',
      '## Differences between variants',
      '',
      TEST_NOTE,
      '',
      table(
        ['rate', 'A', 'B', 'A − B [95% CI]', 'p', 'Holm p', 'significant'],
        report.tests.map((t) => [
          rateTitle(t.rate),
          md(t.a),
          md(t.b),
          formatDifference(t),
          `${formatP(t.p)}${t.approximate ? ' ≈' : ''}`,
          formatP(t.adjustedP),
          t.significant ? '**yes**' : 'no',
        ]),
      ),
    );
  const names = nameRows(report, md);
  if (names.length > 0)
    out.push(
      '',
      '## Hallucinated package names',
      '',
      'Names the registry did not know when an answer named them: anyone may register one later (slopsquatting).',
      '',
      table(NAMES_HEADER, names),
    );
  out.push('', '## Per scenario');
  for (const row of scenarioRows(report)) {
    out.push('', `### ${md(row.scenario)}`, '', `> ${md(row.request)}`, '');
    const rows: string[][] = [];
    row.cells.forEach((metrics, i) => {
      if (!metrics) return;
      rows.push([
        labels[i]!,
        String(metrics.answered),
        formatProportion(metrics.anyRisk),
        formatProportion(metrics.hallucination),
        formatNumber(metrics.jaccard),
      ]);
    });
    out.push(table(['variant', 'answers', 'any finding', 'hallucination', 'jaccard'], rows), '');
    const packages: string[][] = [];
    row.cells.forEach((metrics, i) => {
      for (const p of metrics?.packages ?? [])
        packages.push([
          labels[i]!,
          md(`${p.ecosystem}:${p.name}`),
          `${p.samples}/${metrics!.answered - metrics!.unanalysed}`,
          String(p.versions.length),
          md(formatVersions(p.versions)) || '-',
        ]);
    });
    if (packages.length > 0)
      out.push(table(['variant', 'package', 'answers', 'distinct versions', 'versions'], packages));
  }
  for (const run of report.runs) {
    const label = report.runs.length > 1 ? ` (${md(run.label)})` : '';
    if (run.metrics.unchecked.length > 0)
      out.push(
        '',
        `## Not checked${label}`,
        '',
        table(
          ['check', 'packages', 'answers', 'reason'],
          run.metrics.unchecked.map((u) => [u.check, String(u.packages), String(u.answers), md(u.reason)]),
        ),
      );
    if (run.metrics.failures.length === 0) continue;
    out.push('', `## Failed samples${label}`, '');
    out.push(
      table(
        ['count', 'reason'],
        run.metrics.failures.map((f) => [String(f.count), md(f.reason)]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
};
