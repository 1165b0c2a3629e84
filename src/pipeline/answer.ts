/**
 * One assistant answer held in memory (the answer proxy's, an MCP client's), checked as `vouch check` checks
 * an answer: handed to `scan` as a document, so it meets the same extractors, facts and analyzers, and
 * decided by the surfaces' policy (`blockPolicy`).
 */
import type { Finding } from '../model/finding.js';
import type { ScanResult, Unchecked } from '../model/result.js';
import type { PackageCheckOptions } from './packages.js';
import { blockPolicy, decidePackage, type PackageVerdict } from './policy.js';
import { scan } from './scan.js';

export interface AnswerCheck {
  result: ScanResult;
  /** `block` on a finding the policy blocks on; `warn` on another finding or a check that matters not run. */
  verdict: PackageVerdict;
  blocking: Finding[];
  /** Checks that matter that could not run for a package of the answer. */
  gaps: Unchecked[];
}

/** An answer longer than this is not read: its check says so rather than taking minutes. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export async function checkAnswer(
  text: string,
  options: PackageCheckOptions = {},
  name = '<answer>',
): Promise<AnswerCheck> {
  const { gate, ...scanOptions } = options;
  const result = await scan([], {
    ...scanOptions,
    maxFileSize: Math.min(scanOptions.maxFileSize ?? MAX_ANSWER_BYTES, MAX_ANSWER_BYTES),
    documents: [{ path: name, text }],
  });
  const decision = decidePackage(result.findings, result.unchecked, blockPolicy(gate));
  return { result, ...decision };
}
