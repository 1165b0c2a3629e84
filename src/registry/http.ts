/**
 * The one HTTP client of the registry checks: timeouts, a connection limit per host, retries with
 * exponential backoff and jitter on network errors, 429 and 5xx (honouring Retry-After), and errors
 * classified so that callers can tell "the registry says no" (404) from "the registry could not be asked"
 * (everything else). Credentials travel in headers only and never appear in messages or logs.
 */
import type { Dispatcher } from 'undici';
import { lazy } from '../core/lazy.js';
import type { Logger } from '../core/log.js';
import type { Env } from '../core/paths.js';
import { VERSION } from '../version.js';

const undici = lazy<typeof import('undici')>('undici');

export interface HttpSettings {
  /** No response headers, or no body data, for this long fails the attempt. Default 15 s. */
  timeoutMs?: number;
  /** Attempts after the first, on network errors, 429 and 5xx. Default 3. */
  retries?: number;
  /** Wait before the first retry, doubled for each later one, with jitter. Default 250 ms. */
  backoffMs?: number;
  /** A longer Retry-After gives up at once instead of stalling the scan. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Open connections per host; further requests queue. Default 16. */
  connectionsPerHost?: number;
  /** A larger body is an invalid answer. Default 64 MiB (the largest npm packuments are tens of MB). */
  maxBytes?: number;
  /** Proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) are read from it. */
  env?: Env;
  logger?: Logger;
}

export type HttpAnswer =
  | { status: 200; body: string; contentType?: string; etag?: string; lastModified?: string }
  | { status: 304 }
  | { status: 404 };

/**
 * `unavailable`: the registry could not be asked (network, timeout, 5xx, 429, 401/403, other statuses);
 * `invalid`: it answered with something that is not a usable document. Neither is evidence about a package.
 */
export class RegistryHttpError extends Error {
  override readonly name = 'RegistryHttpError';

  constructor(
    readonly kind: 'unavailable' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    /** The host did not answer at all (refused, unreachable, timed out), as opposed to an HTTP status. */
    readonly silent = false,
  ) {
    super(message);
  }
}

/** Attempts in a row that a host left unanswered before the rest of the scan stops asking it. */
const SILENT_ATTEMPTS_BEFORE_GIVING_UP = 6;

const RETRYABLE_STATUS = (status: number) => status === 429 || status === 408 || status >= 500;

