/**
 * The few error classes of Vouch. Each has a `code`; `cli/exit.ts` is the one place that turns them into a
 * message and an exit code. Per-file problems are not errors: they are `FileError` data in the result.
 */
export type VouchErrorCode =
  /** The user asked for something that makes no sense (bad flag value, missing input). Exit 2. */
  | 'USAGE'
  /** An input could not be read at all (missing path, unreadable stdin). Exit 2. */
  | 'INPUT'
  /** A configuration file is invalid. Exit 2. */
  | 'CONFIG'
  /** A network or data source failed in a way the command cannot work around. Exit 3. */
  | 'UNAVAILABLE'
  /** A bug. Exit 3. */
  | 'INTERNAL';

export class VouchError extends Error {
  override readonly name = 'VouchError';

  constructor(
    readonly code: VouchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function usageError(message: string): VouchError {
  return new VouchError('USAGE', message);
}

export function inputError(message: string, cause?: unknown): VouchError {
  return new VouchError('INPUT', message, { cause });
}

/** A short, single-line description of anything thrown, for per-file errors. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
