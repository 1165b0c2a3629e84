/** What the CLI touches of the process, so tests can run it in-process with their own streams. */
export interface CliIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  /** Standard input as text; reading stops once it is over `limit` bytes (the scan then refuses it). */
  readStdin(limit: number): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    async readStdin(limit) {
      const chunks: Buffer[] = [];
      let length = 0;
      for await (const chunk of process.stdin) {
        chunks.push(chunk as Buffer);
        length += (chunk as Buffer).length;
        if (length > limit) break; // leaving the loop destroys the stream: the rest is never read
      }
      return Buffer.concat(chunks)
        .subarray(0, limit + 1)
        .toString('utf8');
    },
  };
}

/** Colour on a TTY, never with NO_COLOR set (https://no-color.org), always with FORCE_COLOR. */
export function useColor(stream: { isTTY?: boolean }, env: CliIO['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
