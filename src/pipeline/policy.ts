import type { ScanResult } from '../model/result.js';
import { type Severity, severityRank } from '../model/severity.js';

export type FailOn = Severity | 'none';

export const EXIT = { clean: 0, findings: 1, input: 2, internal: 3 } as const;

/**
 * The exit code a result deserves. An incomplete scan (a file that could not be read or parsed) is an input
 * error even when there are findings: a gate must not pass or fail on half the evidence without saying so.
 */
export function exitCodeFor(result: ScanResult, failOn: FailOn): number {
  if (result.errors.length > 0) return EXIT.input;
  if (failOn === 'none') return EXIT.clean;
  const threshold = severityRank(failOn);
  return result.findings.some((f) => severityRank(f.severity) >= threshold) ? EXIT.findings : EXIT.clean;
}
