/**
 * Stage 5, analyze: every analyzer over the references and the resolved facts. Analyzers that judge other
 * findings (`dependsOnFindings`) run after all the others, whatever their place in the list; a check whose
 * facts are missing is recorded as skipped with the reason.
 */
import { ANALYZERS } from '../analyzers/registry.js';
import type { AnalysisContext } from '../analyzers/types.js';
import type { Logger } from '../core/log.js';
import type { Finding } from '../model/finding.js';
import type { CheckRun, Unchecked } from '../model/result.js';
import type { ResolvedFacts } from './resolve.js';

export interface Analysis {
  findings: Finding[];
  unchecked: Unchecked[];
  checks: CheckRun[];
  warnings: string[];
}

/** Findings are kept only for `targetFiles`: context manifests inform the checks but are not reported. */
export function analyze(
  context: AnalysisContext,
  facts: ResolvedFacts,
  targetFiles: ReadonlySet<string>,
  logger: Logger,
): Analysis {
  const out: Analysis = { findings: [], unchecked: [], checks: [], warnings: [] };
  const ordered = [
    ...ANALYZERS.filter((a) => !a.dependsOnFindings),
    ...ANALYZERS.filter((a) => a.dependsOnFindings),
  ];
  for (const analyzer of ordered) {
    if (analyzer.needs === 'advisories' && !facts.advisories) {
      out.checks.push({ id: analyzer.id, status: 'skipped', reason: facts.advisorySkipReason });
      continue;
    }
    if (analyzer.needs === 'registry' && !facts.registry) {
      out.checks.push({ id: analyzer.id, status: 'skipped', reason: 'registry checks are off' });
      continue;
    }
    const result = analyzer.analyze(
      analyzer.dependsOnFindings ? { ...context, findings: [...out.findings] } : context,
    );
    for (const finding of result.findings)
      if (targetFiles.has(finding.location.file)) out.findings.push(finding);
    for (const entry of result.unchecked) out.unchecked.push(entry);
    for (const warning of result.warnings ?? []) {
      logger.warn(warning);
      out.warnings.push(warning);
    }
    out.checks.push(
      analyzer.needs === 'advisories' && facts.advisorySource
        ? { id: analyzer.id, status: 'ran', source: facts.advisorySource }
        : { id: analyzer.id, status: 'ran' },
    );
  }
  return out;
}
