import type { ScanResult } from '../model/result.js';

export interface ReportOptions {
  /** ANSI colour (a TTY without NO_COLOR). */
  color: boolean;
}

/** Reporters only format: findings are computed before them. */
export interface Reporter {
  (result: ScanResult, options: ReportOptions): string;
  /** The same text in pieces, for results too large for one string (the JSON reporter has it). */
  chunks?: (result: ScanResult, options: ReportOptions) => Iterable<string>;
}
