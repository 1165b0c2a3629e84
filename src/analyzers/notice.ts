import { informationalAnalyzer } from './informational-common.js';

/** An informational advisory of kind `notice` (RUSTSEC) covers the version, or versions the range admits. */
export const notice = informationalAnalyzer('notice');
