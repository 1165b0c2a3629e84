/**
 * The output formats by name (`--format`), apart from the reporters themselves: the command line offers
 * the choices at start-up and loads a reporter only to write a report.
 */
export const REPORTER_NAMES = ['table', 'json', 'sarif', 'markdown', 'github', 'cyclonedx'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];
