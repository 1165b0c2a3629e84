/**
 * The flags the scanning commands share and what they ask of the library. Light on purpose: every command
 * that checks packages (`vouch hook` too, started once per tool call) loads this before it knows whether it
 * will scan, so the scan, the reporters and the writers live in report.ts, loaded by the commands that use them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { describeError, inputError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { databasePath } from '../core/paths.js';
import { SEVERITIES } from '../model/severity.js';
import { parseBaseline } from '../pipeline/baseline.js';
import type { VouchConfig } from '../pipeline/config.js';
import type { FailOn, ScanPolicy } from '../pipeline/policy.js';
import type { ScanOptions } from '../pipeline/scan.js';
import { REPORTER_NAMES, type ReporterName } from '../reporters/names.js';
import type { CliIO } from './io.js';
import { addRegistryScanOptions, type RegistryFlags, registryScanOptions } from './registry-options.js';

const DAY_MS = 86_400_000;

/** `7`, `0.5` (days) → milliseconds. */
export function parseDays(text: string): number {
  const days = Number(text);
  if (!Number.isFinite(days) || days < 0) throw new InvalidArgumentError('expected a number of days, e.g. 7');
  return days * DAY_MS;
}

/** The flags every command that scans shares (`vouch scan`, `vouch check`). */
export interface ReportFlags extends RegistryFlags {
  format: ReporterName;
  output?: string;
  /** Further reports of the same scan: `markdown:summary.md`. */
  report?: { format: ReporterName; file: string }[];
  failOn?: FailOn;
  strict?: boolean;
  baseline?: string;
  writeBaseline?: string;
  maxFileSize?: number;
  /** A file, or false for `--no-config`. */
  config?: string | false;
  database?: string | false;
  maxDatabaseAge?: number;
  onlineAdvisories?: boolean;
  osvApi?: string;
}

/** `10MB`, `512k`, `1048576` → bytes. */
function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected a size such as 10MB, 512KB or 1048576');
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(match[1]) * factor);
}

function parseReport(
  value: string,
  previous: { format: ReporterName; file: string }[],
): { format: ReporterName; file: string }[] {
  const colon = value.indexOf(':');
  const format = value.slice(0, colon) as ReporterName;
  if (colon < 1 || !REPORTER_NAMES.includes(format) || colon === value.length - 1)
    throw new InvalidArgumentError(`expected FORMAT:FILE with FORMAT one of ${REPORTER_NAMES.join(', ')}`);
  return [...previous, { format, file: value.slice(colon + 1) }];
}

/** Output format and file, the gate, the size limit, configuration, database and registry flags. */
export function addReportOptions(command: Command): Command {
  command
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORTER_NAMES).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option(
      '--report <format:file>',
      `also write the same scan in another format to a file (repeatable), e.g. sarif:vouch.sarif`,
      parseReport,
      [],
    )
    .option('--write-baseline <file>', 'record the current findings in this baseline file (then none fails)');
  return addCheckOptions(command);
}

/** The gate, the size limit, configuration, database and registry flags: every command that checks packages. */
export function addCheckOptions(command: Command): Command {
  command
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (default: low)',
      ).choices([...SEVERITIES, 'none']),
    )
    .option(
      '--strict',
      'exit 2 when a check that matters could not run for a package in scope (registry unreachable, no vulnerability database, a file skipped)',
    )
    .option('--baseline <file>', 'report only the findings that are not in this baseline file')
    .option('--max-file-size <size>', 'skip files larger than this (default: 10MB)', parseSize)
    .option('--config <file>', 'configuration file (default: ./vouch.config.json when present)')
    .option('--no-config', 'read no configuration file, not even ./vouch.config.json')
    .option('--database <path>', 'vulnerability database (default: <cache>/osv.sqlite, see vouch db update)')
    .option('--no-database', 'skip the checks that need the vulnerability database')
    .option(
      '--online-advisories',
      'ask the OSV API for advisories even when a local database exists (without one it is asked anyway, unless --offline)',
    )
    .option('--osv-api <url>', 'the OSV API to ask (default: $VOUCH_OSV_API_URL, else api.osv.dev)')
    .option(
      '--max-database-age <days>',
      'warn when the vulnerability database is older (default: 7)',
      parseDays,
    );
  return addRegistryScanOptions(command);
}

/** What the shared flags (and the configuration file) ask of `scan`. */
export function reportScanOptions(
  flags: ReportFlags,
  config: VouchConfig,
  io: CliIO,
  logger: Logger,
): Pick<
  ScanOptions,
  | 'cwd'
  | 'maxFileSize'
  | 'pythonImportMap'
  | 'database'
  | 'maxDatabaseAge'
  | 'osvApi'
  | 'registry'
  | 'logger'
  | 'policy'
  | 'dependencyGraph'
> {
  return {
    cwd: io.cwd,
    maxFileSize: flags.maxFileSize ?? config.maxFileSize,
    pythonImportMap: config.pythonImportMap,
    database: flags.database === false ? false : resolve(io.cwd, flags.database ?? databasePath(io.env)),
    maxDatabaseAge: flags.maxDatabaseAge,
    // --offline: the OSV API is never asked.
    ...(flags.offline
      ? {}
      : {
          osvApi: {
            use: flags.onlineAdvisories ? ('always' as const) : ('auto' as const),
            env: io.env,
            ...(flags.osvApi ? { baseUrl: flags.osvApi } : {}),
          },
        }),
    registry: registryScanOptions(flags, io),
    policy: { ...configPolicy(config), ...baselineOption(flags, io) },
    // An SBOM needs the lockfiles' dependency graphs; other formats do without them.
    ...([flags.format, ...(flags.report ?? []).map((r) => r.format)].includes('cyclonedx')
      ? { dependencyGraph: true }
      : {}),
    logger,
  };
}

function baselineOption(flags: ReportFlags, io: CliIO): Pick<ScanPolicy, 'baseline'> {
  if (flags.baseline === undefined) return {};
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, flags.baseline), 'utf8');
  } catch (error) {
    throw inputError(`${flags.baseline}: cannot read the baseline (${describeError(error)})`, error);
  }
  return { baseline: parseBaseline(text, flags.baseline) };
}

/** The scan policy the configuration file sets. */
export function configPolicy(config: VouchConfig): ScanPolicy {
  return {
    ...(config.severity ? { severity: config.severity } : {}),
    ...(config.private ? { private: config.private } : {}),
    ...(config.ignore ? { ignore: config.ignore } : {}),
    ...(config.path ? { ignoreSource: config.path } : {}),
    ...(config.inlineSuppressions === false ? { inlineSuppressions: false } : {}),
  };
}
