// The answer proxy as a client meets it: the built `vouch proxy` in a process of its own between the OpenAI
// client library (chat completions and the Responses API) or a plain HTTP client (Anthropic Messages) and a
// fake upstream on 127.0.0.1 that speaks all three APIs, with a fake registry and an OSV fixture database
// behind the checks.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HALLUCINATED, type PackageWorld, startPackageWorld } from '../pipeline/package-world.js';

const BIN = fileURLToPath(new URL('../../bin/vouch.js', import.meta.url));
const KEY = 'sk-test-secret-key-0123456789';
const RISKY = `Install the validator:\n\n\`\`\`sh\nnpm install ${HALLUCINATED}\n\`\`\`\n\nThen import it.`;
const CLEAN = 'Use the fetch function built into Node 20: `await fetch(url)` needs no package.';

let world: PackageWorld;
let upstream: Server;
let upstreamUrl: string;
const seen: { authorization?: string; path?: string; body?: string }[] = [];
const proxies: { child: ChildProcess; url: string }[] = [];

/** The answer the fake upstream gives: risky when the question asks for a validator. */
function answerFor(body: { messages?: { content?: string }[] }): string {
  const question = body.messages?.map((m) => m.content ?? '').join(' ') ?? '';
  return question.includes('validator') ? RISKY : CLEAN;
}

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
  });
}

/** The stream of a completion, a few characters per chunk, as an upstream sends it. */
function stream(content: string): string {
  const events: string[] = [];
  const base = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'fake-model',
  };
  events.push(
    JSON.stringify({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    }),
  );
  for (let i = 0; i < content.length; i += 7)
    events.push(
      JSON.stringify({
        ...base,
        choices: [{ index: 0, delta: { content: content.slice(i, i + 7) }, finish_reason: null }],
      }),
    );
  events.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  return `${events.map((e) => `data: ${e}\n\n`).join('')}data: [DONE]\n\n`;
}

async function readAll(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

async function startProxy(extra: string[] = []): Promise<string> {
  const child = spawn(
    process.execPath,
    [BIN, 'proxy', '--upstream', upstreamUrl, '--port', '0', ...world.flags, ...extra],
    { env: world.env, cwd: world.home },
  );
  const url = await new Promise<string>((done, fail) => {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (found) done(found[1]!);
    });
    child.on('exit', () => fail(new Error(`vouch proxy exited: ${stderr}`)));
  });
  proxies.push({ child, url });
  return url;
}

/** Sends a stream in two writes that split an event, as a network would. */
function sendStream(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(text.slice(0, 101));
  setTimeout(() => res.end(text.slice(101)), 10);
}

const sse = (events: Record<string, unknown>[]) =>
  events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('');

/** Pieces of a few characters, as a model streams them. */
function pieces(content: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < content.length; i += 7) out.push(content.slice(i, i + 7));
  return out;
}

/** The OpenAI Responses API: the answer to `input`, whole or as its stream of events. */
function sendResponse(res: ServerResponse, request: { stream?: boolean; input?: string }): void {
  const content = answerFor({ messages: [{ content: request.input ?? '' }] });
  const part = (text: string) => ({ type: 'output_text', text, annotations: [] });
  const item = (text: string | undefined) => ({
    id: 'msg_test',
    type: 'message',
    status: text === undefined ? 'in_progress' : 'completed',
    role: 'assistant',
    content: text === undefined ? [] : [part(text)],
  });
  const response = (status: string, output: unknown[]) => ({
    id: 'resp_test',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    model: 'fake-model',
    output,
    usage: { input_tokens: 10, output_tokens: 20, total_tokens: 30 },
  });
  if (!request.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(response('completed', [item(content)])));
    return;
  }
  const at = { item_id: 'msg_test', output_index: 0, content_index: 0 };
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: response('in_progress', []) },
    { type: 'response.output_item.added', output_index: 0, item: item(undefined) },
    { type: 'response.content_part.added', ...at, part: part('') },
    ...pieces(content).map((delta) => ({ type: 'response.output_text.delta', ...at, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...at, text: content, logprobs: [] },
    { type: 'response.content_part.done', ...at, part: part(content) },
    { type: 'response.output_item.done', output_index: 0, item: item(content) },
    { type: 'response.completed', response: response('completed', [item(content)]) },
  ];
  sendStream(res, sse(events.map((e, sequence_number) => ({ ...e, sequence_number }))));
}

