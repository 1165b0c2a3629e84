/**
 * What a chat provider is to the runner: it turns a prompt into one HTTP request and an answer body back
 * into text and token counts. Providers do no I/O; `transport.ts` sends what they build, so that retries,
 * limits, recording and replay are the runner's alone.
 */

export const PROVIDER_TYPES = ['openai', 'anthropic', 'ollama'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface ChatPrompt {
  system?: string;
  user: string;
}

export interface GenerationParams {
  /** Unset: the provider's default. */
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  stream: boolean;
}

export interface ProviderRequest {
  url: string;
  /** May carry the key: never stored, logged or shown. */
  headers: Record<string, string>;
  /** The JSON body sent; it carries no secret and is stored with the sample. */
  body: string;
}

export interface Completion {
  text: string;
  inputTokens?: number;
  outputTokens?: number;
  /** `stop`, `length`, `end_turn`, `max_tokens`, ... as the provider says it. */
  finishReason?: string;
}

/** An answer the provider sent that is not what its API documents: worth another attempt. */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';
}

/** A 200 stream that reported an error itself (an `error` event): retryable like a 5xx unless it says otherwise. */
export class StreamedError extends Error {
  override readonly name = 'StreamedError';

  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface Provider {
  /** The name used in `--model NAME:MODEL` (a provider type, or a name the providers file gives). */
  readonly name: string;
  readonly type: ProviderType;
  /** Base URL without credentials, for messages. */
  readonly endpoint: string;
  /** Strings that must never appear in anything shown or stored (the key). */
  readonly secrets: readonly string[];
  request(model: string, prompt: ChatPrompt, params: GenerationParams): ProviderRequest;
  /** Reads a 200 answer's whole body (a JSON document, or the event stream when `streamed`). */
  parse(body: string, streamed: boolean): Completion;
  /** The provider's own explanation in an error body, when there is one. */
  errorDetail(body: string): string | undefined;
}
