import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface Run {
  exit: number;
  stdout: string;
  stderr: string;
}

/** The CLI in-process, with its own streams; the cache is the test run's own, never the user's. */
export async function runCli(
  args: string[],
  opts: { cwd: string; stdin?: string; env?: CliIO['env'] },
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { VOUCH_CACHE_DIR: process.env.VOUCH_CACHE_DIR, ...opts.env },
    cwd: opts.cwd,
    readStdin: async () => opts.stdin ?? '',
  };
  const exit = await main(args, io);
  return { exit, stdout, stderr };
}
