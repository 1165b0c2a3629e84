import { cyclonedxReporter } from './cyclonedx.js';
import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import type { ReporterName } from './names.js';
import { sarifReporter } from './sarif.js';
import { tableReporter } from './table.js';
import type { Reporter } from './types.js';

export { REPORTER_NAMES, type ReporterName } from './names.js';

/** Every output format, one per name of names.ts. */
export const REPORTERS: Readonly<Record<ReporterName, Reporter>> = {
  table: tableReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  markdown: markdownReporter,
  github: githubReporter,
  cyclonedx: cyclonedxReporter,
};
