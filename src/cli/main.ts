import { Command } from 'commander';
import { VERSION } from '../core/version.js';
import { configInScannedTree, loadConfig } from '../pipeline/config.js';
import { scan } from '../pipeline/scan.js';
import { registerCheckCommand } from './check.js';
import { registerDbCommands } from './db.js';
import { translateError } from './exit.js';
import { type CliIO, processIO } from './io.js';
import { cliLogger } from './progress.js';
import { registerRegistryCommands } from './registry.js';
import {
  addReportOptions,
  type ReportFlags,
  readStdinInput,
  reportScanOptions,
  writeReport,
} from './scan-options.js';
import { registerSimulateCommands } from './simulate.js';
import { registerSurfaceCommands } from './surfaces.js';

interface ScanFlags extends ReportFlags {
  exclude?: string[];
  gitignore: boolean;
  includeDocs?: boolean;
  stdinFilename?: string;
  changedSince?: string;
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
    // Repeatable rather than variadic: a variadic option would swallow the paths that follow it.
    .option(
      '--exclude <pattern>',
      'gitignore-style pattern of paths not to scan, relative to each scanned folder (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--no-gitignore', 'scan files that .gitignore excludes')
    .option('--include-docs', 'also read markdown and text files found in folders as assistant answers')
    .option(
      '--changed-since <ref>',
      'report only the findings the changes since this git ref introduce (read with git plumbing; no hooks run)',
    )
    .option(
      '--stdin-filename <name>',
      'what standard input is, e.g. package.json or app.py (default: an answer)',
    );
  addReportOptions(scanCommand).action(async (paths: string[], flags: ScanFlags) => {
    setExit(await runScan(io, paths, flags));
  });

  registerCheckCommand(program, io, setExit);
  registerDbCommands(program, io, setExit);
  registerRegistryCommands(program, io, setExit);
  registerSimulateCommands(program, io, setExit);
  registerSurfaceCommands(program, io, setExit);
  return program;
}

async function runScan(io: CliIO, paths: string[], flags: ScanFlags): Promise<number> {
  const config = loadConfig(io.cwd, flags.config);
  const logger = cliLogger(io);
  const selfConfigured = configInScannedTree(config, paths, io.cwd);
  if (selfConfigured) logger.warn(selfConfigured);
  const options = reportScanOptions(flags, config, io, logger);
  const result = await scan(paths, {
    ...options,
    stdin: await readStdinInput(io, paths, options.maxFileSize),
    stdinFilename: flags.stdinFilename,
    exclude: [...(config.exclude ?? []), ...(flags.exclude ?? [])],
    gitignore: flags.gitignore,
    ...(flags.changedSince !== undefined ? { changedSince: flags.changedSince, env: io.env } : {}),
    includeDocuments: flags.includeDocs ?? config.includeDocuments,
  });
  logger.finish();
  if (selfConfigured) result.warnings = [selfConfigured, ...(result.warnings ?? [])];
  return writeReport(io, result, flags, config);
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
