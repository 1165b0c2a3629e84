import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { describeError, inputError, usageError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { databasePath, makeFolders } from '../core/paths.js';
import { DEFAULT_MAX_FILE_SIZE } from '../inputs/walk.js';
import type { ScanResult } from '../model/result.js';
import { SEVERITIES } from '../model/severity.js';
import { acceptAsBaseline, baselineText, parseBaseline } from '../pipeline/baseline.js';
import type { VouchConfig } from '../pipeline/config.js';
import { type FailOn, type ScanPolicy, verdictFor } from '../pipeline/policy.js';
import { type ScanOptions, STDIN } from '../pipeline/scan.js';
import { oneLine } from '../reporters/escape.js';
import { REPORTER_NAMES, REPORTERS, type ReporterName } from '../reporters/registry.js';
import type { Reporter } from '../reporters/types.js';
import { parseDays } from './db.js';
import { type CliIO, useColor } from './io.js';
import { addRegistryScanOptions, type RegistryFlags, registryScanOptions } from './registry.js';

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

/** Standard input when the inputs name it (once at most), read no further than the size limit allows. */
export async function readStdinInput(
  io: CliIO,
  inputs: readonly string[],
  maxFileSize: number | undefined,
): Promise<string | undefined> {
  const count = inputs.filter((input) => input === STDIN).length;
  if (count > 1) throw usageError('standard input (-) can be read only once');
  return count === 1 ? io.readStdin(maxFileSize ?? DEFAULT_MAX_FILE_SIZE) : undefined;
}

/** Writes the report where the flags say; returns the exit code the result deserves. */
export function writeReport(io: CliIO, scanned: ScanResult, flags: ReportFlags, config: VouchConfig): number {
  let result = scanned;
  if (flags.writeBaseline) {
    writeFileAtomic(resolve(io.cwd, flags.writeBaseline), baselineText(scanned));
    result = acceptAsBaseline(scanned, flags.writeBaseline);
  }
  for (const extra of flags.report ?? [])
    writePieces(resolve(io.cwd, extra.file), REPORTERS[extra.format], result, { color: false });
  const reporter: Reporter = REPORTERS[flags.format];
  const options = { color: !flags.output && useColor(io.stdout, io.env) };
  if (flags.output) writePieces(resolve(io.cwd, flags.output), reporter, result, options);
  else for (const piece of piecesOf(reporter, result, options)) io.stdout.write(piece);
  const verdict = verdictFor(result, {
    failOn: flags.failOn ?? config.failOn ?? 'low',
    ...(config.failOnKind ? { failOnKind: config.failOnKind } : {}),
    strict: flags.strict ?? config.strict ?? false,
  });
  if (verdict.message) io.stderr.write(`vouch: ${oneLine(verdict.message)}\n`);
  return verdict.exitCode;
}

/** Written beside the target and renamed over it: a baseline is never left half-written. */
function writeFileAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    makeFolders(dirname(path));
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {} // never made: its folder is missing or not a folder
    throw inputError(`${path}: cannot write the baseline (${describeError(error)})`, error);
  }
}

function piecesOf(reporter: Reporter, result: ScanResult, options: { color: boolean }): Iterable<string> {
  return reporter.chunks ? reporter.chunks(result, options) : [reporter(result, options)];
}

/** Written piece by piece: a JSON report may be larger than one string can hold. */
function writePieces(
  path: string,
  reporter: Reporter,
  result: ScanResult,
  options: { color: boolean },
): void {
  let fd: number;
  try {
    // A CI step writes reports into a folder it has not made yet (`results/vouch.sarif`).
    makeFolders(dirname(path));
    fd = openSync(path, 'w');
  } catch (error) {
    throw inputError(`${path}: cannot write the report (${describeError(error)})`, error);
  }
  try {
    for (const piece of piecesOf(reporter, result, options)) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}
