import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface Run {
  exit: number;
  stdout: string;
  stderr: string;
  /** The size limit the CLI asked standard input to be read up to, when it read it. */
  stdinLimit?: number;
}

/** The CLI in-process, with its own streams; the cache is the test run's own, never the user's. */
export async function runCli(
  args: string[],
  opts: { cwd: string; stdin?: string; env?: CliIO['env'] },
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let stdinLimit: number | undefined;
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { VOUCH_CACHE_DIR: process.env.VOUCH_CACHE_DIR, ...opts.env },
    cwd: opts.cwd,
    readStdin: async (limit) => {
      stdinLimit = limit;
      return (opts.stdin ?? '').slice(0, limit + 1);
    },
  };
  const exit = await main(args, io);
  return { exit, stdout, stderr, ...(stdinLimit !== undefined ? { stdinLimit } : {}) };
}

/** The CLI in-process without the network or the vulnerability database: registry and advisory checks off. */
export function runOffline(args: string[], cwd: string, stdin?: string): Promise<Run> {
  return runCli([...args, '--no-registry', '--no-database'], {
    cwd,
    ...(stdin !== undefined ? { stdin } : {}),
  });
}
