/**
 * Downloads one file over HTTP(S) for the vulnerability database: conditional on a stored ETag, with
 * timeouts, retries with backoff on network errors, 429 and 5xx (honouring Retry-After), a size limit, and
 * the sha256 of what was received.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { VouchError } from '../core/errors.js';
import { lazy } from '../core/lazy.js';
import { type Logger, silentLogger } from '../core/log.js';
import { VERSION } from '../version.js';

const undici = lazy<typeof import('undici')>('undici');

export interface DownloadOptions {
  /** No response headers within this long fails the attempt. Default 30 s. */
  headersTimeoutMs?: number;
  /** No body data for this long fails the attempt. Default 60 s. */
  bodyTimeoutMs?: number;
  /** Attempts after the first, on network errors, 429 and 5xx. Default 3. */
  retries?: number;
  /** Wait before the first retry, doubled for each later one. Default 1 s. */
  backoffMs?: number;
  /** The longest Retry-After that is honoured; longer ones are cut to this. Default 60 s. */
  maxRetryAfterMs?: number;
  /** A larger body fails the download. Default 4 GiB. */
  maxBytes?: number;
  logger?: Logger;
}

export type DownloadResult =
  | { status: 'not-modified' }
  | { status: 'downloaded'; etag?: string; sha256: string; bytes: number };

const RETRYABLE_STATUS = (status: number) => status === 429 || status >= 500;

let sharedDispatcher: Dispatcher | undefined;
function dispatcher(): Dispatcher {
  sharedDispatcher ??= new (undici().Agent)().compose(undici().interceptors.redirect({ maxRedirections: 5 }));
  return sharedDispatcher;
}

/**
 * Writes the body of `url` to `dest`. With `etag`, a 304 answer means the copy the caller has is current.
 * Throws a VouchError (`UNAVAILABLE`) once the attempts are used up or on an answer retrying cannot fix.
 */
export async function download(
  url: string,
  dest: string,
  options: DownloadOptions & { etag?: string } = {},
): Promise<DownloadResult> {
  const logger = options.logger ?? silentLogger;
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? 1000;
  let attempt = 0;
  for (;;) {
    let wait: number | undefined;
    try {
      return await attemptDownload(url, dest, options);
    } catch (error) {
      rmSync(dest, { force: true });
      const retryable = error instanceof RetryableError;
      if (!retryable && error instanceof VouchError) throw error;
      if (attempt >= retries) {
        throw new VouchError(
          'UNAVAILABLE',
          `${url}: ${describe(error)} (after ${attempt + 1} attempt${attempt === 0 ? '' : 's'})`,
          { cause: error },
        );
      }
      wait =
        retryable && error.retryAfterMs !== undefined
          ? Math.min(error.retryAfterMs, options.maxRetryAfterMs ?? 60_000)
          : backoff * 2 ** attempt;
      logger.warn(`${url}: ${describe(error)}; retrying in ${Math.round(wait / 100) / 10}s`);
    }
    attempt++;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

async function attemptDownload(
  url: string,
  dest: string,
  options: DownloadOptions & { etag?: string },
): Promise<DownloadResult> {
  const headers: Record<string, string> = { 'user-agent': `vouch/${VERSION}` };
  if (options.etag) headers['if-none-match'] = options.etag;
  const response = await undici().request(url, {
    method: 'GET',
    headers,
    dispatcher: dispatcher(),
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 60_000,
  });
  const { statusCode } = response;
  if (statusCode === 304) {
    await response.body.dump();
    return { status: 'not-modified' };
  }
  if (statusCode !== 200) {
    await response.body.dump();
    const message = `HTTP ${statusCode}`;
    if (RETRYABLE_STATUS(statusCode))
      throw new RetryableError(message, retryAfter(response.headers['retry-after']));
    throw new VouchError('UNAVAILABLE', `${url}: ${message}`);
  }
  const maxBytes = options.maxBytes ?? 4 * 1024 ** 3;
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.dump();
    throw new VouchError('UNAVAILABLE', `${url}: ${declared} bytes is more than the limit of ${maxBytes}`);
  }
  const hash = createHash('sha256');
  const out = createWriteStream(dest);
  let bytes = 0;
  try {
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      if (bytes > maxBytes)
        throw new VouchError('UNAVAILABLE', `${url}: more than the limit of ${maxBytes} bytes`);
      hash.update(buffer);
      if (!out.write(buffer)) await once(out, 'drain');
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
  if (Number.isFinite(declared) && bytes !== declared)
    throw new RetryableError(`truncated download: received ${bytes} of ${declared} bytes`);
  const etag = response.headers.etag;
  const result: DownloadResult = { status: 'downloaded', sha256: hash.digest('hex'), bytes };
  if (typeof etag === 'string') result.etag = etag;
  return result;
}

/** Retry-After is either seconds or an HTTP date. */
function retryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
