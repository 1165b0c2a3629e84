/**
 * OpenAI chat completions (`POST …/chat/completions`): each choice is an answer of its own. A note is
 * appended to the message (streaming: a last chunk before `[DONE]`); a blocked answer is replaced.
 */
import {
  type AnswerStream,
  type Change,
  type Decide,
  type Dialect,
  isObject,
  MAX_ANSWER_CHARS,
  objects,
  openAiError,
  type StreamSettings,
} from './dialect.js';
import { sseEvent } from './sse.js';

/** A message's text: a string, or the text parts of a list of parts. */
function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
  return undefined;
}

async function whole(doc: Record<string, unknown>, decide: Decide): Promise<boolean> {
  let changed = false;
  for (const choice of objects(doc.choices)) {
    const message = isObject(choice.message) ? choice.message : undefined;
    const text = messageText(message?.content);
    if (!message || text === undefined || text === '') continue;
    const change = await decide(text);
    if (!change) continue;
    changed = true;
    message.content = 'replace' in change ? change.replace : `${text}${change.note}`;
  }
  return changed;
}

interface Meta {
  id?: unknown;
  model?: unknown;
  created?: unknown;
}

function chunkOf(meta: Meta, index: number, content: string, finish: string | null) {
  return {
    id: typeof meta.id === 'string' ? meta.id : 'vouch-note',
    object: 'chat.completion.chunk',
    created: typeof meta.created === 'number' ? meta.created : Math.floor(Date.now() / 1000),
    model: typeof meta.model === 'string' ? meta.model : 'vouch',
    choices: [{ index, delta: { content }, finish_reason: finish }],
  };
}

/**
 * Annotate mode passes every event on as it arrives and holds back only `[DONE]` and what follows it: the
 * note, when there is one, is a last chunk before it. Block mode holds the whole stream, then passes it on
 * as it came, or an explanation instead.
 */
function stream(settings: StreamSettings): AnswerStream {
  const texts = new Map<number, string>();
  let meta: Meta = {};
  let tooLong = false;
  const held: Buffer[] = [];
  const after: Buffer[] = [];
  let done: Buffer | undefined;
  const pass = (raw: Buffer): Buffer[] => {
    if (done !== undefined) after.push(raw);
    else if (settings.hold) held.push(raw);
    else return [raw];
    return [];
  };
  return {
    async event({ raw, data }) {
      if (tooLong) return pass(raw);
      if (data === '[DONE]' && done === undefined) {
        done = raw;
        return [];
      }
      if (data !== undefined && done === undefined) {
        try {
          const parsed = JSON.parse(data) as Meta & { choices?: unknown };
          meta = {
            id: parsed.id ?? meta.id,
            model: parsed.model ?? meta.model,
            created: parsed.created ?? meta.created,
          };
          for (const choice of objects(parsed.choices)) {
            const piece = isObject(choice.delta) ? choice.delta.content : undefined;
            if (typeof piece !== 'string') continue;
            const index = typeof choice.index === 'number' ? choice.index : 0;
            const sofar = texts.get(index) ?? '';
            if (sofar.length + piece.length > MAX_ANSWER_CHARS) tooLong = true;
            else texts.set(index, sofar + piece);
          }
        } catch {
          // Not a chunk of a chat completion: passed on as it is.
        }
      }
      return pass(raw);
    },
    unchecked(raw) {
      tooLong = true;
      return pass(raw);
    },
    async end() {
      const notes: { index: number; note: string }[] = [];
      let blocked: string | undefined;
      if (tooLong) {
        settings.warn('a streamed answer was too long to be checked and was passed on unchecked');
        if (!settings.hold) notes.push({ index: 0, note: settings.tooLongNote });
      } else
        for (const [index, text] of texts) {
          if (text === '') continue;
          const change: Change | undefined = await settings.decide(text);
          if (!change) continue;
          if ('replace' in change) blocked = change.replace;
          else notes.push({ index, note: change.note });
        }
      // Block mode: the answer is replaced by the explanation, in the stream's own shape.
      if (blocked !== undefined) return [sseEvent(chunkOf(meta, 0, blocked, 'stop')), sseEvent('[DONE]')];
      return [
        ...held,
        ...notes.map(({ index, note }) => sseEvent(chunkOf(meta, index, note, null))),
        ...(done ? [done] : []),
        ...after,
      ];
    },
  };
}

export const chatCompletions: Dialect = {
  id: 'chat',
  whole,
  stream,
  error: openAiError,
};
