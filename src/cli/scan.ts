import type { Command } from 'commander';
import { configInScannedTree, loadConfig } from '../pipeline/config.js';
import { scan } from '../pipeline/scan.js';
import type { CliIO } from './io.js';
import { cliLogger } from './progress.js';
import { readStdinInput, writeReport } from './report.js';
import { addReportOptions, type ReportFlags, reportScanOptions } from './scan-options.js';

interface ScanFlags extends ReportFlags {
  exclude?: string[];
  gitignore: boolean;
  includeDocs?: boolean;
  stdinFilename?: string;
  changedSince?: string;
}

/** `vouch scan [paths...]`. */
export function registerScanCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
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
