import { informationalAnalyzer } from './informational-common.js';

/** An informational advisory of kind `unmaintained` (RUSTSEC) covers the version, or versions the range admits. */
export const unmaintained = informationalAnalyzer('unmaintained');
