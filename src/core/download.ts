/**
 * Downloads one file over HTTP(S) (OSV archives, the popular-names lists): conditional on a stored ETag, with
 * timeouts, retries with backoff on network errors, 429 and 5xx (honouring Retry-After; a host that cannot be
 * resolved or reached at all fails at once), a size limit, and
 * the sha256 of what was received. The HTTP itself is `http.ts`'s.
 */
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { VouchError } from './errors.js';
import {
  afterAttempts,
  backoffDelay,
  HttpPool,
  HttpStatusError,
  InvalidBodyError,
  NetworkError,
  redactUrl,
} from './http.js';
import { type Logger, silentLogger } from './log.js';

export interface DownloadOptions {
  /** No response headers within this long fails the attempt. Default 30 s. */
  headersTimeoutMs?: number;
  /** No body data for this long fails the attempt. Default 60 s. */
  bodyTimeoutMs?: number;
  /** Attempts after the first, on network errors, 429 and 5xx. Default 3. */
  retries?: number;
  /** Wait before the first retry, doubled for each later one, with jitter. Default 1 s. */
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

let sharedPool: HttpPool | undefined;

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
  const shown = redactUrl(url);
  for (let retry = 0; ; retry++) {
    let wait: number;
    try {
      return await attemptDownload(url, dest, options);
    } catch (error) {
      rmSync(dest, { force: true });
      if (error instanceof VouchError) throw error;
      // A machine that cannot resolve or reach the host will not a second later: fail at once.
      if (error instanceof NetworkError && error.unreachable)
        throw new VouchError('UNAVAILABLE', `${shown}: ${describe(error)}`, { cause: error });
      if (retry >= retries)
        throw new VouchError('UNAVAILABLE', `${shown}: ${describe(error)} ${afterAttempts(retry + 1)}`, {
          cause: error,
        });
      // A database update can wait for a busy server, unlike a scan: a long Retry-After is cut, not refused.
      const retryAfterMs = error instanceof HttpStatusError ? error.retryAfterMs : undefined;
      wait =
        retryAfterMs !== undefined
          ? Math.min(retryAfterMs, options.maxRetryAfterMs ?? 60_000)
          : backoffDelay(options.backoffMs ?? 1000, retry);
      logger.warn(`${shown}: ${describe(error)}; retrying in ${Math.round(wait / 100) / 10}s`);
    }
    await sleep(wait);
  }
}

/** Throws VouchError for what retrying cannot fix; anything else is worth another attempt. */
async function attemptDownload(
  url: string,
  dest: string,
  options: DownloadOptions & { etag?: string },
): Promise<DownloadResult> {
  sharedPool ??= new HttpPool({ maxRedirections: 5 });
  const response = await sharedPool.send(url, {
    headers: options.etag ? { 'if-none-match': options.etag } : {},
    headersTimeoutMs: options.headersTimeoutMs ?? 30_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 60_000,
  });
  if (response.status === 304) {
    await response.discard();
    return { status: 'not-modified' };
  }
  if (response.status !== 200) {
    await response.discard();
    const error = new HttpStatusError(response);
    if (error.retryable) throw error;
    throw new VouchError('UNAVAILABLE', `${redactUrl(url)}: ${error.message}`);
  }
  const saved = await response.saveTo(dest, options.maxBytes ?? 4 * 1024 ** 3).catch((error: unknown) => {
    throw error instanceof InvalidBodyError
      ? new VouchError('UNAVAILABLE', `${redactUrl(url)}: ${error.message}`)
      : error;
  });
  const result: DownloadResult = { status: 'downloaded', ...saved };
  const etag = response.header('etag');
  if (etag !== undefined) result.etag = etag;
  return result;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
