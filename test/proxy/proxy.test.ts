// The answer proxy as a client meets it: the built `vouch proxy` in a process of its own between the OpenAI
// client library and a fake OpenAI-compatible upstream on 127.0.0.1, with a fake registry and an OSV
// fixture database behind the checks.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
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

beforeAll(async () => {
  world = await startPackageWorld();
  upstream = createServer(async (req, res) => {
    const body = await readAll(req);
    seen.push({ authorization: req.headers.authorization, path: req.url, body });
    if (req.headers.authorization !== `Bearer ${KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}');
      return;
    }
    const request = JSON.parse(body) as { stream?: boolean; messages?: { content?: string }[] };
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
});
