/**
 * Baseline files (`--write-baseline FILE`, `--baseline FILE`): the findings a team accepted when it adopted
 * the gate, by identity (policy.ts `identityParts`: kind, ecosystem, name, version or range, advisory ids,
 * file; never the line), so that only new findings fail. The format is docs/gate.md's.
 */
import { VouchError } from '../core/errors.js';
import { isObject } from '../core/json.js';
import type { ScanResult } from '../model/result.js';
import { type Baseline, type IdentityParts, identityOf, identityParts } from './policy.js';

const FORMAT = 1;

interface BaselineFile {
  vouchBaseline: typeof FORMAT;
  tool: string;
  findings: IdentityParts[];
}

/** The baseline of a result's findings, as the file's text (sorted, so that it diffs well). */
export function baselineText(result: ScanResult): string {
  const findings = result.findings.map(identityParts).sort((a, b) => {
    const x = identityOf(a);
    const y = identityOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const file: BaselineFile = { vouchBaseline: FORMAT, tool: `vouch ${result.tool.version}`, findings };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The result once its findings are the baseline just written: none is reported, all are counted. */
export function acceptAsBaseline(result: ScanResult, file: string): ScanResult {
  return { ...result, findings: [], baseline: { file, baselined: result.findings.length } };
}

/** Reads a baseline file's text; `file` names it in errors. */
export function parseBaseline(text: string, file: string): Baseline {
  const fail = (message: string): never => {
    throw new VouchError('INPUT', `${file}: ${message}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(data) || data.vouchBaseline !== FORMAT || !Array.isArray(data.findings))
    return fail(`not a Vouch baseline (expected {"vouchBaseline": ${FORMAT}, "findings": […]})`);
  const identities = (data.findings as unknown[]).map((entry, i) => {
    const strings = ['kind', 'ecosystem', 'name', 'version', 'file'] as const;
    if (!isObject(entry) || strings.some((key) => typeof entry[key] !== 'string'))
      return fail(`findings[${i}] needs kind, ecosystem, name, version and file as strings`);
    const advisories = entry.advisories ?? [];
    if (!Array.isArray(advisories) || advisories.some((id) => typeof id !== 'string'))
      return fail(`findings[${i}].advisories must be a list of advisory ids`);
    return identityOf({
      ...(entry as unknown as IdentityParts),
      advisories: [...(advisories as string[])].sort(),
    });
  });
  return { file, identities };
}