/** `https://user:secret@host/simple` → `https://host/simple`, for anything shown to a person. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly closer: { close(): Promise<void> };
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxBytes: number;
  private readonly logger: Logger | undefined;
  /** Per origin: attempts in a row that got no answer at all, and the last reason. */
  private readonly silence = new Map<string, { attempts: number; reason: string }>();

  constructor(settings: HttpSettings = {}) {
    this.timeoutMs = settings.timeoutMs ?? 15_000;
    this.retries = settings.retries ?? 3;
    this.backoffMs = settings.backoffMs ?? 250;
    this.maxRetryAfterMs = settings.maxRetryAfterMs ?? 30_000;
    this.maxBytes = settings.maxBytes ?? 64 * 1024 ** 2;
    this.logger = settings.logger;
    const env = settings.env ?? {};
    const options = {
      connections: settings.connectionsPerHost ?? 16,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    };
    const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
    const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
    const { Agent, EnvHttpProxyAgent, interceptors } = undici();
    const base =
      httpsProxy || httpProxy
        ? new EnvHttpProxyAgent({
            ...options,
            ...(httpProxy ? { httpProxy } : {}),
            ...(httpsProxy ? { httpsProxy } : {}),
            ...((env.NO_PROXY ?? env.no_proxy) ? { noProxy: env.NO_PROXY ?? env.no_proxy } : {}),
          })
        : new Agent(options);
    this.closer = base;
    this.dispatcher = base.compose(interceptors.redirect({ maxRedirections: 5 }));
  }

  /**
   * GET with retries. Resolves with 200 (body as text), 304 (the caller's copy is current) or 404; throws
   * RegistryHttpError for anything else once the attempts are used up.
   */
  async get(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const { target, auth } = splitCredentials(url);
    const allHeaders: Record<string, string> = { 'user-agent': `vouch/${VERSION}`, ...headers };
    if (auth && !('authorization' in allHeaders)) allHeaders.authorization = auth;
    const shown = redactUrl(url);
    const origin = originOf(target);
    for (let attempt = 0; ; attempt++) {
      const quiet = this.silence.get(origin);
      // A registry that stopped answering is not asked again for every remaining package of the scan.
      if (quiet && quiet.attempts >= SILENT_ATTEMPTS_BEFORE_GIVING_UP)
        throw new RegistryHttpError(
          'unavailable',
          `${quiet.reason} (the registry stopped answering; not asked again)`,
        );
      const started = performance.now();
      try {
        const answer = await this.attempt(target, allHeaders);
        this.silence.delete(origin);
        this.logger?.debug(
          `GET ${shown} → ${answer.status} in ${Math.round(performance.now() - started)} ms`,
        );
        return answer;
      } catch (error) {
        if (!(error instanceof RetryableError)) {
          if (error instanceof RegistryHttpError && error.kind === 'unavailable') this.silence.delete(origin);
          throw error;
        }
        if (error.silent) {
          const previous = this.silence.get(origin)?.attempts ?? 0;
          this.silence.set(origin, { attempts: previous + 1, reason: error.message });
        } else this.silence.delete(origin);
        if (attempt >= this.retries)
          throw new RegistryHttpError(
            'unavailable',
            `${error.message} (after ${attempt + 1} attempt${attempt === 0 ? '' : 's'})`,
          );
        if (error.retryAfterMs !== undefined && error.retryAfterMs > this.maxRetryAfterMs)
          throw new RegistryHttpError(
            'unavailable',
            `${error.message}: the registry asks to wait ${Math.ceil(error.retryAfterMs / 1000)} s`,
          );
        const backoff = this.backoffMs * 2 ** attempt * (0.5 + Math.random());
        const wait = error.retryAfterMs ?? backoff;
        this.logger?.debug(`GET ${shown}: ${error.message}; retrying in ${Math.round(wait)} ms`);
        await new Promise((done) => setTimeout(done, wait));
      }
    }
  }

  private async attempt(url: string, headers: Record<string, string>): Promise<HttpAnswer> {
    let response: Dispatcher.ResponseData;
    try {
      response = await undici().request(url, {
        method: 'GET',
        headers,
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (error) {
      throw new RetryableError(networkMessage(error), undefined, true);
    }
    const { statusCode, headers: responseHeaders, body } = response;
    const header = (name: string) => {
      const value = responseHeaders[name];
      return Array.isArray(value) ? value[0] : value;
    };
    if (statusCode === 200) {
      const text = await this.readBody(body);
      const answer: HttpAnswer = { status: 200, body: text };
      const contentType = header('content-type');
      const etag = header('etag');
      const lastModified = header('last-modified');
      if (contentType) answer.contentType = contentType;
      if (etag) answer.etag = etag;
      if (lastModified) answer.lastModified = lastModified;
      return answer;
    }
    await body.dump().catch(() => {});
    if (statusCode === 304) return { status: 304 };
    if (statusCode === 404) return { status: 404 };
    if (RETRYABLE_STATUS(statusCode))
      throw new RetryableError(
        statusCode === 429 ? 'rate limited (HTTP 429)' : `HTTP ${statusCode}`,
        parseRetryAfter(header('retry-after')),
      );
    if (statusCode === 401 || statusCode === 403)
      throw new RegistryHttpError(
        'unavailable',
        `access denied (HTTP ${statusCode}): check the registry credentials`,
      );
    throw new RegistryHttpError('unavailable', `unexpected answer HTTP ${statusCode}`);
  }

  private async readBody(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBytes) {
          body.destroy();
          throw new RegistryHttpError(
            'invalid',
            `the answer is larger than ${Math.round(this.maxBytes / 1024 ** 2)} MiB`,
          );
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof RegistryHttpError) throw error;
      // A connection cut mid-body (truncated answer, reset, body timeout) is worth another attempt.
      throw new RetryableError(networkMessage(error));
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async close(): Promise<void> {
    await this.closer.close();
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Credentials written into a URL (pip's style) become a Basic authorization header. */
function splitCredentials(url: string): { target: string; auth?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { target: url };
  }
  if (!parsed.username && !parsed.password) return { target: url };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return {
    target: parsed.toString(),
    auth: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}

function networkMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  switch (code ?? cause) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timed out';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'truncated answer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    default:
      return `network error: ${error instanceof Error ? error.message : String(error)}`;
  }
}
