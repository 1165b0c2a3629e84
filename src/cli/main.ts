import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../core/config.js';
import { usageError } from '../core/errors.js';
import { databasePath } from '../core/paths.js';
import { exitCodeFor, type FailOn } from '../core/policy.js';
import { STDIN, scan } from '../core/scan.js';
import { SEVERITIES } from '../model/severity.js';
import { REPORTER_NAMES, REPORTERS, type ReporterName } from '../reporters/registry.js';
import { VERSION } from '../version.js';
import { parseDays, registerDbCommands } from './db.js';
import { translateError } from './exit.js';
import { type CliIO, processIO, useColor } from './io.js';
import { cliLogger } from './progress.js';
import {
  addRegistryScanOptions,
  type RegistryFlags,
  registerRegistryCommands,
  registryScanOptions,
} from './registry.js';

interface ScanFlags extends RegistryFlags {
  format: ReporterName;
  output?: string;
  failOn?: FailOn;
  maxFileSize?: number;
  exclude?: string[];
  gitignore: boolean;
  includeDocs?: boolean;
  stdinFilename?: string;
  config?: string;
  database?: string | false;
  maxDatabaseAge?: number;
}

/** `10MB`, `512k`, `1048576` → bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected a size such as 10MB, 512KB or 1048576');
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(match[1]) * factor);
}

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('vouch')
    .description('Vets the packages AI coding assistants put into code.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run vouch --help for usage)');

  const scanCommand = program
    .command('scan')
    .description('scan answers, source files, manifests, lockfiles or whole folders; - reads standard input')
    .argument('[paths...]', 'files or folders to scan, or - for standard input', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORTER_NAMES).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (default: low)',
      ).choices([...SEVERITIES, 'none']),
    )
    .option('--max-file-size <size>', 'skip files larger than this (default: 10MB)', parseSize)
    .option('--exclude <pattern...>', 'gitignore-style patterns of paths not to scan')
    .option('--no-gitignore', 'scan files that .gitignore excludes')
    .option('--include-docs', 'also read markdown and text files found in folders as assistant answers')
    .option(
      '--stdin-filename <name>',
      'what standard input is, e.g. package.json or app.py (default: an answer)',
    )
    .option('--config <file>', 'configuration file (default: ./vouch.config.json when present)')
    .option('--database <path>', 'vulnerability database (default: <cache>/osv.sqlite, see vouch db update)')
    .option('--no-database', 'skip the checks that need the vulnerability database')
    .option(
      '--max-database-age <days>',
      'warn when the vulnerability database is older (default: 7)',
      parseDays,
    );
  addRegistryScanOptions(scanCommand).action(async (paths: string[], flags: ScanFlags) => {
    setExit(await runScan(io, paths, flags));
  });

  registerDbCommands(program, io, setExit);
  registerRegistryCommands(program, io, setExit);
  return program;
}

async function runScan(io: CliIO, paths: string[], flags: ScanFlags): Promise<number> {
  const config = loadConfig(io.cwd, flags.config);
  if (paths.filter((p) => p === STDIN).length > 1)
    throw usageError('standard input (-) can be read only once');
  const logger = cliLogger(io);
  const result = await scan(paths, {
    cwd: io.cwd,
    stdin: paths.includes(STDIN) ? await io.readStdin() : undefined,
    stdinFilename: flags.stdinFilename,
    maxFileSize: flags.maxFileSize ?? config.maxFileSize,
    exclude: [...(config.exclude ?? []), ...(flags.exclude ?? [])],
    gitignore: flags.gitignore,
    includeDocuments: flags.includeDocs ?? config.includeDocuments,
    pythonImportMap: config.pythonImportMap,
    database: flags.database === false ? false : resolve(io.cwd, flags.database ?? databasePath(io.env)),
    maxDatabaseAge: flags.maxDatabaseAge,
    registry: registryScanOptions(flags, io),
    logger,
  });
  logger.finish();
  const output = flags.output;
  const report = REPORTERS[flags.format](result, { color: !output && useColor(io.stdout, io.env) });
  if (output) writeFileSync(resolve(io.cwd, output), report);
  else io.stdout.write(report);
  return exitCodeFor(result, flags.failOn ?? config.failOn ?? 'low');
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    const { message, exitCode: code } = translateError(error);
    if (message) io.stderr.write(`${message}\n`);
    return code;
  }
}
