/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1 API, vLLM, llama.cpp,
 * LM Studio, OpenRouter, Ollama's /v1): `POST {base}/chat/completions`, non-streaming, or streaming as
 * server-sent events of `chat.completion.chunk` objects ending with `data: [DONE]`.
 */

import { isObject } from '../../core/json.js';
import { errorMessageIn, optionalNumber, parseJsonBody } from './json.js';
import { parseServerSentEvents } from './streams.js';
import {
  type ChatPrompt,
  type Completion,
  type GenerationParams,
  MalformedAnswerError,
  type Provider,
  type ProviderRequest,
  StreamedError,
} from './types.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiSettings {
  name: string;
  /** Up to and including the version segment, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** Azure's key header is `api-key`; everyone else's is a bearer token. */
  authHeader?: 'authorization' | 'api-key';
}

export function openAiProvider(settings: OpenAiSettings): Provider {
  const base = settings.baseUrl.replace(/\/+$/, '');
  return {
    name: settings.name,
    type: 'openai',
    endpoint: base,
    secrets: settings.apiKey ? [settings.apiKey] : [],
    request(model: string, prompt: ChatPrompt, params: GenerationParams): ProviderRequest {
      const messages = [
        ...(prompt.system ? [{ role: 'system', content: prompt.system }] : []),
        { role: 'user', content: prompt.user },
      ];
      const body: Record<string, unknown> = { model, messages };
      if (params.temperature !== undefined) body.temperature = params.temperature;
      if (params.maxTokens !== undefined) body.max_tokens = params.maxTokens;
      if (params.seed !== undefined) body.seed = params.seed;
      if (params.stream) {
        body.stream = true;
        // Without it a stream carries no token counts.
        body.stream_options = { include_usage: true };
      }
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: params.stream ? 'text/event-stream' : 'application/json',
      };
      if (settings.apiKey) {
        if (settings.authHeader === 'api-key') headers['api-key'] = settings.apiKey;
        else headers.authorization = `Bearer ${settings.apiKey}`;
      }
      return { url: `${base}/chat/completions`, headers, body: JSON.stringify(body) };
    },
    parse: parseOpenAi,
    errorDetail: errorMessageIn,
  };
}

export function parseOpenAi(body: string, streamed: boolean): Completion {
  return streamed ? parseStream(body) : parseCompletion(body);
}

function parseCompletion(body: string): Completion {
  const doc = parseJsonBody(body, 'the chat completion');
  if (!isObject(doc)) throw new MalformedAnswerError('the chat completion is not a JSON object');
  if (doc.error !== undefined)
    throw new StreamedError(errorMessageIn(body) ?? 'the answer is an error object', true);
  const choice = Array.isArray(doc.choices) ? doc.choices[0] : undefined;
  if (!isObject(choice) || !isObject(choice.message))
    throw new MalformedAnswerError('the chat completion has no choices[0].message');
  const completion: Completion = { text: contentText(choice.message.content) };
  if (typeof choice.finish_reason === 'string') completion.finishReason = choice.finish_reason;
  addUsage(completion, doc.usage);
  return completion;
}

function parseStream(body: string): Completion {
  const parts: string[] = [];
  const completion: Completion = { text: '' };
  let done = false;
  for (const event of parseServerSentEvents(body)) {
    if (event.data === '[DONE]') {
      done = true;
      break;
    }
    const chunk = parseJsonBody(event.data, 'a streamed chunk');
    if (!isObject(chunk)) throw new MalformedAnswerError('a streamed chunk is not a JSON object');
    if (chunk.error !== undefined)
      throw new StreamedError(errorMessageIn(event.data) ?? 'the stream reported an error', true);
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (isObject(choice)) {
      if (isObject(choice.delta) && typeof choice.delta.content === 'string')
        parts.push(choice.delta.content);
      if (typeof choice.finish_reason === 'string') completion.finishReason = choice.finish_reason;
    }
    addUsage(completion, chunk.usage);
  }
  if (!done) throw new MalformedAnswerError('the stream ended before data: [DONE]');
  completion.text = parts.join('');
  return completion;
}

/** `content` is a string, null (a refusal or a tool call), or on some servers a list of text parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content))
    return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
  throw new MalformedAnswerError('choices[0].message.content is neither text nor a list of parts');
}

function addUsage(completion: Completion, usage: unknown): void {
  if (!isObject(usage)) return;
  const input = optionalNumber(usage.prompt_tokens);
  const output = optionalNumber(usage.completion_tokens);
  if (input !== undefined) completion.inputTokens = input;
  if (output !== undefined) completion.outputTokens = output;
}
