/**
 * `vouch report --recheck`: asks the registries again about every hallucinated name of a run, so that the
 * report says which of them exist now (registered after an answer named them: the slopsquatting risk made
 * real). The one step of a report that is not computed from the stored samples alone.
 */
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import type { PackageRef } from '../model/package-ref.js';
import { type RegistryOptions, resolveRegistry } from '../registry/resolve.js';
import type { HallucinatedName, RunMetrics } from './metrics.js';

/** Names asked about per report: the most named first; the rest stay "not rechecked". */
const RECHECK_MAX = 2000;

/**
 * Fills `now` on the run's hallucinated names (the most named `RECHECK_MAX`). A cached answer is used only
 * when the registry cannot be reached (`prefer-online`), unless the options choose a cache mode.
 */
export async function recheckNames(
  metrics: RunMetrics,
  options: RegistryOptions,
  logger: Logger = silentLogger,
): Promise<string[]> {
  const names = metrics.hallucinations.slice(0, RECHECK_MAX);
  if (names.length === 0) return [];
  const refs = names.map(
    (n): PackageRef => ({
      ecosystem: n.ecosystem,
      name: n.name,
      source: 'installed',
      extractor: 'simulate/recheck',
      location: { file: 'recheck' },
    }),
  );
  const stage = await resolveRegistry(refs, { mode: 'prefer-online', ...options }, logger);
  names.forEach((name, i) => {
    name.now = nowOf(stage.facts.forRef(refs[i]!)?.facts);
  });
  return stage.warnings;
}

function nowOf(facts: { status: string; reason?: string } | undefined): NonNullable<HallucinatedName['now']> {
  if (!facts) return { status: 'unchecked', reason: 'no registry to ask for this ecosystem' };
  if (facts.status === 'exists') return { status: 'exists' };
  if (facts.status === 'missing') return { status: 'missing' };
  return { status: 'unchecked', ...(facts.reason ? { reason: facts.reason } : {}) };
}
