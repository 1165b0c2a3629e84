import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VouchError } from '../../src/core/errors.js';
import { parseSimulateConfig } from '../../src/simulate/config.js';
import { parseAnthropic } from '../../src/simulate/providers/anthropic.js';
import { createProvider, parseModelSpec } from '../../src/simulate/providers/index.js';
import { ollamaBaseUrl, parseOllama } from '../../src/simulate/providers/ollama.js';
import { parseOpenAi } from '../../src/simulate/providers/openai.js';
import { parseServerSentEvents } from '../../src/simulate/providers/streams.js';
import { httpTransport } from '../../src/simulate/providers/transport.js';
import { MalformedAnswerError, StreamedError } from '../../src/simulate/providers/types.js';
import { type FakeProvider, startFakeProvider } from './fake-provider.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());

const prompt = { system: 'Be brief.', user: 'Parse XML.' };
const env = { OPENAI_API_KEY: 'sk-openai', ANTHROPIC_API_KEY: 'sk-ant' };

async function roundTrip(type: 'openai' | 'anthropic' | 'ollama', stream: boolean) {
  fake.requests.length = 0;
  const provider = createProvider(type, { baseUrl: type === 'openai' ? `${fake.url}/v1` : fake.url }, env);
  const request = provider.request('m1', prompt, { temperature: 0.5, maxTokens: 100, seed: 7, stream });
  const transport = httpTransport(1);
  try {
    const exchange = await transport.send(request, 2000);
    expect(exchange.status).toBe(200);
    return { completion: provider.parse(exchange.body, stream), received: fake.requests[0]! };
  } finally {
    await transport.close();
  }
}

describe('providers speak their documented APIs', () => {
  it('OpenAI-compatible: bearer key, messages with the system prompt, stream with usage', async () => {
    for (const stream of [false, true]) {
      const { completion, received } = await roundTrip('openai', stream);
      expect(received.path).toBe('/v1/chat/completions');
      expect(received.headers.authorization).toBe('Bearer sk-openai');
      expect(received.body).toEqual({
        model: 'm1',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Parse XML.' },
        ],
        temperature: 0.5,
        max_tokens: 100,
        seed: 7,
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      });
      expect(completion).toEqual({
        text: 'Use `npm install left-pad`.',
        inputTokens: 11,
        outputTokens: 7,
        finishReason: 'stop',
      });
    }
  });

  it('Anthropic: x-api-key, anthropic-version, top-level system, max_tokens', async () => {
    for (const stream of [false, true]) {
      const { completion, received } = await roundTrip('anthropic', stream);
      expect(received.path).toBe('/v1/messages');
      expect(received.headers['x-api-key']).toBe('sk-ant');
      expect(received.headers['anthropic-version']).toBe('2023-06-01');
      expect(received.headers.authorization).toBeUndefined();
      expect(received.body).toEqual({
        model: 'm1',
        max_tokens: 100,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Parse XML.' }],
        temperature: 0.5,
        ...(stream ? { stream: true } : {}),
      });
      expect(completion).toEqual({
        text: 'Use `npm install left-pad`.',
        inputTokens: 11,
        outputTokens: 7,
        finishReason: 'end_turn',
      });
    }
  });

  it('Ollama: /api/chat with options, whole or JSON lines', async () => {
    for (const stream of [false, true]) {
      const { completion, received } = await roundTrip('ollama', stream);
      expect(received.path).toBe('/api/chat');
      expect(received.body).toEqual({
        model: 'm1',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Parse XML.' },
        ],
        stream,
        options: { temperature: 0.5, seed: 7, num_predict: 100 },
      });
      expect(completion).toEqual({
        text: 'Use `npm install left-pad`.',
        inputTokens: 11,
        outputTokens: 7,
        finishReason: 'stop',
      });
    }
  });
});

describe('reading answers', () => {
  it('server-sent events: CRLF and CR line ends, comments, multi-line data, one leading space, no unterminated event', () => {
    const text = ': hello\r\nevent: a\r\ndata: one\r\ndata:two\r\n\r\ndata:  spaced\rid: 3\r\rdata: cut';
    expect(parseServerSentEvents(text)).toEqual([
      { event: 'a', data: 'one\ntwo' },
      { event: 'message', data: ' spaced' },
    ]);
  });

  it('malformed and cut-off answers are MalformedAnswerError, error events StreamedError', () => {
    expect(() => parseOpenAi('{"choi', false)).toThrow(MalformedAnswerError);
    expect(() => parseOpenAi('{"choices": []}', false)).toThrow(/no choices\[0\]\.message/);
    expect(() => parseOpenAi('data: {"choices":[{"delta":{"content":"a"}}]}\n\n', true)).toThrow(
      /before data: \[DONE\]/,
    );
    expect(() => parseOpenAi('data: {"error":{"message":"boom"}}\n\n', true)).toThrow(StreamedError);
    expect(() =>
      parseAnthropic('event: message_start\ndata: {"type":"message_start","message":{}}\n\n', true),
    ).toThrow(/before message_stop/);
    const overloaded = () =>
      parseAnthropic(
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n',
        true,
      );
    expect(overloaded).toThrow('overloaded_error: busy');
    try {
      overloaded();
    } catch (error) {
      expect((error as StreamedError).retryable).toBe(true);
    }
    expect(() => parseOllama('{"message":{"content":"a"},"done":false}\n', true)).toThrow(
      /before a "done": true line/,
    );
    expect(() => parseOllama('{"error":"model crashed"}\n', true)).toThrow(StreamedError);
    expect(() => parseOllama('not json\n', true)).toThrow(/line 1 is not JSON/);
  });

  it('OpenAI content given as a list of parts, or null', () => {
    const doc = (content: unknown) => JSON.stringify({ choices: [{ message: { content } }] });
    expect(
      parseOpenAi(
        doc([
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ]),
        false,
      ).text,
    ).toBe('ab');
    expect(parseOpenAi(doc(null), false).text).toBe('');
  });
});