/** Anthropic Messages: the answer to the last message, whole or as its stream of events. */
function sendMessage(res: ServerResponse, request: { stream?: boolean; messages?: { content?: string }[] }) {
  const content = answerFor(request);
  const message = (blocks: unknown[], stop: string | null) => ({
    id: 'msg_test',
    type: 'message',
    role: 'assistant',
    model: 'fake-model',
    content: blocks,
    stop_reason: stop,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 20 },
  });
  if (!request.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(message([{ type: 'text', text: content }], 'end_turn')));
    return;
  }
  sendStream(
    res,
    sse([
      { type: 'message_start', message: message([], null) },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      ...pieces(content).map((text) => ({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      })),
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 20 },
      },
      { type: 'message_stop' },
    ]),
  );
}

beforeAll(async () => {
  world = await startPackageWorld();
  upstream = createServer(async (req, res) => {
    const body = await readAll(req);
    seen.push({ authorization: req.headers.authorization, path: req.url, body });
    if (req.url === '/v1/messages' && req.headers['x-api-key'] === KEY) {
      // Anthropic's key header.
    } else if (req.headers.authorization !== `Bearer ${KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}');
      return;
    }
    const request = JSON.parse(body) as {
      stream?: boolean;
      messages?: { content?: string }[];
      input?: string;
    };
    if (req.url === '/v1/responses') return sendResponse(res, request);
    if (req.url === '/v1/messages') return sendMessage(res, request);
    const content = answerFor(request);
    if (request.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      // Sent in two writes that split an event, as a network would.
      const text = stream(content);
      res.write(text.slice(0, 101));
      setTimeout(() => res.end(text.slice(101)), 10);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(completion(content));
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  for (const { child } of proxies) child.kill('SIGTERM');
  upstream.closeAllConnections();
  await new Promise((done) => upstream.close(done));
  await world.close();
});

function client(baseURL: string): OpenAI {
  return new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0, timeout: 60_000 });
}

async function raw(
  base: string,
  path: string,
  body: unknown,
  key = KEY,
): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

const question = (text: string) => ({
  model: 'fake-model',
  messages: [{ role: 'user' as const, content: text }],
});

/** A request as Anthropic's API takes it: its own key header and version. */
async function anthropic(base: string, body: unknown): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(`${base}/messages`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** The events of a server-sent stream, parsed. */
function events(body: Buffer): Record<string, unknown>[] {
  return body
    .toString('utf8')
    .split('\n\n')
    .map((event) => event.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

/** The text of each block of a streamed Anthropic message, by index, and the order of the event types. */
function streamedBlocks(body: Buffer): { texts: string[]; types: string[] } {
  const texts: string[] = [];
  const types: string[] = [];
  for (const event of events(body)) {
    types.push(`${event.type}${typeof event.index === 'number' ? `:${event.index}` : ''}`);
    const delta = event.delta as { type?: string; text?: string } | undefined;
    if (event.type === 'content_block_delta' && delta?.type === 'text_delta')
      texts[event.index as number] = (texts[event.index as number] ?? '') + delta.text;
  }
  return { texts, types };
}

describe('vouch proxy (annotate)', () => {
  let proxy: string;
  beforeAll(async () => {
    proxy = await startProxy();
  });

  it('annotates a non-streaming answer that recommends a hallucinated package, through the OpenAI client', async () => {
    const answer = await client(proxy).chat.completions.create(question('which validator should I use?'));
    const content = answer.choices[0]!.message.content!;
    expect(content.startsWith(RISKY)).toBe(true);
    expect(content).toMatch(/\n---\n\*\*Note from Vouch\*\*/);
    expect(content.slice(RISKY.length)).toContain('nonexistent');
    expect(answer.id).toBe('chatcmpl-test');
  });

  it('annotates a streamed answer with a last chunk before [DONE]', async () => {
    const chunks = await client(proxy).chat.completions.create({
      ...question('which validator should I use?'),
      stream: true,
    });
    const pieces: string[] = [];
    for await (const chunk of chunks) pieces.push(chunk.choices[0]?.delta?.content ?? '');
    const content = pieces.join('');
    expect(content.startsWith(RISKY)).toBe(true);
    expect(pieces.at(-1)).toMatch(/^\n\n---\n\*\*Note from Vouch\*\*/);
    expect(pieces.at(-1)).toContain('nonexistent');
  });

  it('passes a clean answer through byte for byte, streaming and not', async () => {
    const direct = await raw(upstreamUrl, '/chat/completions', question('how do I fetch?'));
    const proxied = await raw(proxy, '/chat/completions', question('how do I fetch?'));
    expect(proxied.status).toBe(200);
    expect(proxied.body.equals(direct.body)).toBe(true);
    const directStream = await raw(upstreamUrl, '/chat/completions', {
      ...question('how do I fetch?'),
      stream: true,
    });
    const proxiedStream = await raw(proxy, '/chat/completions', {
      ...question('how do I fetch?'),
      stream: true,
    });
    expect(proxiedStream.body.toString()).toContain('data: [DONE]');
    expect(proxiedStream.body.equals(directStream.body)).toBe(true);
  });

  it('forwards the request unchanged, key included, and passes upstream errors through', async () => {
    seen.length = 0;
    const request = { ...question('how do I fetch?'), temperature: 0.2 };
    await raw(proxy, '/chat/completions', request);
    expect(seen[0]).toEqual({
      authorization: `Bearer ${KEY}`,
      path: '/v1/chat/completions',
      body: JSON.stringify(request),
    });
    const refused = await raw(proxy, '/chat/completions', question('x'), 'wrong-key');
    expect(refused.status).toBe(401);
    expect(refused.body.toString()).toBe(
      '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}',
    );
  });

  it('refuses a request body over the limit and an absolute-form target', async () => {
    const big = await raw(proxy, '/chat/completions', {
      ...question('x'),
      padding: 'x'.repeat(11 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    const { request } = await import('node:http');
    const status = await new Promise<number>((done, fail) => {
      const url = new URL(proxy);
      const req = request(
        { host: url.hostname, port: url.port, path: 'http://elsewhere.example.org/', method: 'GET' },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(400);
  });

  it('annotates a Responses API answer, whole and streamed, through the OpenAI client', async () => {
    const request = { model: 'fake-model', input: 'which validator should I use?' };
    const answer = await client(proxy).responses.create(request);
    expect(answer.output_text.startsWith(RISKY)).toBe(true);
    expect(answer.output_text.slice(RISKY.length)).toMatch(
      /^\n\n---\n\*\*Note from Vouch\*\*[\s\S]*nonexistent/,
    );
    const stream = client(proxy).responses.stream(request);
    let deltas = '';
    let done = '';
    const sequence: number[] = [];
    for await (const event of stream) {
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') deltas += event.delta;
      if (event.type === 'response.output_text.done') done = event.text;
    }
    const final = await stream.finalResponse();
    expect(deltas.startsWith(RISKY)).toBe(true);
    expect(deltas.slice(RISKY.length)).toMatch(/^\n\n---\n\*\*Note from Vouch\*\*[\s\S]*nonexistent/);
    // Every event that repeats the text says the same, and the numbering has no gap or repeat.
    expect(done).toBe(deltas);
    expect(final.output_text).toBe(deltas);
    expect(sequence).toEqual(sequence.map((_, i) => i));
  });

  it('annotates an Anthropic Messages answer, whole and streamed (a text block before message_delta)', async () => {
    const ask = { ...question('which validator should I use?'), max_tokens: 1024 };
    const whole = await anthropic(proxy, ask);
    expect(whole.status).toBe(200);
    const message = JSON.parse(whole.body.toString()) as { content: { type: string; text: string }[] };
    expect(message.content).toHaveLength(1);
    expect(message.content[0]!.text.startsWith(RISKY)).toBe(true);
    expect(message.content[0]!.text.slice(RISKY.length)).toMatch(
      /^\n\n---\n\*\*Note from Vouch\*\*[\s\S]*nonexistent/,
    );
    const streamed = await anthropic(proxy, { ...ask, stream: true });
    const { texts, types } = streamedBlocks(streamed.body);
    expect(texts[0]).toBe(RISKY);
    expect(texts[1]).toMatch(/^\n\n---\n\*\*Note from Vouch\*\*[\s\S]*nonexistent/);
    expect(types.slice(-6)).toEqual([
      'content_block_stop:0',
      'content_block_start:1',
      'content_block_delta:1',
      'content_block_stop:1',
      'message_delta',
      'message_stop',
    ]);
  });

  it('passes clean Responses and Messages answers through byte for byte, streaming and not', async () => {
    for (const stream of [false, true]) {
      const request = { model: 'fake-model', input: 'how do I fetch?', stream };
      const direct = await raw(upstreamUrl, '/responses', request);
      const proxied = await raw(proxy, '/responses', request);
      expect(proxied.status).toBe(200);
      expect(proxied.body.equals(direct.body)).toBe(true);
      const ask = { ...question('how do I fetch?'), max_tokens: 1024, stream };
      const directMessage = await anthropic(upstreamUrl, ask);
      const proxiedMessage = await anthropic(proxy, ask);
      expect(proxiedMessage.status).toBe(200);
      expect(proxiedMessage.body.equals(directMessage.body)).toBe(true);
    }
  });

  it("words the proxy's own errors of a Messages request in Anthropic's error shape", async () => {
    const big = await anthropic(proxy, { ...question('x'), padding: 'x'.repeat(11 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString())).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^vouch proxy: .*larger than/) },
    });
  });
});

describe('vouch proxy --mode block', () => {
  it('replaces a risky answer with an explanation, streaming and not', async () => {
    const proxy = await startProxy(['--mode', 'block']);
    const answer = await client(proxy).chat.completions.create(question('which validator should I use?'));
    const content = answer.choices[0]!.message.content!;
    expect(content).toMatch(/^Vouch withheld this answer/);
    expect(content).not.toContain('npm install');
    const chunks = await client(proxy).chat.completions.create({
      ...question('which validator should I use?'),
      stream: true,
    });
    let streamed = '';
    for await (const chunk of chunks) streamed += chunk.choices[0]?.delta?.content ?? '';
    expect(streamed).toMatch(/^Vouch withheld this answer/);
    const clean = await client(proxy).chat.completions.create(question('how do I fetch?'));
    expect(clean.choices[0]!.message.content).toBe(CLEAN);
  });

  it('replaces risky Responses and Messages answers, streaming and not', async () => {
    const proxy = await startProxy(['--mode', 'block']);
    const request = { model: 'fake-model', input: 'which validator should I use?' };
    const answer = await client(proxy).responses.create(request);
    expect(answer.output_text).toMatch(/^Vouch withheld this answer/);
    expect(answer.output_text).not.toContain('npm install');
    const stream = client(proxy).responses.stream(request);
    let deltas = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') deltas += event.delta;
    expect(deltas).toMatch(/^Vouch withheld this answer/);
    expect((await stream.finalResponse()).output_text).toBe(deltas);
    const ask = { ...question('which validator should I use?'), max_tokens: 1024 };
    const whole = JSON.parse((await anthropic(proxy, ask)).body.toString()) as {
      content: { text: string }[];
    };
    expect(whole.content).toHaveLength(1);
    expect(whole.content[0]!.text).toMatch(/^Vouch withheld this answer/);
    const { texts, types } = streamedBlocks((await anthropic(proxy, { ...ask, stream: true })).body);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^Vouch withheld this answer/);
    expect(texts[0]).not.toContain('npm install');
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
  });
});
