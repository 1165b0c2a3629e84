import { deprecated } from './deprecated.js';
import { malicious } from './malicious.js';
import { nonexistent } from './nonexistent.js';
import { notice } from './notice.js';
import { outdated } from './outdated.js';
import { rangeAllowsVulnerable } from './range-allows-vulnerable.js';
import { suspiciousNew } from './suspicious-new.js';
import { transitiveOnly } from './transitive-only.js';
import type { Analyzer } from './types.js';
import { typosquat } from './typosquat.js';
import { undeclared } from './undeclared.js';
import { undisclosedRisk } from './undisclosed-risk.js';
import { unknownVersion } from './unknown-version.js';
import { unmaintained } from './unmaintained.js';
import { unsound } from './unsound.js';
import { vulnerable } from './vulnerable.js';
import { yanked } from './yanked.js';

/** Every analyzer, in the order their findings are reported. */
export const ANALYZERS: readonly Analyzer[] = [
  undeclared,
  transitiveOnly,
  vulnerable,
  rangeAllowsVulnerable,
  malicious,
  unmaintained,
  unsound,
  notice,
  nonexistent,
  unknownVersion,
  suspiciousNew,
  typosquat,
  deprecated,
  yanked,
  outdated,
  undisclosedRisk,
];
