/**
 * Vouch's one HTTP layer. `HttpPool` owns the connections (proxy from the environment, redirects,
 * keep-alive) and sends single attempts with timeouts whose failures are classified: no answer or an answer
 * cut off (`NetworkError`, worth another attempt), an answer over the caller's size limit (`InvalidBodyError`),
 * a status the caller cannot use (`HttpStatusError`, retryable by one rule). Retry-After, the backoff
 * schedule and URL redaction live here too.
 *
 * `HttpClient` is the registry checks' client on top of it: GETs with retries, a connection limit per host,
 * and errors that tell "the registry says no" (404) from "the registry could not be asked". The archive
 * download (`vulndb/download.ts`) retries with its own limits; the simulation runner makes one attempt per
 * call and retries itself, because it counts attempts against a provider's rate and pauses it on a 429.
 * Credentials travel in headers only and never appear in messages or logs.
 */
import { createHash } from 'node:crypto';
import { once, setMaxListeners } from 'node:events';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { lazy } from './lazy.js';
import type { Logger } from './log.js';
import type { Env } from './paths.js';
import { VERSION } from './version.js';

const undici = lazy<typeof import('undici')>('undici');

export interface PoolOptions {
  /** Open connections per host; further requests queue. Default: no limit. */
  connections?: number;
  /** How long an idle connection stays open for the next request. Default: undici's. */
  keepAliveTimeoutMs?: number;
  /** Redirects followed; without, a redirect is the answer. */
  maxRedirections?: number;
  /** Proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) are read from it. Default: no proxy. */
  env?: Env;
}

export interface SendOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** No response headers within this long fails the attempt. */
  headersTimeoutMs: number;
  /** No body data for this long fails the attempt. */
  bodyTimeoutMs: number;
  /**
   * The whole exchange, headers and body, taking longer than this fails the attempt: a server that
   * trickles a byte (or a keep-alive comment) within every idle timeout is still cut off.
   */
  deadlineMs?: number;
  /** Aborts the attempt when it fires (a budget for a whole piece of work); its reason is the message. */
  signal?: AbortSignal;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** The message an Error-like abort reason carries, or a generic one. */
function abortReasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : 'aborted';
}

/**
 * One attempt's total deadline and outer abort signal, merged into the signal undici is given; `why()` says
 * which fired. `done()` releases the timer and the listener once the body is read or dropped.
 */
class AttemptLimits {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private expired = false;

  constructor(
    private readonly deadlineMs: number | undefined,
    private readonly outer: AbortSignal | undefined,
  ) {
    if (deadlineMs !== undefined) {
      this.timer = setTimeout(() => {
        this.expired = true;
        this.controller.abort();
      }, deadlineMs);
      this.timer.unref();
    }
    if (outer?.aborted) this.controller.abort();
    else outer?.addEventListener('abort', this.onOuter, { once: true });
  }

  private readonly onOuter = () => this.controller.abort();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  why(): string | undefined {
    if (this.outer?.aborted) return abortReasonText(this.outer.reason);
    if (this.expired) return `timed out: no complete answer within ${seconds(this.deadlineMs ?? 0)}`;
    return undefined;
  }

  done(): void {
    if (this.timer) clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuter);
  }
}

/**
 * Bytes of answer bodies held in memory at once, across the requests of one client: a reader waits for
 * room before it takes more, except the oldest reader, which always proceeds (so the readers can never
 * all wait for each other). A body's bytes are given back once it has been handed over as text.
 */
export class ByteBudget {
  private used = 0;
  private readonly readers: ByteLease[] = [];
  private readonly waiting: { lease: ByteLease; bytes: number; go: () => void }[] = [];

  constructor(readonly limit: number) {}

  lease(): ByteLease {
    const lease = new ByteLease(this);
    this.readers.push(lease);
    return lease;
  }

  /** Bytes in use now. */
  get inUse(): number {
    return this.used;
  }

