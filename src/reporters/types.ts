import type { ScanResult } from '../model/result.js';

export interface ReportOptions {
  /** ANSI colour (a TTY without NO_COLOR). */
  color: boolean;
}

/** Reporters only format: findings are computed before them. */
export type Reporter = (result: ScanResult, options: ReportOptions) => string;
