import type { SimulationReporter } from './model.js';

/** Bumped on any incompatible change of the report's JSON. */
const SIMULATION_REPORT_VERSION = 1;

/**
 * One run: its metrics alone, which depend on its answers only (a replayed run prints the same bytes), and
 * the tests of the differences between its variants when it has several. Several runs: each with its id.
 */
export const jsonReporter: SimulationReporter = (report) => {
  const doc =
    report.runs.length === 1
      ? {
          kind: 'vouch-simulation-report',
          version: SIMULATION_REPORT_VERSION,
          metrics: report.runs[0]!.metrics,
          ...(report.tests.length > 0 ? { tests: report.tests } : {}),
        }
      : {
          kind: 'vouch-simulation-comparison',
          version: SIMULATION_REPORT_VERSION,
          runs: report.runs.map((run) => ({ run: run.label, metrics: run.metrics })),
          tests: report.tests,
        };
  return `${JSON.stringify(doc, null, 2)}\n`;
};
