/**
 * `vouch proxy`: an OpenAI-compatible HTTP proxy that forwards every request unchanged to the upstream and
 * checks each chat-completion answer on its way back (`checkAnswer`). A shell: the verdict is the library's;
 * this file moves bytes, words the note and keeps every size and time bounded. Keys in the request headers
 * are passed to the upstream and nowhere else: nothing here logs or stores a header.
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
/** An answer's text beyond this is not accumulated: it is too long to be checked. */
const MAX_ANSWER_CHARS = MiB;
/** One server-sent event without an end beyond this: the stream is passed on unchecked from there. */
const MAX_EVENT_BYTES = MiB;

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

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > limit) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendError(res: ServerResponse, status: number, message: string, type: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    error: { message: `vouch proxy: ${message}`, type, code: null, param: null },
  });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The URL of the upstream for a request path: the upstream's base, then the path the client asked for. */
function targetUrl(upstream: string, path: string): URL | undefined {
  // Absolute-form targets (`GET http://elsewhere/`) would make this an open proxy.
  if (!path.startsWith('/') || path.startsWith('//')) return undefined;
  return new URL(`${upstream.replace(/\/+$/, '')}${path}`);
}

function isChatCompletion(method: string | undefined, path: string): boolean {
  return method === 'POST' && /\/chat\/completions\/?(?:\?|$)/.test(path);
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
    const target = targetUrl(settings.upstream, path);
    if (!target) return sendError(res, 400, 'the request target must be a path', 'invalid_request_error');
    let body: Buffer;
    try {
      body = await readBody(req, maxRequest);
    } catch (error) {
      if (error instanceof TooLarge)
        return sendError(
          res,
          413,
          `the request body is larger than ${maxRequest} bytes`,
          'invalid_request_error',
        );
      throw error;
    }
    const chat = isChatCompletion(req.method, path);
    const headers = forwardable(req.headers);
    // The answer must be read to be checked: ask for it uncompressed (other requests keep their encoding).
    if (chat) headers['accept-encoding'] = 'identity';
    let answer: Awaited<ReturnType<typeof upstreamRequest>>;
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
      return sendError(
        res,
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
    if (!chat || !ok) return passThrough(res, answer);
    if (contentType.includes('text/event-stream')) return streamed(res, answer);
    if (contentType.includes('json')) return whole(res, answer);
    return passThrough(res, answer);
  }

  /** Status, headers and body as they came (errors of the upstream included). */
  async function passThrough(res: ServerResponse, answer: UpstreamAnswer, head?: Buffer): Promise<void> {
    res.writeHead(answer.statusCode, forwardableResponse(answer.headers, head === undefined));
    if (head) res.write(head);
    for await (const chunk of answer.body) if (!res.write(chunk)) await drained(res);
    res.end();
  }

  /** A non-streaming chat completion: read (bounded), checked, passed on as it came unless it is risky. */
  async function whole(res: ServerResponse, answer: UpstreamAnswer): Promise<void> {
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
    let doc: ChatCompletion;
    try {
      doc = JSON.parse(raw.toString('utf8')) as ChatCompletion;
    } catch {
      return sendRaw(res, answer, raw);
    }
    const choices = Array.isArray(doc?.choices) ? doc.choices : [];
    let changed = false;
    for (const choice of choices) {
      const text = messageText(choice?.message?.content);
      if (text === undefined || text === '') continue;
      const outcome = await checked(text);
      const replacement = rewrite(outcome);
      if (replacement === undefined) continue;
      changed = true;
      if (settings.mode === 'block' && blocks(outcome)) choice.message!.content = replacement.replace;
      else choice.message!.content = `${text}${replacement.note}`;
    }
    if (!changed) return sendRaw(res, answer, raw);
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

  /**
   * A streamed chat completion. Annotate mode passes every event on as it arrives and holds back only
   * `[DONE]`: the note, when there is one, is a last chunk before it. Block mode holds the whole stream (what
   * is already sent cannot be taken back), then passes it on as it came, or an explanation instead.
   */
  async function streamed(res: ServerResponse, answer: UpstreamAnswer): Promise<void> {
    const hold = settings.mode === 'block';
    res.writeHead(answer.statusCode, forwardableResponse(answer.headers, false));
    if (!hold) res.flushHeaders();
    const texts = new Map<number, string>();
    let meta: { id?: string; model?: string; created?: number } = {};
    let tooLong = false;
    let pending: Buffer = Buffer.alloc(0);
    // Block mode holds what comes before [DONE]; both modes hold [DONE] and whatever follows it.
    const held: Buffer[] = [];
    const after: Buffer[] = [];
    let done: Buffer | undefined;
    let blind = false;
    const emit = async (bytes: Buffer) => {
      if (done !== undefined) after.push(bytes);
      else if (hold) held.push(bytes);
      else if (!res.write(bytes)) await drained(res);
    };
    for await (const chunk of answer.body) {
      if (blind) {
        await emit(chunk as Buffer);
        continue;
      }
      pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
      for (;;) {
        const end = eventEnd(pending);
        if (end === -1) break;
        const event = pending.subarray(0, end);
        pending = pending.subarray(end);
        const data = eventData(event.toString('utf8'));
        if (data === '[DONE]' && done === undefined) {
          done = Buffer.from(event);
          continue;
        }
        if (data !== undefined && done === undefined) {
          try {
            const parsed = JSON.parse(data) as ChatChunk;
            meta = {
              id: parsed.id ?? meta.id,
              model: parsed.model ?? meta.model,
              created: parsed.created ?? meta.created,
            };
            for (const choice of Array.isArray(parsed.choices) ? parsed.choices : []) {
              const piece = choice?.delta?.content;
              if (typeof piece !== 'string') continue;
              const index = typeof choice.index === 'number' ? choice.index : 0;
              const sofar = texts.get(index) ?? '';
              if (sofar.length + piece.length > MAX_ANSWER_CHARS) tooLong = true;
              else texts.set(index, sofar + piece);
            }
          } catch {
            // Not a chunk of a chat completion: passed on as it is.
          }
        }
        await emit(Buffer.from(event));
      }
      if (pending.length > MAX_EVENT_BYTES) {
        // No event ends: whatever this is, it is passed on unchecked.
        blind = true;
        await emit(pending);
        pending = Buffer.alloc(0);
      }
    }
    if (pending.length > 0) await emit(pending);
    const notes: { index: number; note: string }[] = [];
    let blocked: string | undefined;
    if (blind || tooLong) {
      settings.warn?.('a streamed answer was too long to be checked and was passed on unchecked');
      if (!hold) notes.push({ index: 0, note: noteText(['the answer was too long to be checked'], []) });
    } else
      for (const [index, text] of texts) {
        if (text === '') continue;
        const outcome = await checked(text);
        const replacement = rewrite(outcome);
        if (replacement === undefined) continue;
        if (hold && blocks(outcome)) blocked = replacement.replace;
        else notes.push({ index, note: replacement.note });
      }
    if (blocked !== undefined) {
      // Block mode: the answer is replaced by the explanation, in the stream's own shape.
      const chunk = chunkOf(meta, 0, blocked, 'stop');
      res.end(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
      return;
    }
    for (const bytes of held) if (!res.write(bytes)) await drained(res);
    for (const { index, note } of notes)
      res.write(`data: ${JSON.stringify(chunkOf(meta, index, note, null))}\n\n`);
    if (done) res.write(done);
    for (const bytes of after) if (!res.write(bytes)) await drained(res);
    res.end();
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

interface ChatCompletion {
  choices?: { message?: { content?: unknown } }[];
}

interface ChatChunk {
  id?: string;
  model?: string;
  created?: number;
  choices?: { index?: number; delta?: { content?: unknown } }[];
}

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

/** The end of the first complete server-sent event (after its blank line), or -1. */
function eventEnd(buffer: Buffer): number {
  for (let i = 0; i < buffer.length - 1; i++) {
    if (buffer[i] !== 0x0a && buffer[i] !== 0x0d) continue;
    // A line ends with \n, \r\n or \r; an empty line after it ends the event.
    let j = i + (buffer[i] === 0x0d && buffer[i + 1] === 0x0a ? 2 : 1);
    if (j >= buffer.length) return -1;
    if (buffer[j] === 0x0a) return j + 1;
    if (buffer[j] === 0x0d) {
      j += buffer[j + 1] === 0x0a ? 2 : 1;
      return j <= buffer.length ? j : -1;
    }
    i = j - 1;
  }
  return -1;
}

/** The data of an event (its `data:` lines joined), or undefined when it has none. */
function eventData(event: string): string | undefined {
  const lines = event.split(/\r\n|\r|\n/).filter((line) => line.startsWith('data:'));
  if (lines.length === 0) return undefined;
  return lines.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
}

function chunkOf(
  meta: { id?: string; model?: string; created?: number },
  index: number,
  content: string,
  finish: string | null,
) {
  return {
    id: meta.id ?? 'vouch-note',
    object: 'chat.completion.chunk',
    created: meta.created ?? Math.floor(Date.now() / 1000),
    model: meta.model ?? 'vouch',
    choices: [{ index, delta: { content }, finish_reason: finish }],
  };
}

/** A message's text: a string, or the text parts of a list of parts. */
function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) => (part && typeof part === 'object' && typeof part.text === 'string' ? part.text : ''))
      .join('');
  return undefined;
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
