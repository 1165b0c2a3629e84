import type { Reporter } from './types.js';

/** The result as it is; its schema is documented in docs/json-output.md and versioned by `schemaVersion`. */
export const jsonReporter: Reporter = (result) => `${JSON.stringify(result, null, 2)}\n`;
