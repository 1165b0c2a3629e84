/**
 * The Anthropic Messages API: `POST {base}/v1/messages` with `x-api-key` and `anthropic-version:
 * 2023-06-01`; non-streaming, or server-sent events message_start, content_block_start/delta/stop,
 * message_delta, message_stop (plus ping and error).
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

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
const ANTHROPIC_VERSION = '2023-06-01';
/** The API requires max_tokens; enough for a long answer with code. */
const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Error types a later attempt may not meet (the API's documented `error.type` values). */
const RETRYABLE_ERROR_TYPES = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error']);

export interface AnthropicSettings {
  name: string;
  /** Without `/v1`, e.g. `https://api.anthropic.com`. */
  baseUrl: string;
  apiKey: string;
}

export function anthropicProvider(settings: AnthropicSettings): Provider {
  const base = settings.baseUrl.replace(/\/+$/, '');
  return {
    name: settings.name,
    type: 'anthropic',
    endpoint: base,
    secrets: [settings.apiKey],
    request(model: string, prompt: ChatPrompt, params: GenerationParams): ProviderRequest {
      const body: Record<string, unknown> = {
        model,
        max_tokens: params.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
        messages: [{ role: 'user', content: prompt.user }],
      };
      if (prompt.system) body.system = prompt.system;
      if (params.temperature !== undefined) body.temperature = params.temperature;
      if (params.stream) body.stream = true;
      return {
        url: `${base}/v1/messages`,
        headers: {
          'content-type': 'application/json',
          accept: params.stream ? 'text/event-stream' : 'application/json',
          'x-api-key': settings.apiKey,
          'anthropic-version': ANTHROPIC_VERSION,
        },
        body: JSON.stringify(body),
      };
    },
    parse: parseAnthropic,
    errorDetail: errorMessageIn,
  };
}

export function parseAnthropic(body: string, streamed: boolean): Completion {
  return streamed ? parseStream(body) : parseMessage(body);
}

function parseMessage(body: string): Completion {
  const doc = parseJsonBody(body, 'the message');
  if (!isObject(doc)) throw new MalformedAnswerError('the message is not a JSON object');
  if (doc.type === 'error') throw streamedError(doc);
  if (!Array.isArray(doc.content)) throw new MalformedAnswerError('the message has no content list');
  const completion: Completion = { text: doc.content.map(blockText).join('') };
  if (typeof doc.stop_reason === 'string') completion.finishReason = doc.stop_reason;
  if (isObject(doc.usage)) {
    const input = optionalNumber(doc.usage.input_tokens);
    const output = optionalNumber(doc.usage.output_tokens);
    if (input !== undefined) completion.inputTokens = input;
    if (output !== undefined) completion.outputTokens = output;
  }
  return completion;
}

function parseStream(body: string): Completion {
  const parts: string[] = [];
  const completion: Completion = { text: '' };
  let started = false;
  let stopped = false;
  for (const event of parseServerSentEvents(body)) {
    const data = parseJsonBody(event.data, `the ${event.event} event`);
    if (!isObject(data)) throw new MalformedAnswerError(`the ${event.event} event is not a JSON object`);
    const type = typeof data.type === 'string' ? data.type : event.event;
    switch (type) {
      case 'message_start': {
        started = true;
        const usage = isObject(data.message) && isObject(data.message.usage) ? data.message.usage : undefined;
        const input = optionalNumber(usage?.input_tokens);
        if (input !== undefined) completion.inputTokens = input;
        break;
      }
      case 'content_block_delta':
        if (isObject(data.delta) && data.delta.type === 'text_delta' && typeof data.delta.text === 'string')
          parts.push(data.delta.text);
        break;
      case 'message_delta': {
        if (isObject(data.delta) && typeof data.delta.stop_reason === 'string')
          completion.finishReason = data.delta.stop_reason;
        // Cumulative: the last message_delta has the total.
        const output = isObject(data.usage) ? optionalNumber(data.usage.output_tokens) : undefined;
        if (output !== undefined) completion.outputTokens = output;
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
      case 'error':
        throw streamedError(data);
      default:
        // ping, content_block_start/stop, and event types added later: nothing to read.
        break;
    }
    if (stopped) break;
  }
  if (!started) throw new MalformedAnswerError('the stream has no message_start event');
  if (!stopped) throw new MalformedAnswerError('the stream ended before message_stop');
  completion.text = parts.join('');
  return completion;
}

function blockText(block: unknown): string {
  return isObject(block) && block.type === 'text' && typeof block.text === 'string' ? block.text : '';
}

function streamedError(data: Record<string, unknown>): StreamedError {
  const error = isObject(data.error) ? data.error : {};
  const type = typeof error.type === 'string' ? error.type : 'error';
  const message = typeof error.message === 'string' ? error.message : 'no message';
  return new StreamedError(`${type}: ${message}`, RETRYABLE_ERROR_TYPES.has(type));
}
