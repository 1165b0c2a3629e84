/**
 * `vouch proxy`: an HTTP proxy for LLM APIs that forwards every request unchanged to the upstream and checks
 * each answer on its way back (`checkAnswer`): OpenAI chat completions, the OpenAI Responses API and
 * Anthropic Messages, streaming or not (one dialect each: `chat.ts`, `responses.ts`, `messages.ts`). A shell:
 * the verdict is the library's; this file moves bytes, words the note and keeps every size and time bounded.
 * Keys in the request headers are passed to the upstream and nowhere else: nothing here logs or stores a
 * header.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as upstreamRequest } from 'undici';
import {
  type AnswerCheck,
  checkAnswer,
  escapeMarkdown,
  type Finding,
  oneLine,
  type PackageCheckOptions,
} from '../index.js';
import { chatCompletions } from './chat.js';
import type { Change, Dialect } from './dialect.js';
import { messages } from './messages.js';
import { responses } from './responses.js';
import { jsonData, sseEvents } from './sse.js';

export type ProxyMode = 'annotate' | 'block';

export interface ProxySettings {
  /** The base URL the client would use without the proxy (`https://llm.example.org/v1`). */
  upstream: string;
  mode: ProxyMode;
  check: PackageCheckOptions;
  /** A request body larger than this is refused (413). Default 10 MiB. */
  maxRequestBytes?: number;
  /** A non-streaming answer larger than this is passed on unchecked. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Time for the upstream's response headers, and the longest silence in its body. Default 300 s. */
  upstreamTimeoutMs?: number;
  /** Time for checking one answer; past it the answer counts as not checked. Default 20 s. */
  checkTimeoutMs?: number;
  /** Told about each answer it could not check (never a header or a body). */
  warn?: (message: string) => void;
}

const MiB = 1024 * 1024;

/** Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1), and the ones recomputed. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
]);

function forwardable(headers: IncomingMessage['headers'] | Record<string, string | string[] | undefined>) {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  return out;
}

class TooLarge extends Error {}

/**
 * The request body, up to `limit` bytes. Past it the rest is read and dropped rather than the request torn
 * down, so that the client, still sending, reads the refusal instead of a reset connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const take = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', take);
      req.resume();
      fail(new TooLarge());
    };
    req.on('data', take);
    req.once('end', () => done(Buffer.concat(chunks)));
    req.once('error', fail);
  });
}

/** How long a refused request may go on sending before the refusal is sent anyway. */
const REFUSAL_WAIT_MS = 5_000;

/** Resolves when the request has been read to its end (or closed), or after `ms`. */
function requestSent(req: IncomingMessage, ms: number): Promise<void> {
  if (req.complete) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    const finish = () => {
      clearTimeout(timer);
      done();
    };
    req.once('end', finish);
    req.once('close', finish);
  });
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  dialect: Dialect = chatCompletions,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(dialect.error(`vouch proxy: ${message}`, type));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The URL of the upstream for a request path: the upstream's base, then the path the client asked for. */
function targetUrl(upstream: string, path: string): URL | undefined {
  // Absolute-form targets (`GET http://elsewhere/`) would make this an open proxy.
  if (!path.startsWith('/') || path.startsWith('//')) return undefined;
  return new URL(`${upstream.replace(/\/+$/, '')}${path}`);
}

/** The API a request speaks, by its path; undefined for every request whose answer is not checked. */
function dialectOf(method: string | undefined, path: string): Dialect | undefined {
  if (method !== 'POST') return undefined;
  const route = path.replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (route.endsWith('/chat/completions')) return chatCompletions;
  // `/responses/{id}/cancel` and the like carry no new answer; only a new response does.
  if (route.endsWith('/responses')) return responses;
  if (route.endsWith('/messages')) return messages;
  return undefined;
}

