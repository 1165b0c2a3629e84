/**
 * Anthropic Messages (`POST …/v1/messages`): the answer is the assistant message's `text` blocks, read as
 * one text. A note is appended to the last text block (streaming: one more text block, after the others and
 * before `message_delta`); a blocked answer's text blocks give way to one block that says why.
 */
import {
  type AnswerStream,
  type Change,
  type Decide,
  type Dialect,
  isObject,
  MAX_ANSWER_CHARS,
  objects,
  type StreamSettings,
} from './dialect.js';
import { jsonData, sseEvent } from './sse.js';

/** Text blocks are separate paragraphs of one answer. */
const joinBlocks = (texts: readonly string[]) => texts.join('\n\n');

async function whole(doc: Record<string, unknown>, decide: Decide): Promise<boolean> {
  if (doc.type !== 'message' || doc.role !== 'assistant' || !Array.isArray(doc.content)) return false;
  const blocks = objects(doc.content).filter((b) => b.type === 'text' && typeof b.text === 'string');
  const text = joinBlocks(blocks.map((b) => b.text as string));
  if (text === '') return false;
  const change = await decide(text);
  if (!change) return false;
  if ('replace' in change) {
    // Anthropic refuses an empty text block when a conversation is sent back: the others are left out.
    const first = blocks[0]!;
    first.text = change.replace;
    doc.content = (doc.content as unknown[]).filter((b) => b === first || !blocks.includes(b as never));
  } else {
    const last = blocks.at(-1)!;
    last.text = `${last.text as string}${change.note}`;
  }
  return true;
}

/** The three events of a text block holding `text`, at `index`. */
function textBlock(index: number, text: string): Buffer[] {
  return [
    sseEvent(
      { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
      'content_block_start',
    ),
    sseEvent(
      { type: 'content_block_delta', index, delta: { type: 'text_delta', text } },
      'content_block_delta',
    ),
    sseEvent({ type: 'content_block_stop', index }, 'content_block_stop'),
  ];
}

/**
 * Annotate mode passes the content blocks on as they arrive and holds back `message_delta` (the stop
 * reason and usage) and what follows it; the note is a text block before them. Block mode holds it all.
 */
function stream(settings: StreamSettings): AnswerStream {
  const texts = new Map<number, string>();
  let next = 0;
  let tooLong = false;
  let length = 0;
  const held: { raw: Buffer; type?: unknown }[] = [];
  const tail: Buffer[] = [];
  let ending = false;
  const pass = (raw: Buffer, type?: unknown): Buffer[] => {
    if (ending) tail.push(raw);
    else if (settings.hold) held.push({ raw, type });
    else return [raw];
    return [];
  };
  return {
    async event({ raw, data }) {
      const event = tooLong ? undefined : jsonData(data);
      if (!event) return pass(raw);
      if (event.type === 'message_delta' || event.type === 'message_stop') ending = true;
      if (typeof event.index === 'number' && event.index >= next) next = event.index + 1;
      const delta = isObject(event.delta) ? event.delta : undefined;
      if (
        event.type === 'content_block_delta' &&
        delta?.type === 'text_delta' &&
        typeof delta.text === 'string'
      ) {
        length += delta.text.length;
        if (length > MAX_ANSWER_CHARS) tooLong = true;
        else texts.set(event.index as number, (texts.get(event.index as number) ?? '') + delta.text);
      }
      return pass(raw, event.type);
    },
    unchecked(raw) {
      tooLong = true;
      return pass(raw);
    },
    async end() {
      let change: Change | undefined;
      if (tooLong) {
        settings.warn('a streamed answer was too long to be checked and was passed on unchecked');
        if (!settings.hold) change = { note: settings.tooLongNote };
      } else {
        const text = joinBlocks([...texts.entries()].sort(([a], [b]) => a - b).map(([, t]) => t));
        if (text !== '') change = await settings.decide(text);
      }
      if (change && 'replace' in change) {
        // The blocks of the answer give way to one that explains; the message around them stays.
        const kept = held.filter((h) => typeof h.type !== 'string' || !h.type.startsWith('content_block_'));
        return [...kept.map((h) => h.raw), ...textBlock(0, change.replace), ...tail];
      }
      return [...held.map((h) => h.raw), ...(change ? textBlock(next, change.note) : []), ...tail];
    },
  };
}

export const messages: Dialect = {
  id: 'messages',
  whole,
  stream,
  error: (message, type) => ({ type: 'error', error: { type, message } }),
};
