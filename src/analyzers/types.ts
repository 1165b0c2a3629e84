import type { AdvisoryFacts } from '../model/advisory-facts.js';
import type { Finding, FindingKind } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import type { RegistryFacts } from '../model/registry-facts.js';
import type { Unchecked } from '../model/result.js';
import type { PhantomResolver } from '../project/phantom.js';

/** Everything analyzers may look at: refs and facts resolved before them. Analyzers do no I/O. */
export interface AnalysisContext {
  refs: readonly PackageRef[];
  phantom: PhantomResolver;
  /** Advisories from the vulnerability database; undefined when there is no database. */
  advisories?: AdvisoryFacts;
  /** What the package registries said; undefined when registry checks are off. */
  registry?: RegistryFacts;
  /** The text of each answer (document) scanned, by its path: the `scope` and `location.file` of its refs. */
  documents?: ReadonlyMap<string, string>;
  /** The findings of every analyzer that ran before; given only to analyzers that `dependsOnFindings`. */
  findings?: readonly Finding[];
}

export interface AnalysisOutput {
  findings: Finding[];
  unchecked: Unchecked[];
  /** What the check could not do for the scan as a whole (shown once, as a warning). */
  warnings?: string[];
}

export interface Analyzer {
  /** The finding kind it produces; also its id (undisclosed-risk also produces its counterpart, disclosed-risk). */
  id: FindingKind;
  /** Other kinds it may report (a judgement with two outcomes): a rate of such a kind needs to know it ran. */
  alsoReports?: readonly FindingKind[];
  /** Facts without which it cannot run: the scan reports it as skipped, with the reason, instead. */
  needs?: 'advisories' | 'registry';
  /**
   * It judges other analyzers' findings (undisclosed-risk: was a risk found elsewhere disclosed?): it runs
   * after every analyzer that does not, and gets the findings of all that ran before it in the context.
   */
  dependsOnFindings?: boolean;
  analyze(context: AnalysisContext): AnalysisOutput;
}