  /** @internal */
  take(lease: ByteLease, bytes: number): Promise<void> | undefined {
    if (!this.fits(lease, bytes)) return new Promise((go) => this.waiting.push({ lease, bytes, go }));
    this.grant(lease, bytes);
    return undefined;
  }

  /** @internal */
  release(lease: ByteLease): void {
    this.used -= lease.held;
    lease.held = 0;
    const at = this.readers.indexOf(lease);
    if (at !== -1) this.readers.splice(at, 1);
    for (let i = 0; i < this.waiting.length; ) {
      const next = this.waiting[i]!;
      if (!this.fits(next.lease, next.bytes)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.grant(next.lease, next.bytes);
      next.go();
    }
  }

  private fits(lease: ByteLease, bytes: number): boolean {
    return this.used + bytes <= this.limit || this.readers[0] === lease;
  }

  private grant(lease: ByteLease, bytes: number): void {
    this.used += bytes;
    lease.held += bytes;
  }
}

/** One body's share of a ByteBudget. */
export class ByteLease {
  held = 0;

  constructor(private readonly budget: ByteBudget) {}

  /** Resolves when the bytes fit (at once, most of the time). */
  take(bytes: number): Promise<void> | undefined {
    return this.budget.take(this, bytes);
  }

  release(): void {
    this.budget.release(this);
  }
}

/** No answer, or an answer cut off: refused, reset, timed out, truncated. Another attempt may get through. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(
    message: string,
    /** The host sent a status before the failure, as opposed to not answering at all. */
    readonly answered: boolean,
    /** No connection could be made at all (host not found, refused, no route): retrying now is futile. */
    readonly unreachable = false,
  ) {
    super(message);
  }
}

/** The answer is larger than the caller's limit. */
export class InvalidBodyError extends Error {
  override readonly name = 'InvalidBodyError';
}

/** An answer whose status the caller cannot use; `retryable` when a later attempt may get another one. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(response: HttpResponse) {
    super(statusMessage(response.status));
    this.retryable = isRetryableStatus(response.status);
    this.retryAfterMs = response.retryAfterMs;
  }
}

/** Statuses a later attempt may not meet: request timeout, rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

function statusMessage(status: number): string {
  return status === 429 ? 'rate limited (HTTP 429)' : `HTTP ${status}`;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (0 for the first) when the server named none: doubled for each
 * retry, with jitter so that clients that failed together do not come back together.
 */
export function backoffDelay(baseMs: number, retry: number): number {
  return baseMs * 2 ** retry * (0.5 + Math.random());
}

/** The end of a message about a request that was given up. */
export function afterAttempts(attempts: number): string {
  return `(after ${attempts} attempt${attempts === 1 ? '' : 's'})`;
}

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

/** Connections to any hosts: proxy, redirects, keep-alive and the number of connections per host. */
export class HttpPool {
  private readonly agent: Dispatcher;
  private readonly dispatcher: Dispatcher;

  constructor(options: PoolOptions = {}) {
    const { connections, keepAliveTimeoutMs, maxRedirections, env = {} } = options;
    const agentOptions = {
      ...(connections !== undefined ? { connections } : {}),
      ...(keepAliveTimeoutMs !== undefined ? { keepAliveTimeout: keepAliveTimeoutMs } : {}),
    };
    const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
    const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
    const noProxy = env.NO_PROXY ?? env.no_proxy;
    const { Agent, EnvHttpProxyAgent, interceptors } = undici();
    this.agent =
      httpsProxy || httpProxy
        ? new EnvHttpProxyAgent({
            ...agentOptions,
            ...(httpProxy ? { httpProxy } : {}),
            ...(httpsProxy ? { httpsProxy } : {}),
            ...(noProxy ? { noProxy } : {}),
          })
        : new Agent(agentOptions);
    this.dispatcher = maxRedirections
      ? this.agent.compose(interceptors.redirect({ maxRedirections }))
      : this.agent;
  }

