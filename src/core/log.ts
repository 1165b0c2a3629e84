/**
 * The library never prints. Everything it has to say on the way goes through a Logger that the caller
 * supplies: the CLI renders it on stderr (progress on a TTY only), the servers forward or drop it.
 */
export interface ProgressEvent {
  /** What is being done: `scan`, `import`, `simulate`. */
  task: string;
  done: number;
  /** Unknown while walking. */
  total?: number;
  detail?: string;
}

export interface Logger {
  progress(event: ProgressEvent): void;
  warn(message: string): void;
  debug(message: string): void;
}

export const silentLogger: Logger = {
  progress() {},
  warn() {},
  debug() {},
};
