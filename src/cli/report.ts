/**
 * What the scanning commands do once the library has answered: standard input read to the size limit, the
 * report written in every format asked for, the baseline recorded, and the exit code the gate decides.
 */
import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeError, inputError, usageError } from '../core/errors.js';
import { makeFolders } from '../core/paths.js';
import { DEFAULT_MAX_FILE_SIZE } from '../inputs/walk.js';
import type { ScanResult } from '../model/result.js';
import { acceptAsBaseline, baselineText } from '../pipeline/baseline.js';
import type { VouchConfig } from '../pipeline/config.js';
import { verdictFor } from '../pipeline/policy.js';
import { STDIN } from '../pipeline/scan.js';
import { oneLine } from '../reporters/escape.js';
import { REPORTERS } from '../reporters/registry.js';
import type { Reporter } from '../reporters/types.js';
import { type CliIO, useColor } from './io.js';
import type { ReportFlags } from './scan-options.js';

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
