/**
 * Assistant conversations as text: a markdown answer, an OpenAI chat completion or messages array, an
 * Anthropic Messages response or messages array, an Ollama chat response, a `{messages: [...]}` record, or
 * JSON lines of any of these. Only assistant turns are answers; user and system turns are what they answer.
 */

import { type ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';
import { pushAll } from '../core/arrays.js';
import { isJson, isObject } from '../core/json.js';
import { basename } from '../core/paths.js';
import { LineIndex } from '../model/location.js';
import type { ExtractError, SourceFile } from '../model/source.js';

export interface Answer {
  /**
   * Unique within a check, and the `file` of every location in the answer (lines count within the answer's
   * text): `answer.md` (a markdown file is one answer), `chat.json#turn4` (the 4th message of a messages
   * array), `completion.json#choice1`, `runs.jsonl:line3#turn2` (JSON lines: the line, then the message).
   */
  id: string;
  text: string;
  /** The user's message the answer replies to: the last user turn before it, when the conversation has one. */
  request?: string;
  /** The system prompt of the conversation, when it has one. */
  system?: string;
  model?: string;
}

export type ConversationFormat = 'markdown' | 'json' | 'jsonl';

export interface ConversationRead {
  format: ConversationFormat;
  answers: Answer[];
  /** Malformed JSON or a shape that is no conversation, with the line (of the JSON lines file) where known. */
  errors: ExtractError[];
}

const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mdx', 'txt']);
const JSON_LINES_EXTENSIONS = new Set(['jsonl', 'ndjson']);

/** Reads every answer of a conversation file (or of standard input, whose path is `<stdin>`). */
export function readConversation(file: SourceFile): ConversationRead {
  const format = detectFormat(file);
  if (file.text.trim() === '') return { format, answers: [], errors: [] };
  if (format === 'markdown') return { format, answers: [{ id: file.path, text: file.text }], errors: [] };
  const answers: Answer[] = [];
  const errors: ExtractError[] = [];
  if (format === 'json') {
    const value = parseJson(file.text, (error) => errors.push(error));
    if (value !== undefined) {
      const found = answersOf(value, file.path);
      if (typeof found === 'string') errors.push({ line: 1, message: found });
      else pushAll(answers, found);
    }
    return { format, answers, errors };
  }
  for (const [i, line] of file.text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const lineNumber = i + 1;
    const value = parseJson(line, (error) => errors.push({ ...error, line: lineNumber }));
    if (value === undefined) continue;
    const found = answersOf(value, `${file.path}:line${lineNumber}`);
    if (typeof found === 'string') errors.push({ line: lineNumber, message: found });
    else pushAll(answers, found);
  }
  return { format, answers, errors };
}

/**
 * The extension decides when it is one Vouch knows; otherwise (standard input, `.log`, no extension) the
 * content does: a JSON document, JSON lines, or else markdown. A `.json` file of JSON lines is read as such.
 */
export function detectFormat(file: SourceFile): ConversationFormat {
  const name = basename(file.path).toLowerCase();
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
  if (JSON_LINES_EXTENSIONS.has(extension)) return 'jsonl';
  if (MARKDOWN_EXTENSIONS.has(extension)) return 'markdown';
  const text = file.text.trim();
  const json = extension === 'json';
  if (!json && !/^[[{]/.test(text)) return 'markdown';
  if (isJson(text)) return 'json';
  const first = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  if (text.includes('\n') && isJson(first)) return 'jsonl';
  return json ? 'json' : 'markdown';
}

/**
 * `JSON.parse` for speed (a run of thousands of answers); on failure the tolerant parser says where the text
 * goes wrong, and the value is not used.
 */
function parseJson(text: string, fail: (error: ExtractError) => void): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const problems: ParseError[] = [];
    parseTolerant(text, problems, { disallowComments: true, allowTrailingComma: false });
    const first = problems[0];
    if (!first) {
      fail({ line: 1, message: 'invalid JSON' });
      return undefined;
    }
    const { line, column } = new LineIndex(text).position(first.offset);
    fail({ line, column, message: `invalid JSON: ${printParseErrorCode(first.error)}` });
    return undefined;
  }
}

type Json = Record<string, unknown>;

const SHAPES =
  'expected a messages array ([{role, content}]), an OpenAI chat completion ({choices}), an Anthropic ' +
  'message ({role: "assistant", content}), an Ollama chat response ({message}) or {messages}';

/** The answers in one JSON value, or why it is no conversation. */
function answersOf(value: unknown, base: string): Answer[] | string {
  if (Array.isArray(value)) {
    return value.every((m) => isObject(m) && typeof m.role === 'string')
      ? fromMessages(value as Json[], base, {})
      : `not a conversation: ${SHAPES}`;
  }
  if (!isObject(value)) return `not a conversation: ${SHAPES}`;
  const model = typeof value.model === 'string' ? value.model : undefined;
  if (Array.isArray(value.choices)) return fromChoices(value.choices, base, model);
  if (Array.isArray(value.messages)) {
    if (!value.messages.every((m) => isObject(m) && typeof m.role === 'string'))
      return 'not a conversation: every message needs a role';
    // Anthropic requests carry the system prompt beside the messages.
    const system = textOf(value.system);
    return fromMessages(value.messages as Json[], base, { model, ...(system ? { system } : {}) });
  }
  if (isObject(value.message) && typeof value.message.role === 'string') {
    return fromMessages([value.message], base, { model }, false);
  }
  if (typeof value.role === 'string' && 'content' in value)
    return fromMessages([value], base, { model }, false);
  return `not a conversation: ${SHAPES}`;
}

/** An OpenAI chat completion: each choice is an alternative answer to the same (unseen) request. */
function fromChoices(choices: unknown[], base: string, model: string | undefined): Answer[] | string {
  const answers: Answer[] = [];
  for (const [i, choice] of choices.entries()) {
    if (!isObject(choice) || !isObject(choice.message)) return `choice ${i + 1} has no message`;
    const text = textOf(choice.message.content);
    if (choice.message.role === 'assistant' && text)
      answers.push(answer(`${base}#choice${i + 1}`, text, { model }));
  }
  return answers;
}

/**
 * Messages in order; `numbered` is false for a single message (an Anthropic response), whose id is the base.
 * A turn's number is its position among all messages, so the id points at the element.
 */
function fromMessages(
  messages: Json[],
  base: string,
  context: { model?: string | undefined; system?: string },
  numbered = true,
): Answer[] {
  const answers: Answer[] = [];
  let request: string | undefined;
  let system = context.system;
  for (const [i, message] of messages.entries()) {
    const text = textOf(message.content);
    switch (message.role) {
      case 'system':
      case 'developer':
        system = text ?? system;
        break;
      case 'user':
        // A user turn that only returns tool results is no new request.
        if (text) request = text;
        break;
      case 'assistant': {
        // A turn of tool calls only is no answer.
        if (!text) break;
        const id = numbered ? `${base}#turn${i + 1}` : base;
        answers.push(answer(id, text, { model: context.model, request, system }));
        break;
      }
    }
  }
  return answers;
}

function answer(
  id: string,
  text: string,
  context: { model?: string | undefined; request?: string | undefined; system?: string | undefined },
): Answer {
  const out: Answer = { id, text };
  if (context.request !== undefined) out.request = context.request;
  if (context.system !== undefined) out.system = context.system;
  if (context.model !== undefined) out.model = context.model;
  return out;
}

/**
 * The text of a message's content: a string, or the `text` of its text parts (OpenAI `{type: 'text'}`,
 * Anthropic text blocks) joined as they stand, since Anthropic splits one text around citations. Thinking,
 * tool calls, images and refusals are not text the reader was given as the answer.
 */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content.trim() === '' ? undefined : content;
  if (!Array.isArray(content)) return undefined;
  const text = content
    .filter((part): part is Json => isObject(part) && part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('');
  return text.trim() === '' ? undefined : text;
}
