import { csvReporter } from './csv.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import type { SimulationReporter } from './model.js';
import { tableReporter } from './table.js';

/** Every simulation report format; `SimulationFormat` (the `--format` values) derives from this map. */
export const SIMULATION_REPORTERS = {
  table: tableReporter,
  json: jsonReporter,
  markdown: markdownReporter,
  html: htmlReporter,
  csv: csvReporter,
} as const satisfies Record<string, SimulationReporter>;

export type SimulationFormat = keyof typeof SIMULATION_REPORTERS;
export const SIMULATION_FORMATS = Object.keys(SIMULATION_REPORTERS) as SimulationFormat[];