describe('choosing and configuring providers', () => {
  it('PROVIDER:MODEL keeps later colons in the model', () => {
    expect(parseModelSpec('ollama:llama3:8b')).toEqual({ provider: 'ollama', model: 'llama3:8b' });
    expect(() => parseModelSpec('gpt-4o')).toThrow(/expected PROVIDER:MODEL/);
    expect(() => parseModelSpec('openai:')).toThrow(VouchError);
  });

  it('base URLs and keys come from the environment, or the file; missing keys are errors naming the variable', () => {
    expect(createProvider('openai', {}, { OPENAI_API_KEY: 'k' }).endpoint).toBe('https://api.openai.com/v1');
    expect(createProvider('openai', {}, { OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1/' }).endpoint).toBe(
      'http://127.0.0.1:8000/v1',
    );
    expect(() => createProvider('openai', {}, {})).toThrow('provider openai: no API key: set OPENAI_API_KEY');
    expect(() => createProvider('anthropic', {}, {})).toThrow(
      'provider anthropic: no API key: set ANTHROPIC_API_KEY',
    );
    expect(() => createProvider('azure', { type: 'openai', apiKeyEnv: 'AZURE_KEY' }, {})).toThrow(
      'provider azure: the environment variable AZURE_KEY is not set',
    );
    const azure = createProvider(
      'azure',
      {
        type: 'openai',
        baseUrl: 'https://x.example.org/openai/v1',
        apiKeyEnv: 'AZURE_KEY',
        authHeader: 'api-key',
      },
      { AZURE_KEY: 'az', OPENAI_API_KEY: 'not-this-one' },
    );
    expect(azure.request('m', { user: 'hi' }, { stream: false }).headers).toMatchObject({ 'api-key': 'az' });
    expect(() => createProvider('x', { baseUrl: 'http://u:p@h' }, {})).toThrow(/unknown provider "x"/);
    expect(() => createProvider('ollama', { baseUrl: 'http://user:secret@127.0.0.1' }, {})).toThrow(
      /not in the base URL/,
    );
    expect(ollamaBaseUrl('0.0.0.0')).toBe('http://127.0.0.1:11434');
    expect(ollamaBaseUrl('gpu.example.org:8080')).toBe('http://gpu.example.org:8080');
    expect(ollamaBaseUrl('https://ollama.example.org')).toBe('https://ollama.example.org');
    expect(ollamaBaseUrl('http://ollama.example.org')).toBe('http://ollama.example.org:11434');
    expect(ollamaBaseUrl('http://ollama.example.org:80')).toBe('http://ollama.example.org');
  });

  it('the providers file: settings, limits and prices, with errors naming the field', () => {
    const config = parseSimulateConfig(
      {
        providers: {
          openai: { concurrency: 8, rpm: 500, timeoutSeconds: 30, stream: false },
          local: { type: 'openai', baseUrl: 'http://127.0.0.1:8000/v1' },
        },
        prices: { 'openai:gpt-4o': { input: 2.5, output: 10 } },
      },
      'p.yaml',
    );
    expect(config.providers.openai!.limits).toEqual({
      concurrency: 8,
      rpm: 500,
      timeoutMs: 30_000,
      stream: false,
    });
    expect(config.providers.local).toMatchObject({ type: 'openai', baseUrl: 'http://127.0.0.1:8000/v1' });
    expect(config.prices['openai:gpt-4o']).toEqual({ input: 2.5, output: 10 });
    expect(() => parseSimulateConfig({ providers: { local: {} } }, 'p.yaml')).toThrow(
      'p.yaml: providers.local.type: is required',
    );
    expect(() => parseSimulateConfig({ providers: { openai: { rpm: -1 } } }, 'p.yaml')).toThrow(
      'p.yaml: providers.openai.rpm: must be a number of at least 0.001',
    );
    expect(() => parseSimulateConfig({ prices: { 'gpt-4o': { input: 1, output: 1 } } }, 'p.yaml')).toThrow(
      'p.yaml: prices.gpt-4o: the key is PROVIDER:MODEL',
    );
    expect(() => parseSimulateConfig({ provider: {} }, 'p.yaml')).toThrow(
      'p.yaml: provider: unknown setting',
    );
  });
});