export function createProxy(settings: ProxySettings): Server {
  const upstream = new URL(settings.upstream);
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:')
    throw new Error(`--upstream must be an http or https URL: ${settings.upstream}`);
  const maxRequest = settings.maxRequestBytes ?? 10 * MiB;
  const timeout = settings.upstreamTimeoutMs ?? 300_000;
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      sendError(res, 500, `internal error: ${(error as Error).message}`, 'vouch_proxy_error'),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const dialect = dialectOf(req.method, path);
    const fail = (status: number, message: string, type: string) =>
      sendError(res, status, message, type, dialect);
    const target = targetUrl(settings.upstream, path);
    if (!target) return fail(400, 'the request target must be a path', 'invalid_request_error');
    let body: Buffer;
    try {
      body = await readBody(req, maxRequest);
    } catch (error) {
      if (error instanceof TooLarge) {
        // The connection carries no other request; the refusal waits until the client has sent the rest (read
        // and dropped, at most REFUSAL_WAIT_MS): closing while it still writes gives it EPIPE, not the 413.
        res.shouldKeepAlive = false;
        await requestSent(req, REFUSAL_WAIT_MS);
        return fail(413, `the request body is larger than ${maxRequest} bytes`, 'invalid_request_error');
      }
      throw error;
    }
    const headers = forwardable(req.headers);
    // The answer must be read to be checked: ask for it uncompressed (other requests keep their encoding).
    if (dialect) headers['accept-encoding'] = 'identity';
    let answer: UpstreamAnswer;
    try {
      answer = await upstreamRequest(target, {
        method: (req.method ?? 'GET') as 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (error) {
      const timedOut = /timeout/i.test((error as Error).name) || /timeout/i.test((error as Error).message);
      return fail(
        timedOut ? 504 : 502,
        `the upstream ${timedOut ? 'did not answer in time' : 'could not be reached'}: ${(error as Error).message}`,
        'upstream_error',
      );
    }
    res.on('close', () => {
      // The client went away: stop reading the upstream.
      if (!res.writableFinished) answer.body.destroy();
    });
    const contentType = String(answer.headers['content-type'] ?? '');
    const ok = answer.statusCode >= 200 && answer.statusCode < 300;
    if (!dialect || !ok) return passThrough(res, answer);
    if (contentType.includes('text/event-stream')) return streamed(res, answer, dialect);
    if (contentType.includes('json')) return whole(res, answer, dialect);
    return passThrough(res, answer);
  }

  /** Status, headers and body as they came (errors of the upstream included). */
  async function passThrough(res: ServerResponse, answer: UpstreamAnswer): Promise<void> {
    res.writeHead(answer.statusCode, forwardableResponse(answer.headers, true));
    for await (const chunk of answer.body) if (!res.write(chunk)) await drained(res);
    res.end();
  }

  /** A non-streaming answer: read (bounded), checked, passed on as it came unless it is risky. */
  async function whole(res: ServerResponse, answer: UpstreamAnswer, dialect: Dialect): Promise<void> {
    const limit = settings.maxResponseBytes ?? 10 * MiB;
    const chunks: Buffer[] = [];
    let length = 0;
    const iterator = answer.body[Symbol.asyncIterator]();
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      chunks.push(next.value as Buffer);
      length += (next.value as Buffer).length;
      if (length > limit) {
        settings.warn?.(`an answer larger than ${limit} bytes was passed on unchecked`);
        res.writeHead(answer.statusCode, forwardableResponse(answer.headers, false));
        res.write(Buffer.concat(chunks));
        for (;;) {
          const rest = await iterator.next();
          if (rest.done) break;
          if (!res.write(rest.value)) await drained(res);
        }
        res.end();
        return;
      }
    }
    const raw = Buffer.concat(chunks);
    const doc = jsonData(raw.toString('utf8'));
    if (!doc || !(await dialect.whole(doc, decide))) return sendRaw(res, answer, raw);
    const body = Buffer.from(JSON.stringify(doc));
    res.writeHead(answer.statusCode, {
      ...forwardableResponse(answer.headers, false),
      'content-length': body.length,
      'x-vouch': 'annotated',
    });
    res.end(body);
  }

  function sendRaw(res: ServerResponse, answer: UpstreamAnswer, raw: Buffer): void {
    res.writeHead(answer.statusCode, {
      ...forwardableResponse(answer.headers, false),
      'content-length': raw.length,
    });
    res.end(raw);
  }

  /** A streamed answer, event by event, as its dialect passes it on, holds it back or changes it. */
  async function streamed(res: ServerResponse, answer: UpstreamAnswer, dialect: Dialect): Promise<void> {
    const hold = settings.mode === 'block';
    res.writeHead(answer.statusCode, forwardableResponse(answer.headers, false));
    if (!hold) res.flushHeaders();
    const stream = dialect.stream({
      decide,
      hold,
      warn: (message) => settings.warn?.(message),
      tooLongNote: noteText(['the answer was too long to be checked'], []),
    });
    const send = async (bytes: readonly Buffer[]) => {
      for (const b of bytes) if (!res.write(b)) await drained(res);
    };
    for await (const item of sseEvents(answer.body))
      await send(item.blind ? stream.unchecked(item.raw) : await stream.event(item));
    await send(await stream.end());
    res.end();
  }

  /** The change one answer's text calls for: a note, the explanation that replaces it, or nothing. */
  async function decide(text: string): Promise<Change | undefined> {
    const outcome = await checked(text);
    const replacement = rewrite(outcome);
    if (replacement === undefined) return undefined;
    return settings.mode === 'block' && blocks(outcome)
      ? { replace: replacement.replace }
      : { note: replacement.note };
  }

  async function checked(text: string): Promise<Outcome> {
    let timer: NodeJS.Timeout | undefined;
    const limit = settings.checkTimeoutMs ?? 20_000;
    try {
      return await Promise.race([
        checkAnswer(text, settings.check).then((check): Outcome => ({ check })),
        new Promise<Outcome>((done) => {
          timer = setTimeout(() => done({ failed: `the check took longer than ${limit / 1000} s` }), limit);
        }),
      ]);
    } catch (error) {
      return { failed: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  function blocks(outcome: Outcome): boolean {
    return 'failed' in outcome || outcome.check.verdict === 'block';
  }

  /** The note to append and the explanation that replaces a blocked answer; undefined when there is nothing to say. */
  function rewrite(outcome: Outcome): { note: string; replace: string } | undefined {
    if ('failed' in outcome) {
      settings.warn?.(`an answer could not be checked: ${outcome.failed}`);
      const line = `Vouch could not check the packages of this answer: ${outcome.failed}`;
      return {
        note: noteText([line], []),
        replace: `${line}. The answer was withheld (vouch proxy --mode block).`,
      };
    }
    const { check } = outcome;
    const risky = check.result.findings.filter((f) => f.severity !== 'info');
    if (risky.length === 0 && check.gaps.length === 0) return undefined;
    const gaps = check.gaps.map((g) => `${g.ecosystem} ${g.name}: ${g.check} not checked (${g.reason})`);
    return {
      note: noteText(gaps, risky),
      replace: `Vouch withheld this answer: it recommends packages that its policy blocks.\n${findingLines(
        check.blocking.length > 0 ? check.blocking : risky,
      ).join('\n')}`,
    };
  }
}

type UpstreamAnswer = Awaited<ReturnType<typeof upstreamRequest>>;

type Outcome = { check: AnswerCheck } | { failed: string };

function forwardableResponse(headers: UpstreamAnswer['headers'], keepLength: boolean) {
  const out = forwardable(headers);
  if (keepLength && headers['content-length'] !== undefined)
    out['content-length'] = String(headers['content-length']);
  return out;
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      res.off('drain', finish);
      res.off('close', finish);
      done();
    };
    res.on('drain', finish);
    res.on('close', finish);
  });
}

function findingLines(findings: readonly Finding[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const f of findings) {
    const line = `- **${f.kind}** \`${oneLine(f.ecosystem)}\` ${escapeMarkdown(oneLine(f.name))}${f.version ? `@${escapeMarkdown(oneLine(f.version))}` : ''}: ${escapeMarkdown(oneLine(f.message))}`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
    if (lines.length === 20) {
      lines.push(`- … and ${findings.length - 20} more`);
      break;
    }
  }
  return lines;
}

/** The note appended to a risky answer: clearly Vouch's, after a rule, listing each risk once. */
function noteText(gaps: readonly string[], findings: readonly Finding[]): string {
  const lines = ['', '', '---', '**Note from Vouch** (added to this answer by `vouch proxy`):'];
  for (const line of findingLines(findings)) lines.push(line);
  for (const gap of gaps.slice(0, 10)) lines.push(`- ${escapeMarkdown(oneLine(gap))}`);
  return lines.join('\n');
}
