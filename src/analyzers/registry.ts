import { transitiveOnly } from './transitive-only.js';
import type { Analyzer } from './types.js';
import { undeclared } from './undeclared.js';

/** Every analyzer, in the order their findings are reported. */
export const ANALYZERS: readonly Analyzer[] = [undeclared, transitiveOnly];
