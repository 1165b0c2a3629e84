import { CommanderError } from 'commander';
import { VouchError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { describeStorageTrouble, storageTrouble } from '../core/sqlite.js';
import { plain } from '../reporters/escape.js';

/** The one place that turns a thrown error into what the user reads and the exit code. */
export function translateError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof VouchError) {
    const exitCode = error.code === 'UNAVAILABLE' || error.code === 'INTERNAL' ? EXIT.internal : EXIT.input;
    return { message: `vouch: ${plain(error.message)}`, exitCode };
  }
  // A full disk or a damaged database is the user's to fix, never "please report it".
  const trouble = storageTrouble(error);
  if (trouble)
    return {
      message: `vouch: ${describeStorageTrouble(trouble, error)}${trouble === 'corrupt' ? '; rebuild the vulnerability database with vouch db update (or vouch db import)' : ''}`,
      exitCode: EXIT.input,
    };
  if (error instanceof CommanderError) {
    return { message: '', exitCode: error.exitCode === 0 ? EXIT.clean : EXIT.input };
  }
  const detail = plain(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return {
    message: `vouch: internal error, please report it with the command you ran:\n${detail}`,
    exitCode: EXIT.internal,
  };
}
