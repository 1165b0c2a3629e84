import pc from 'picocolors';
import { oneLine } from '../../reporters/escape.js';
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
  HEADLINE_HEADER,
  headlineRows,
  kindRows,
  NAMES_HEADER,
  nameRows,
  rateTitle,
  type SimulationReporter,
  scenarioRows,
  TEST_NOTE,
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

/**
 * For a terminal: where the samples went, the headline rates per variant, every kind, what undisclosed risk
 * is made of, the tests of the differences, the hallucinated names, then per scenario and the failures.
 * Every text that came from a model, a provider or a registry is on one line with its controls made visible.
 */
export const tableReporter: SimulationReporter = (report, options) => {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const cols = columns(report);
  const labels = cols.map((col) => oneLine(col.label));
  for (const run of report.runs)
    out.push(`${report.runs.length > 1 ? `${c.bold(oneLine(run.label))}: ` : ''}${totalsLine(run.metrics)}`);

  out.push('', c.bold('Samples'));
  out.push(
    grid([
      ['variant', ...DENOMINATOR_HEADER],
      ...cols.map((col, i) => [labels[i]!, ...denominatorCells(col.metrics)]),
    ]),
  );
  out.push(c.dim(DENOMINATOR_NOTE));

  out.push('', c.bold('Share of answers with at least one finding (95% Wilson interval, count/answers)'));
  out.push(grid([HEADLINE_HEADER, ...headlineRows(cols, labels)]));
  out.push(
    c.dim(
      `${DIRECTION_NOTE}; hallucination rate: nonexistent package references / package references the registry was asked about; risks disclosed: risky recommendations the answer warns about / all risky recommendations`,
    ),
  );

  out.push('', c.bold('By finding kind (share of answers)'));
  out.push(grid([['kind', ...labels], ...kindRows(cols)]));
  const composition = compositionRows(report, cols);
  if (composition.length > 0) {
    out.push(
      '',
      c.bold('Undisclosed risk is made of (share of answers with an undisclosed risk of each kind)'),
    );
    out.push(grid([['risk', ...labels], ...composition]));
  }

  if (report.tests.length > 0) {
    out.push('', c.bold('Differences between variants'));
    out.push(
      grid([
        ['rate', 'A', 'B', 'A − B [95% CI]', 'p', 'Holm p', ''],
        ...report.tests.map((t) => [
          rateTitle(t.rate),
          oneLine(t.a),
          oneLine(t.b),
          formatDifference(t),
          `${formatP(t.p)}${t.approximate ? ' ≈' : ''}`,
          formatP(t.adjustedP),
          t.significant ? c.bold('significant') : 'not significant',
        ]),
      ]),
    );
    out.push(c.dim(TEST_NOTE));
  }

  const names = nameRows(report, oneLine);
  if (names.length > 0) {
    out.push('', c.bold('Hallucinated package names'));
    out.push(grid([NAMES_HEADER, ...names]));
  }

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
        oneLine(row.scenario),
        labels[i]!,
        String(cell.answered),
        formatProportion(cell.anyRisk, false),
        formatProportion(cell.hallucination, false),
        formatNumber(cell.jaccard),
        oneLine(topPackages(cell)) || '-',
      ]);
    });
  out.push(grid(rows));

  for (const run of report.runs) {
    const label = report.runs.length > 1 ? ` (${oneLine(run.label)})` : '';
    if (run.metrics.unchecked.length > 0) {
      out.push('', c.bold(`Not checked${label}`));
      for (const u of run.metrics.unchecked)
        out.push(
          `  ${u.check}: ${u.packages} package${u.packages === 1 ? '' : 's'} in ${u.answers} answer${u.answers === 1 ? '' : 's'}: ${oneLine(u.reason)}`,
        );
    }
    if (run.metrics.failures.length === 0) continue;
    out.push('', c.bold(`Failed samples${label}`));
    for (const failure of run.metrics.failures)
      out.push(`  ${c.red(`×${failure.count}`)} ${oneLine(failure.reason)}`);
  }
  return `${out.join('\n')}\n`;
};
