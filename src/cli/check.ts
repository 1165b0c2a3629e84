import type { Command } from 'commander';
import { check } from '../pipeline/check.js';
import { loadConfig } from '../pipeline/config.js';
import type { CliIO } from './io.js';
import { cliLogger } from './progress.js';
import { readStdinInput, writeReport } from './report.js';
import { addReportOptions, type ReportFlags, reportScanOptions } from './scan-options.js';

/** `vouch check FILE|-`: the answers of assistant conversations, each scanned as a document. */
export function registerCheckCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('check')
    .description(
      'check the assistant answers of conversations: markdown, OpenAI or Anthropic JSON, or JSON lines of them; - reads standard input',
    )
    .argument('<files...>', 'conversation files, or - for standard input');
  addReportOptions(command).action(async (files: string[], flags: ReportFlags) => {
    setExit(await runCheck(io, files, flags));
  });
}

async function runCheck(io: CliIO, files: string[], flags: ReportFlags): Promise<number> {
  const config = loadConfig(io.cwd, flags.config);
  const logger = cliLogger(io);
  const options = reportScanOptions(flags, config, io, logger);
  const result = await check(files, {
    ...options,
    stdin: await readStdinInput(io, files, options.maxFileSize),
  });
  logger.finish();
  return writeReport(io, result, flags, config);
}
