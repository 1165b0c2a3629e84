/**
 * Sends one provider request and reads the whole answer, whatever its status: the body of a refusal carries
 * the provider's reason. One attempt only: retries, rate limits and Retry-After are the runner's, which sees
 * every provider's state (it counts attempts against a provider's request rate, pauses the provider on a
 * 429 and records the final attempt in a cassette). The HTTP itself is `registry/http.ts`'s.
 */
import { HttpPool, InvalidBodyError, NetworkError } from '../../core/http.js';
import type { ProviderRequest } from './types.js';

export { NetworkError };

/** An answer's body larger than this is cut off and the attempt fails. */
const MAX_ANSWER_BYTES = 32 * 1024 ** 2;

interface Exchange {
  status: number;
  body: string;
  /** From Retry-After (seconds or an HTTP date). */
  retryAfterMs?: number;
  /** From the request's start to the answer's first body byte (headers for an empty body). */
  firstByteMs: number;
  elapsedMs: number;
}

export interface Transport {
  /** `timeoutMs` of silence, or `deadlineMs` in all, fails the attempt. */
  send(request: ProviderRequest, timeoutMs: number, deadlineMs?: number): Promise<Exchange>;
  close(): Promise<void>;
}

/** One connection pool per provider, as wide as its concurrency. */
export function httpTransport(connections: number): Transport {
  const pool = new HttpPool({ connections, keepAliveTimeoutMs: 10_000 });
  return {
    async send(request, timeoutMs, deadlineMs) {
      const started = performance.now();
      const response = await pool.send(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: timeoutMs,
        ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      });
      const body = await response.text(MAX_ANSWER_BYTES).catch((error: unknown) => {
        // Like a cut stream, a runaway answer may not happen again: the runner retries it.
        throw error instanceof InvalidBodyError ? new NetworkError(error.message, true) : error;
      });
      const elapsedMs = performance.now() - started;
      const { retryAfterMs } = response;
      return {
        status: response.status,
        body,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        firstByteMs: response.firstByteAt !== undefined ? response.firstByteAt - started : elapsedMs,
        elapsedMs,
      };
    },
    close: () => pool.close(),
  };
}
