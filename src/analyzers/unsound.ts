import { informationalAnalyzer } from './informational-common.js';

/** An informational advisory of kind `unsound` (RUSTSEC) covers the version, or versions the range admits. */
export const unsound = informationalAnalyzer('unsound');
