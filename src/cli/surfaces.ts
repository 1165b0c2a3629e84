/**
 * The command-line entries of the surfaces where packages enter code: `vouch mcp` (and the hooks, guard and
 * proxy as they come). Each reads the shared flags and the configuration here, as `vouch scan` does, and
 * hands them to its shell (`src/mcp/`, …), loaded only when its command runs.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { PackageCheckOptions } from '../index.js';
import { configInScannedTree, loadConfig } from '../pipeline/config.js';
import type { CliIO } from './io.js';
import { cliLogger } from './progress.js';
import { addCheckOptions, type ReportFlags, reportScanOptions } from './scan-options.js';

type CheckFlags = Omit<ReportFlags, 'format' | 'output'>;

/**
 * What every surface checks with: the flags over the configuration file, as `vouch scan` reads them, and the
 * gate (`failOn`, thresholds per kind, `strict`) that decides each package's verdict.
 */
function checkSettings(
  io: CliIO,
  flags: CheckFlags,
  scanned: readonly string[],
): PackageCheckOptions & { maxFileSize?: number } {
  const config = loadConfig(io.cwd, flags.config);
  const logger = cliLogger(io);
  const selfConfigured = configInScannedTree(config, scanned, io.cwd);
  if (selfConfigured) logger.warn(selfConfigured);
  const failOn = flags.failOn ?? config.failOn;
  const strict = flags.strict ?? config.strict;
  return {
    ...reportScanOptions(flags as ReportFlags, config, io, logger),
    gate: {
      ...(failOn !== undefined ? { failOn } : {}),
      ...(config.failOnKind ? { failOnKind: config.failOnKind } : {}),
      ...(strict !== undefined ? { strict } : {}),
    },
  };
}

export function registerSurfaceCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const mcp = program
    .command('mcp')
    .description('serve the checks as MCP tools on standard input/output (for assistants and IDEs)')
    .argument('[roots...]', 'folders scan_path may read (default: the working directory)');
  addCheckOptions(mcp).action(async (roots: string[], flags: CheckFlags) => {
    const { serveMcp } = await import('../mcp/server.js');
    const folders = roots.length > 0 ? roots.map((root) => resolve(io.cwd, root)) : [io.cwd];
    const { maxFileSize, ...check } = checkSettings(io, flags, folders);
    await serveMcp({ check, roots: folders, ...(maxFileSize !== undefined ? { maxFileSize } : {}) });
    setExit(0);
  });
}
