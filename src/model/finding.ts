import type { Ecosystem } from './ecosystem.js';
import type { Location } from './location.js';
import type { Severity } from './severity.js';

interface FindingKindInfo {
  title: string;
  /** Severity when nothing more specific is known (advisories carry their own). */
  severity: Severity;
  /** One paragraph for SARIF rule help and `--help` output. */
  help: string;
}

/** The one table of finding kinds: `FindingKind`, SARIF rules and docs all derive from it. */
export const FINDING_KINDS = {
  vulnerable: {
    title: 'Vulnerable version',
    severity: 'high',
    help: 'The version recommended, pinned or locked has a known advisory. Upgrade to a fixed version.',
  },
  'range-allows-vulnerable': {
    title: 'Range admits vulnerable versions',
    severity: 'low',
    help: 'The range or bare name admits versions with advisories; pin or raise the lower bound.',
  },
  malicious: {
    title: 'Malicious package',
    severity: 'critical',
    help: 'The package or version is a known malicious release. Remove it and rotate any secrets it could reach.',
  },
  nonexistent: {
    title: 'Package does not exist',
    severity: 'high',
    help: 'The registry has no such package: a hallucinated name that anyone may register later (slopsquatting).',
  },
  'import-name': {
    title: 'Import name is not a distribution',
    severity: 'low',
    help: 'The code imports a module whose name no distribution on the registry has, but one named by a usual pattern exists (absl → absl-py, skcuda → scikit-cuda): install and declare that one. The match is by name only: check it is the project meant.',
  },
  'unknown-version': {
    title: 'Version does not exist',
    severity: 'medium',
    help: 'The package exists but the version named was never published.',
  },
  'suspicious-new': {
    title: 'Suspiciously new package',
    severity: 'medium',
    help: 'The package is very young or barely adopted: the profile of a squatted hallucination.',
  },
  typosquat: {
    title: 'Possible typosquat',
    severity: 'high',
    help: 'The name is one small edit away from a popular package and far less popular itself.',
  },
  undeclared: {
    title: 'Undeclared import (phantom)',
    severity: 'medium',
    help: 'The code imports a package that no manifest covering it declares: it works only because something else installs it, or not at all.',
  },
  'transitive-only': {
    title: 'Transitive-only import (phantom)',
    severity: 'low',
    help: 'The imported package is present only as a dependency of a dependency; declare it directly.',
  },
  deprecated: {
    title: 'Deprecated package or version',
    severity: 'low',
    help: 'The maintainers deprecated this package or version.',
  },
  yanked: {
    title: 'Yanked version',
    severity: 'medium',
    help: 'The version was yanked from the registry.',
  },
  outdated: {
    title: 'Outdated version',
    severity: 'low',
    help: 'The version is far behind the latest release (stale training data).',
  },
  unmaintained: {
    title: 'Unmaintained package',
    severity: 'low',
    help: 'An informational advisory (RUSTSEC and the like) says the package is no longer maintained, or was renamed: no fixes will come. Move to the successor it names.',
  },
  unsound: {
    title: 'Unsound API',
    severity: 'medium',
    help: 'An informational advisory says the package has an unsound API: safe code can cause undefined behaviour. Not a vulnerability report; upgrade where a fixed version exists.',
  },
  notice: {
    title: 'Advisory notice',
    severity: 'low',
    help: 'An informational advisory notice about the package (not a vulnerability): read it before depending on the package.',
  },
  'undisclosed-risk': {
    title: 'Risk not disclosed in the answer',
    severity: 'medium',
    help: 'The answer recommends a risky package or version and says nothing about the risk.',
  },
  'disclosed-risk': {
    title: 'Risk disclosed in the answer',
    severity: 'info',
    help: 'The answer recommends a risky package or version and warns its reader about the risk: counted for research, never a failure.',
  },
} as const satisfies Record<string, FindingKindInfo>;

export type FindingKind = keyof typeof FINDING_KINDS;
export const FINDING_KIND_IDS = Object.keys(FINDING_KINDS) as FindingKind[];

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  ecosystem: Ecosystem;
  name: string;
  version?: string;
  /** One sentence a person can act on. */
  message: string;
  location: Location;
  /** The kind's own severity, when the policy (`severity` in the configuration) changed it. */
  severityFrom?: Severity;
  /** The guess behind it: an import whose distribution name was inferred, not known. */
  inferred?: boolean;
  /** Kind-specific facts: a dependency chain, advisory ids, dates. Stable keys, documented per kind. */
  evidence?: Record<string, unknown>;
}
