/**
 * Sends one provider request and reads the whole answer. One attempt only: retries, rate limits and
 * Retry-After are the runner's, which sees every provider's state.
 *
 * Why not `registry/http.ts`'s HttpClient: it only GETs, retries inside `get()` (the runner must count
 * attempts against a provider's request rate, pause the provider on a 429, and record the final attempt in
 * a cassette), and maps every non-200 to an error without the body, which carries the provider's reason.
 * Its Retry-After parsing and URL redaction are shared.
 */
import type { Dispatcher } from 'undici';
import { lazy } from '../../core/lazy.js';
import { parseRetryAfter } from '../../registry/http.js';
import { VERSION } from '../../version.js';
import type { ProviderRequest } from './types.js';

const undici = lazy<typeof import('undici')>('undici');

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

/** The request could not be completed: refused, reset, timed out, cut off. Worth another attempt. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

export interface Transport {
  send(request: ProviderRequest, timeoutMs: number): Promise<Exchange>;
  close(): Promise<void>;
}

/** One connection pool per provider, as wide as its concurrency. */
export function httpTransport(connections: number): Transport {
  let agent: Dispatcher | undefined;
  const dispatcher = () => {
    agent ??= new (undici().Agent)({ connections, keepAliveTimeout: 10_000 });
    return agent;
  };
  return {
    async send(request, timeoutMs) {
      const started = performance.now();
      let response: Dispatcher.ResponseData;
      try {
        response = await undici().request(request.url, {
          method: 'POST',
          headers: { 'user-agent': `vouch/${VERSION}`, ...request.headers },
          body: request.body,
          dispatcher: dispatcher(),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (error) {
        throw new NetworkError(networkMessage(error));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let firstByteMs: number | undefined;
      try {
        for await (const chunk of response.body) {
          firstByteMs ??= performance.now() - started;
          size += (chunk as Buffer).length;
          if (size > MAX_ANSWER_BYTES) {
            response.body.destroy();
            throw new NetworkError(`the answer is larger than ${MAX_ANSWER_BYTES / 1024 ** 2} MiB`);
          }
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        if (error instanceof NetworkError) throw error;
        throw new NetworkError(networkMessage(error));
      }
      const elapsedMs = performance.now() - started;
      const retryAfter = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return {
        status: response.statusCode,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        firstByteMs: firstByteMs ?? elapsedMs,
        elapsedMs,
      };
    },
    async close() {
      await agent?.close();
    },
  };
}

function networkMessage(error: unknown): string {
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timed out';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'connection reset';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'truncated answer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    default:
      return `network error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}