  /**
   * One attempt. Resolves once a status and headers arrived, whatever the status; throws NetworkError
   * when none did.
   */
  async send(url: string, options: SendOptions): Promise<HttpResponse> {
    const limits = new AttemptLimits(options.deadlineMs, options.signal);
    try {
      const response = await undici().request(url, {
        method: options.method ?? 'GET',
        headers: { 'user-agent': `vouch/${VERSION}`, ...options.headers },
        ...(options.body !== undefined ? { body: options.body } : {}),
        dispatcher: this.dispatcher,
        headersTimeout: options.headersTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
        signal: limits.signal,
      });
      return new HttpResponse(response, limits);
    } catch (error) {
      limits.done();
      throw new NetworkError(limits.why() ?? networkMessage(error), false, isUnreachable(error));
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** A status and headers; the body is read once, as text, into a file, or discarded. */
export class HttpResponse {
  /** When the first byte of the body arrived (`performance.now()`), once the body was read. */
  firstByteAt: number | undefined;

  constructor(
    private readonly raw: Dispatcher.ResponseData,
    private readonly limits?: AttemptLimits,
  ) {}

  get status(): number {
    return this.raw.statusCode;
  }

  header(name: string): string | undefined {
    const value = this.raw.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  get retryAfterMs(): number | undefined {
    return parseRetryAfter(this.header('retry-after'));
  }

  /**
   * The body as text, decompressed when the server encoded it (NuGet's registrations always are). With a
   * budget, the bytes held while it arrives count against it until the text is handed over.
   */
  async text(maxBytes: number, budget?: ByteBudget): Promise<string> {
    const lease = budget?.lease();
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of this.chunks(maxBytes)) {
        await lease?.take(chunk.length);
        chunks.push(chunk);
      }
      return (await this.decoded(Buffer.concat(chunks), maxBytes)).toString('utf8');
    } finally {
      lease?.release();
    }
  }

  private async decoded(body: Buffer, maxBytes: number): Promise<Buffer> {
    const encoding = this.header('content-encoding')?.trim().toLowerCase();
    if (!encoding || encoding === 'identity') return body;
    const zlib = await import('node:zlib');
    // The limit applies to what the body expands to: a small compressed answer may be a bomb.
    const options = { maxOutputLength: maxBytes };
    return new Promise((resolve, reject) => {
      const done = (error: Error | null, result: Buffer) => {
        if (!error) resolve(result);
        else if (error instanceof RangeError) reject(new InvalidBodyError(tooLarge(maxBytes)));
        else reject(new InvalidBodyError(`the answer could not be decompressed (${error.message})`));
      };
      if (encoding === 'gzip' || encoding === 'x-gzip') zlib.gunzip(body, options, done);
      else if (encoding === 'deflate') zlib.inflate(body, options, done);
      else if (encoding === 'br') zlib.brotliDecompress(body, options, done);
      else reject(new InvalidBodyError(`the answer is in an encoding Vouch does not read (${encoding})`));
    });
  }

  /** Writes the body to `path` as it arrives, hashing it on the way. */
  async saveTo(path: string, maxBytes: number): Promise<{ sha256: string; bytes: number }> {
    const hash = createHash('sha256');
    const out = createWriteStream(path);
    let bytes = 0;
    try {
      for await (const chunk of this.chunks(maxBytes)) {
        bytes += chunk.length;
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
    } finally {
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    }
    return { sha256: hash.digest('hex'), bytes };
  }

  async discard(): Promise<void> {
    await this.raw.body.dump().catch(() => {});
    this.limits?.done();
  }

  /**
   * The body's chunks, failing with NetworkError when the connection breaks or the body is shorter than
   * announced, and with InvalidBodyError past `maxBytes`. What the consumer does with a chunk is its own:
   * its errors are not the network's.
   */
  private async *chunks(maxBytes: number): AsyncGenerator<Buffer> {
    const declared = Number(this.header('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await this.discard();
      throw new InvalidBodyError(tooLarge(maxBytes));
    }
    let bytes = 0;
    try {
      for await (const chunk of this.raw.body) {
        this.firstByteAt ??= performance.now();
        bytes += (chunk as Buffer).length;
        if (bytes > maxBytes) throw new InvalidBodyError(tooLarge(maxBytes));
        yield chunk as Buffer;
      }
    } catch (error) {
      if (error instanceof InvalidBodyError) throw error;
      throw new NetworkError(this.limits?.why() ?? networkMessage(error), true);
    } finally {
      this.limits?.done();
    }
    if (Number.isFinite(declared) && bytes !== declared)
      throw new NetworkError(`truncated answer: received ${bytes} of ${declared} bytes`, true);
  }
}

function tooLarge(maxBytes: number): string {
  const mib = maxBytes / 1024 ** 2;
  return `the answer is larger than ${mib >= 1 ? `${Math.round(mib)} MiB` : `${maxBytes} bytes`}`;
}

const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
}

function isUnreachable(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && UNREACHABLE.has(code);
}

function networkMessage(error: unknown): string {
  const code = errorCode(error);
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
  /** One attempt, headers and whole body, taking longer than this fails. Default 120 s. */
  deadlineMs?: number;
  /**
   * Bytes of bodies held at once across concurrent requests; a reader past it waits for others to finish.
   * Default 256 MiB.
   */
  maxBytesInFlight?: number;
  /** When it fires, requests in flight fail and no more are sent; its reason (an Error) is the message. */
  signal?: AbortSignal;
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

/** Attempts in a row that a host left unanswered before the rest of the scan stops asking it. */
const SILENT_ATTEMPTS_BEFORE_GIVING_UP = 6;

export class HttpClient {
  private connections: HttpPool | undefined;
  private readonly poolOptions: PoolOptions;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxBytes: number;
  private readonly deadlineMs: number;
  private readonly budget: ByteBudget;
  private readonly signal: AbortSignal | undefined;
  private readonly logger: Logger | undefined;
  /** Per origin: attempts in a row that got no answer at all, and the last reason. */
  private readonly silence = new Map<string, { attempts: number; reason: string }>();

  constructor(settings: HttpSettings = {}) {
    this.timeoutMs = settings.timeoutMs ?? 15_000;
    this.retries = settings.retries ?? 3;
    this.backoffMs = settings.backoffMs ?? 250;
    this.maxRetryAfterMs = settings.maxRetryAfterMs ?? 30_000;
    this.maxBytes = settings.maxBytes ?? 64 * 1024 ** 2;
    this.deadlineMs = settings.deadlineMs ?? 120_000;
    this.budget = new ByteBudget(settings.maxBytesInFlight ?? 256 * 1024 ** 2);
    this.signal = settings.signal;
    // Every request in flight listens to the one signal.
    if (this.signal) setMaxListeners(0, this.signal);
    this.logger = settings.logger;
    this.poolOptions = {
      connections: settings.connectionsPerHost ?? 16,
      maxRedirections: 5,
      env: settings.env ?? {},
    };
  }

  /** Made on the first request: a scan answered from the cache never sets up a connection pool. */
  private get pool(): HttpPool {
    this.connections ??= new HttpPool(this.poolOptions);
    return this.connections;
  }

  /**
   * GET with retries. Resolves with 200 (body as text), 304 (the caller's copy is current) or 404; throws
   * RegistryHttpError for anything else once the attempts are used up. `notFound` names further statuses
   * that a protocol defines as "no such package" (the Go module proxy's 410, the sparse index's 410 and
   * 451); they resolve as 404.
   */
  async get(
    url: string,
    headers: Record<string, string> = {},
    notFound: readonly number[] = [],
  ): Promise<HttpAnswer> {
    const { target, auth } = splitCredentials(url);
    const allHeaders = { ...headers };
    if (auth && !('authorization' in allHeaders)) allHeaders.authorization = auth;
    const shown = redactUrl(url);
    const origin = originOf(target);
    for (let attempt = 0; ; attempt++) {
      this.throwIfStopped();
      const quiet = this.silence.get(origin);
      // A registry that stopped answering is not asked again for every remaining package of the scan.
      if (quiet && quiet.attempts >= SILENT_ATTEMPTS_BEFORE_GIVING_UP)
        throw new RegistryHttpError(
          'unavailable',
          `${quiet.reason} (the registry stopped answering; not asked again)`,
        );
      const started = performance.now();
      try {
        const answer = await this.attempt(target, allHeaders, notFound);
        this.silence.delete(origin);
        this.logger?.debug(
          `GET ${shown} → ${answer.status} in ${Math.round(performance.now() - started)} ms`,
        );
        return answer;
      } catch (error) {
        this.throwIfStopped();
        if (error instanceof NetworkError && !error.answered) {
          const previous = this.silence.get(origin)?.attempts ?? 0;
          this.silence.set(origin, { attempts: previous + 1, reason: error.message });
        } else this.silence.delete(origin);
        if (!(error instanceof NetworkError || error instanceof HttpStatusError)) throw error;
        if (attempt >= this.retries)
          throw new RegistryHttpError('unavailable', `${error.message} ${afterAttempts(attempt + 1)}`);
        const retryAfterMs = error instanceof HttpStatusError ? error.retryAfterMs : undefined;
        if (retryAfterMs !== undefined && retryAfterMs > this.maxRetryAfterMs)
          throw new RegistryHttpError(
            'unavailable',
            `${error.message}: the registry asks to wait ${Math.ceil(retryAfterMs / 1000)} s`,
          );
        const wait = retryAfterMs ?? backoffDelay(this.backoffMs, attempt);
        this.logger?.debug(`GET ${shown}: ${error.message}; retrying in ${Math.round(wait)} ms`);
        await sleep(wait, undefined, this.signal ? { signal: this.signal } : {}).catch(() => {});
      }
    }
  }

  /** Once the client's signal fired, every request fails with its reason, without being sent. */
  private throwIfStopped(): void {
    if (this.signal?.aborted) throw new RegistryHttpError('unavailable', abortReasonText(this.signal.reason));
  }

  /** Throws NetworkError or a retryable HttpStatusError for what another attempt may fix. */
  private async attempt(
    url: string,
    headers: Record<string, string>,
    notFound: readonly number[],
  ): Promise<HttpAnswer> {
    const response = await this.pool.send(url, {
      headers,
      headersTimeoutMs: this.timeoutMs,
      bodyTimeoutMs: this.timeoutMs,
      deadlineMs: this.deadlineMs,
      ...(this.signal ? { signal: this.signal } : {}),
    });
    const { status } = response;
    if (status === 200) {
      const body = await response.text(this.maxBytes, this.budget).catch((error: unknown) => {
        throw error instanceof InvalidBodyError ? new RegistryHttpError('invalid', error.message) : error;
      });
      const answer: HttpAnswer = { status: 200, body };
      const contentType = response.header('content-type');
      const etag = response.header('etag');
      const lastModified = response.header('last-modified');
      if (contentType) answer.contentType = contentType;
      if (etag) answer.etag = etag;
      if (lastModified) answer.lastModified = lastModified;
      return answer;
    }
    await response.discard();
    if (status === 304) return { status: 304 };
    if (status === 404 || notFound.includes(status)) return { status: 404 };
    if (isRetryableStatus(status)) throw new HttpStatusError(response);
    if (status === 401 || status === 403)
      throw new RegistryHttpError(
        'unavailable',
        `access denied (HTTP ${status}): check the registry credentials`,
      );
    throw new RegistryHttpError('unavailable', `unexpected answer HTTP ${status}`);
  }

  async close(): Promise<void> {
    await this.connections?.close();
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
