/**
 * A chat provider on 127.0.0.1 (port 0) that speaks the three APIs as documented: OpenAI's
 * `/v1/chat/completions`, Anthropic's `/v1/messages` and Ollama's `/api/chat`, whole or streamed
 * (server-sent events, JSON lines), with misbehaviour on demand: statuses with Retry-After, hanging,
 * malformed bodies, streams cut short, error events, and going down for good.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Api = 'openai' | 'anthropic' | 'ollama';

interface ReceivedRequest {
  api: Api;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** The user message. */
  prompt: string;
}

type Behaviour =
  | { kind: 'answer' }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  /** A stream (or body) cut off in the middle: no [DONE], message_stop or done line. */
  | { kind: 'truncated' }
  | { kind: 'stream-error'; message: string; type?: string }
  /** The connection is destroyed without an answer. */
  | { kind: 'reset' }
  /** A stream that never ends: an SSE keep-alive comment every 20 ms until the client goes away. */
  | { kind: 'keep-alive' };

export interface FakeProvider {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: ReceivedRequest[];
  /** The answer text for a request (default: a fixed short answer). */
  answer: (request: ReceivedRequest) => string;
  /** How to treat the n-th request (0-based, counting every request); default: answer. */
  behave: (request: ReceivedRequest, index: number) => Behaviour;
  /** Milliseconds before answering. */
  delayMs: number;
  /** Stop accepting connections and drop the open ones: the provider died. */
  die(): Promise<void>;
  close(): Promise<void>;
}

export const INPUT_TOKENS = 11;
export const OUTPUT_TOKENS = 7;

/** Splits text into stream pieces of a few characters, so that streams have many events. */
function pieces(text: string, size = 7): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

function promptOf(api: Api, body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role: string; content: string }[]) : [];
  const user = messages.filter((m) => m.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : api;
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const sockets = new Set<Socket>();
  let count = 0;
  const state: Pick<FakeProvider, 'requests' | 'answer' | 'behave' | 'delayMs'> = {
    requests: [],
    answer: () => 'Use `npm install left-pad`.',
    behave: () => ({ kind: 'answer' }),
    delayMs: 0,
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const api: Api | undefined =
        path === '/v1/chat/completions'
          ? 'openai'
          : path === '/v1/messages'
            ? 'anthropic'
            : path === '/api/chat'
              ? 'ollama'
              : undefined;
      if (!api || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'the request body is not JSON' } }));
        return;
      }
      const request: ReceivedRequest = { api, path, headers: req.headers, body, prompt: promptOf(api, body) };
      state.requests.push(request);
      const behaviour = state.behave(request, count++);
      const respond = () => serve(api, request, behaviour, res, state.answer);
      if (state.delayMs > 0) setTimeout(respond, state.delayMs);
      else respond();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const shutdown = async () => {
    if (closed) return;
    closed = true;
    const stopped = new Promise<void>((done) => server.close(() => done()));
    for (const socket of sockets) socket.destroy();
    await stopped;
  };
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, die: shutdown, close: shutdown });
}

function serve(
  api: Api,
  request: ReceivedRequest,
  behaviour: Behaviour,
  res: ServerResponse,
  answer: (request: ReceivedRequest) => string,
): void {
  switch (behaviour.kind) {
    case 'hang':
      return;
    case 'reset':
      res.socket?.destroy();
      return;
    case 'keep-alive': {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const ping = setInterval(() => res.write(': keep-alive\n\n'), 20);
      res.on('close', () => clearInterval(ping));
      return;
    }
    case 'status': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
      res.writeHead(behaviour.status, headers);
      res.end(behaviour.body ?? errorBody(api, behaviour.status));
      return;
    }
    case 'malformed':
      res.writeHead(200, { 'content-type': request.body.stream ? 'text/event-stream' : 'application/json' });
      res.end(request.body.stream && api !== 'ollama' ? 'data: {"choices": [\n\n' : '{"id": "x", "choi');
      return;
    default:
      break;
  }
  const text = answer(request);
  const streamed = request.body.stream === true;
  if (!streamed) {
    if (behaviour.kind === 'stream-error') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          api === 'anthropic' ? anthropicError(behaviour) : { error: { message: behaviour.message } },
        ),
      );
      return;
    }
    const body = JSON.stringify(wholeAnswer(api, request, text));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(behaviour.kind === 'truncated' ? body.slice(0, body.length / 2) : body);
    return;
  }
  res.writeHead(200, { 'content-type': api === 'ollama' ? 'application/x-ndjson' : 'text/event-stream' });
  const events = streamEvents(api, request, text, behaviour);
  for (const event of events) res.write(event);
  if (behaviour.kind === 'truncated') res.socket?.destroy();
  else res.end();
}

