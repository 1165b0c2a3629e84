import type { Finding, FindingKind } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import type { Unchecked } from '../model/result.js';
import type { PhantomResolver } from '../project/phantom.js';

/** Everything analyzers may look at: refs and facts resolved before them. Analyzers do no I/O. */
export interface AnalysisContext {
  refs: readonly PackageRef[];
  phantom: PhantomResolver;
}

export interface AnalysisOutput {
  findings: Finding[];
  unchecked: Unchecked[];
}

export interface Analyzer {
  /** The finding kind it produces; also its id. */
  id: FindingKind;
  analyze(context: AnalysisContext): AnalysisOutput;
}
