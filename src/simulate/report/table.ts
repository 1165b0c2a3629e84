import pc from 'picocolors';
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
  topPackages,
  totalsLine,
} from './model.js';

function grid(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** For a terminal: the rates per variant, then per scenario, then the failures. */
export const tableReporter: SimulationReporter = (report, options) => {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const cols = columns(report);
  for (const run of report.runs)
    out.push(`${report.runs.length > 1 ? `${c.bold(run.label)}: ` : ''}${totalsLine(run.metrics)}`);

  out.push('', c.bold('Share of answers with at least one finding (95% Wilson interval, count/answers)'));
  out.push(
    grid([
      ['variant', 'answers', ...RATE_NAMES.map((n) => RATE_TITLES[n]), 'jaccard', 'tokens in/out', 'cost'],
      ...cols.map((col) => [
        col.label,
        String(col.metrics.answered),
        ...RATE_NAMES.map((n) => formatProportion(rateOf(col.metrics, n))),
        formatNumber(col.metrics.jaccard),
        `${col.metrics.inputTokens}/${col.metrics.outputTokens}`,
        formatCost(col.metrics.cost),
      ]),
    ]),
  );
  out.push(
    c.dim(
      'hallucination rate: nonexistent package references / package references the registry was asked about; risks disclosed: risky recommendations the answer warns about / all risky recommendations',
    ),
  );

  out.push('', c.bold('Per scenario'));
  const rows: string[][] = [
    [
      'scenario',
      'variant',
      'answers',
      'any finding',
      'hallucination',
      'jaccard',
      'packages (answers naming them, versions)',
    ],
  ];
  for (const row of scenarioRows(report))
    row.cells.forEach((cell, i) => {
      if (!cell) return;
      rows.push([
        row.scenario,
        cols[i]!.label,
        String(cell.answered),
        formatProportion(cell.anyRisk, false),
        formatProportion(cell.hallucination, false),
        formatNumber(cell.jaccard),
        topPackages(cell) || '-',
      ]);
    });
  out.push(grid(rows));

  for (const run of report.runs) {
    if (run.metrics.failures.length === 0) continue;
    out.push('', c.bold(`Failed samples${report.runs.length > 1 ? ` (${run.label})` : ''}`));
    for (const failure of run.metrics.failures) out.push(`  ${c.red(`×${failure.count}`)} ${failure.reason}`);
  }
  return `${out.join('\n')}\n`;
};
