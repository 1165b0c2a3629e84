/**
 * Ollama's native chat API: `POST {host}/api/chat`; one JSON object with `"stream": false`, otherwise
 * newline-delimited JSON objects, the last with `"done": true` and the token counts.
 */

import { isObject } from '../../core/json.js';
import { errorMessageIn, optionalNumber, parseJsonBody } from './json.js';
import { parseJsonLines } from './streams.js';
import {
  type ChatPrompt,
  type Completion,
  type GenerationParams,
  MalformedAnswerError,
  type Provider,
  type ProviderRequest,
  StreamedError,
} from './types.js';

export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';

export interface OllamaSettings {
  name: string;
  baseUrl: string;
}

/**
 * OLLAMA_HOST may be `0.0.0.0:11434` or a bare host: as Ollama's own clients read it, the scheme defaults
 * to http and the port of plain http to 11434 (https keeps 443); the listen-on-all address means this host.
 */
export function ollamaBaseUrl(host: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`;
  const url = new URL(withScheme);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  const explicitPort = /^[a-z][a-z0-9+.-]*:\/\/[^/]*:\d+/i.test(withScheme);
  if (!explicitPort && url.protocol === 'http:') url.port = '11434';
  return url.toString().replace(/\/+$/, '');
}

export function ollamaProvider(settings: OllamaSettings): Provider {
  const base = settings.baseUrl.replace(/\/+$/, '');
  return {
    name: settings.name,
    type: 'ollama',
    endpoint: base,
    secrets: [],
    request(model: string, prompt: ChatPrompt, params: GenerationParams): ProviderRequest {
      const options: Record<string, number> = {};
      if (params.temperature !== undefined) options.temperature = params.temperature;
      if (params.seed !== undefined) options.seed = params.seed;
      if (params.maxTokens !== undefined) options.num_predict = params.maxTokens;
      const body: Record<string, unknown> = {
        model,
        messages: [
          ...(prompt.system ? [{ role: 'system', content: prompt.system }] : []),
          { role: 'user', content: prompt.user },
        ],
        stream: params.stream,
      };
      if (Object.keys(options).length > 0) body.options = options;
      return {
        url: `${base}/api/chat`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
    },
    parse: parseOllama,
    errorDetail: errorMessageIn,
  };
}

export function parseOllama(body: string, streamed: boolean): Completion {
  return streamed ? parseStream(body) : parseFinal(parseJsonBody(body, 'the answer'));
}

function parseStream(body: string): Completion {
  let lines: { line: number; value: unknown }[];
  try {
    lines = parseJsonLines(body);
  } catch (error) {
    throw new MalformedAnswerError(`the stream is not JSON lines: ${(error as Error).message}`);
  }
  const parts: string[] = [];
  for (const { line, value } of lines) {
    if (!isObject(value)) throw new MalformedAnswerError(`line ${line} of the stream is not a JSON object`);
    if (typeof value.error === 'string') throw new StreamedError(value.error, true);
    if (value.done === true) {
      const final = parseFinal(value);
      final.text = parts.join('') + final.text;
      return final;
    }
    if (isObject(value.message) && typeof value.message.content === 'string')
      parts.push(value.message.content);
  }
  throw new MalformedAnswerError('the stream ended before a "done": true line');
}

function parseFinal(doc: unknown): Completion {
  if (!isObject(doc)) throw new MalformedAnswerError('the answer is not a JSON object');
  if (typeof doc.error === 'string') throw new StreamedError(doc.error, true);
  if (doc.done !== true) throw new MalformedAnswerError('the answer is not "done": true');
  const message = doc.message;
  if (message !== undefined && !isObject(message))
    throw new MalformedAnswerError('"message" is not an object');
  const completion: Completion = {
    text: isObject(message) && typeof message.content === 'string' ? message.content : '',
  };
  if (typeof doc.done_reason === 'string') completion.finishReason = doc.done_reason;
  const input = optionalNumber(doc.prompt_eval_count);
  const output = optionalNumber(doc.eval_count);
  if (input !== undefined) completion.inputTokens = input;
  if (output !== undefined) completion.outputTokens = output;
  return completion;
}
