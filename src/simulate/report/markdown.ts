import {
  columns,
  formatCost,
  formatNumber,
  formatProportion,
  RATE_NAMES,
  RATE_TITLES,
  rateOf,
  type SimulationReporter,
  scenarioRows,
  totalsLine,
} from './model.js';

/** `|` and line breaks would end a cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

export const markdownReporter: SimulationReporter = (report) => {
  const cols = columns(report);
  const out: string[] = [
    report.runs.length > 1 ? '# Vouch simulation comparison' : '# Vouch simulation report',
    '',
  ];
  for (const run of report.runs)
    out.push(`- ${report.runs.length > 1 ? `**${run.label}**: ` : ''}${totalsLine(run.metrics)}`);
  out.push(
    '',
    '## Rates per model',
    '',
    'Share of answers with at least one finding of each kind, with its 95% Wilson interval and count. The hallucination rate is nonexistent package references over the package references the registry was asked about (Spracklen et al.); risks disclosed: the risky recommendations the answer itself warns about, over all risky recommendations (these are not counted as undisclosed risk). Jaccard: mean pairwise similarity of the package sets of answers to the same request.',
    '',
    table(
      ['variant', 'answers', ...RATE_NAMES.map((n) => RATE_TITLES[n]), 'jaccard', 'tokens in/out', 'cost'],
      cols.map((col) => [
        col.label,
        String(col.metrics.answered),
        ...RATE_NAMES.map((n) => formatProportion(rateOf(col.metrics, n))),
        formatNumber(col.metrics.jaccard),
        `${col.metrics.inputTokens}/${col.metrics.outputTokens}`,
        formatCost(col.metrics.cost),
      ]),
    ),
    '',
    '## Per scenario',
  );
  for (const row of scenarioRows(report)) {
    out.push('', `### ${row.scenario}`, '', `> ${cell(row.request)}`, '');
    const rows: string[][] = [];
    row.cells.forEach((metrics, i) => {
      if (!metrics) return;
      rows.push([
        cols[i]!.label,
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
          cols[i]!.label,
          `${p.ecosystem}:${p.name}`,
          `${p.samples}/${metrics!.answered - metrics!.unanalysed}`,
          String(p.versions.length),
          p.versions.map((v) => `${v.version} ×${v.samples}`).join(', ') || '-',
        ]);
    });
    if (packages.length > 0)
      out.push(table(['variant', 'package', 'answers', 'distinct versions', 'versions'], packages));
  }
  for (const run of report.runs) {
    if (run.metrics.failures.length === 0) continue;
    out.push('', `## Failed samples${report.runs.length > 1 ? ` (${run.label})` : ''}`, '');
    out.push(
      table(
        ['count', 'reason'],
        run.metrics.failures.map((f) => [String(f.count), f.reason]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
};