function errorBody(api: Api, status: number): string {
  if (api === 'anthropic')
    return JSON.stringify({
      type: 'error',
      error: {
        type: status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error',
        message: `status ${status}`,
      },
    });
  if (api === 'ollama') return JSON.stringify({ error: `status ${status}` });
  return JSON.stringify({ error: { message: `status ${status}`, type: 'error' } });
}

function anthropicError(behaviour: { message: string; type?: string }): Record<string, unknown> {
  return { type: 'error', error: { type: behaviour.type ?? 'overloaded_error', message: behaviour.message } };
}

function wholeAnswer(api: Api, request: ReceivedRequest, text: string): Record<string, unknown> {
  switch (api) {
    case 'openai':
      return {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: request.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: INPUT_TOKENS,
          completion_tokens: OUTPUT_TOKENS,
          total_tokens: INPUT_TOKENS + OUTPUT_TOKENS,
        },
      };
    case 'anthropic':
      return {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: request.body.model,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: INPUT_TOKENS, output_tokens: OUTPUT_TOKENS },
      };
    case 'ollama':
      return {
        model: request.body.model,
        created_at: '2026-01-01T00:00:00Z',
        message: { role: 'assistant', content: text },
        done: true,
        done_reason: 'stop',
        prompt_eval_count: INPUT_TOKENS,
        eval_count: OUTPUT_TOKENS,
      };
  }
}

function sse(event: string | undefined, data: unknown): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function streamEvents(api: Api, request: ReceivedRequest, text: string, behaviour: Behaviour): string[] {
  const parts = pieces(text);
  const half = Math.ceil(parts.length / 2);
  const cut = (events: string[], keep: number) =>
    behaviour.kind === 'truncated' ? events.slice(0, keep) : events;
  switch (api) {
    case 'openai': {
      const events = [
        // A comment line, as some servers send to keep the connection open.
        ': keep-alive\n\n',
        sse(undefined, {
          id: 'c',
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta: { role: 'assistant', content: '' } }],
        }),
        ...parts.map((p) =>
          sse(undefined, {
            id: 'c',
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta: { content: p } }],
          }),
        ),
        sse(undefined, {
          id: 'c',
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        }),
        sse(undefined, {
          id: 'c',
          object: 'chat.completion.chunk',
          choices: [],
          usage: { prompt_tokens: INPUT_TOKENS, completion_tokens: OUTPUT_TOKENS },
        }),
        'data: [DONE]\n\n',
      ];
      if (behaviour.kind === 'stream-error')
        return [events[1]!, sse(undefined, { error: { message: behaviour.message, type: 'server_error' } })];
      return cut(events, 2 + half);
    }
    case 'anthropic': {
      const events = [
        sse('message_start', {
          type: 'message_start',
          message: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            content: [],
            model: request.body.model,
            usage: { input_tokens: INPUT_TOKENS, output_tokens: 1 },
          },
        }),
        sse('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'text', text: '' },
        }),
        sse('ping', { type: 'ping' }),
        ...parts.map((p) =>
          sse('content_block_delta', {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: p },
          }),
        ),
        sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
        sse('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: OUTPUT_TOKENS },
        }),
        sse('message_stop', { type: 'message_stop' }),
      ];
      if (behaviour.kind === 'stream-error') return [events[0]!, sse('error', anthropicError(behaviour))];
      return cut(events, 3 + half);
    }
    case 'ollama': {
      const line = (value: unknown) => `${JSON.stringify(value)}\n`;
      const events = [
        ...parts.map((p) =>
          line({
            model: request.body.model,
            created_at: '2026-01-01T00:00:00Z',
            message: { role: 'assistant', content: p },
            done: false,
          }),
        ),
        line({
          model: request.body.model,
          created_at: '2026-01-01T00:00:00Z',
          message: { role: 'assistant', content: '' },
          done: true,
          done_reason: 'stop',
          prompt_eval_count: INPUT_TOKENS,
          eval_count: OUTPUT_TOKENS,
        }),
      ];
      if (behaviour.kind === 'stream-error') return [events[0]!, line({ error: behaviour.message })];
      return cut(events, half);
    }
  }
}
