/**
 * What the proxy needs of each API it checks (OpenAI chat completions, the OpenAI Responses API, Anthropic
 * Messages): where the answer's text is in a whole answer and in a stream, and how a note or a replacement
 * is put back in that API's own shape. The check itself is the caller's (`Decide`).
 */
import type { SseItem } from './sse.js';

/** What to do with one answer's text: append a note, or replace it (block mode). */
export type Change = { note: string } | { replace: string };

/** Checks one answer's text; undefined when there is nothing to say. */
export type Decide = (text: string) => Promise<Change | undefined>;

/** A streamed answer, event by event: each call returns the bytes to send on now, in order. */
export interface AnswerStream {
  event(item: Exclude<SseItem, { blind: true }>): Promise<Buffer[]>;
  /** Bytes passed on unread (an event too long to hold): the check of this answer is given up. */
  unchecked(raw: Buffer): Buffer[];
  /** The upstream ended: the rest, with the note or the replacement. */
  end(): Promise<Buffer[]>;
}

export interface StreamSettings {
  decide: Decide;
  /** Block mode: hold the whole stream until it is checked (what is sent cannot be taken back). */
  hold: boolean;
  /** Told when an answer could not be checked. */
  warn: (message: string) => void;
  /** The note saying an answer was too long to check. */
  tooLongNote: string;
}

export interface Dialect {
  id: 'chat' | 'responses' | 'messages';
  /** Checks a whole (non-streaming) answer in place; whether it was changed. */
  whole(doc: Record<string, unknown>, decide: Decide): Promise<boolean>;
  stream(settings: StreamSettings): AnswerStream;
  /** An error of the proxy itself, in this API's error shape. */
  error(message: string, type: string): Record<string, unknown>;
}

/** An answer's text beyond this is not accumulated: it is too long to be checked. */
export const MAX_ANSWER_CHARS = 1024 * 1024;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The OpenAI error shape, which chat completions and the Responses API share. */
export function openAiError(message: string, type: string): Record<string, unknown> {
  return { error: { message, type, code: null, param: null } };
}
