/**
 * The OpenAI Responses API (`POST …/responses`): the answer is the `output_text` parts of the `message`
 * items of `output`, each checked as it is complete. A note is appended to the part (streaming: one more
 * `response.output_text.delta` just before the part's `response.output_text.done`, and the text of the later
 * events that repeat the part made to agree, their `sequence_number`s shifted). When a part is blocked the
 * whole answer is replaced: the first part says why, the others are emptied.
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
import { jsonData, sseEvent } from './sse.js';

/** The `output_text` parts of a response's output, in order, each with the id of its message item. */
function textParts(output: unknown): { item: string; index: number; part: Record<string, unknown> }[] {
  const parts: { item: string; index: number; part: Record<string, unknown> }[] = [];
  for (const item of objects(output)) {
    if (item.type !== 'message') continue;
    objects(item.content).forEach((part, index) => {
      if (part.type === 'output_text' && typeof part.text === 'string')
        parts.push({ item: typeof item.id === 'string' ? item.id : '', index, part });
    });
  }
  return parts;
}

const keyOf = (item: string, index: number) => `${item}\0${index}`;

/** What each part's text becomes, when any is blocked: the explanation first, nothing after it. */
function replaced(keys: readonly string[], explanation: string): Map<string, Change> {
  return new Map(keys.map((key, i) => [key, { replace: i === 0 ? explanation : '' }]));
}

async function whole(doc: Record<string, unknown>, decide: Decide): Promise<boolean> {
  if (doc.object !== 'response') return false;
  const parts = textParts(doc.output);
  const changes = new Map<string, Change>();
  let blocked: string | undefined;
  for (const { item, index, part } of parts) {
    if (part.text === '') continue;
    const change = await decide(part.text as string);
    if (!change) continue;
    if ('replace' in change) blocked ??= change.replace;
    changes.set(keyOf(item, index), change);
  }
  if (changes.size === 0) return false;
  const final =
    blocked !== undefined
      ? replaced(
          parts.map((p) => keyOf(p.item, p.index)),
          blocked,
        )
      : changes;
  for (const { item, index, part } of parts)
    part.text = textAfter(part.text as string, final.get(keyOf(item, index)));
  // Some servers send the SDK's convenience field too: it must say what the parts now say.
  if (typeof doc.output_text === 'string') doc.output_text = parts.map((p) => p.part.text).join('');
  return true;
}

function textAfter(text: string, change: Change | undefined): string {
  if (!change) return text;
  return 'replace' in change ? change.replace : `${text}${change.note}`;
}

/** The part an event is about (`item_id` + `content_index`), when it is about one. */
function eventKey(event: Record<string, unknown>): string | undefined {
  return typeof event.item_id === 'string' && typeof event.content_index === 'number'
    ? keyOf(event.item_id, event.content_index)
    : undefined;
}

function stream(settings: StreamSettings): AnswerStream {
  const texts = new Map<string, string>();
  const finals = new Map<string, string>();
  const changes = new Map<string, Change>();
  const held: { raw: Buffer; name?: string; event?: Record<string, unknown> }[] = [];
  let tooLong = false;
  // Events put in (+1) or left out (−1) so far: the later ones' sequence numbers follow.
  let shift = 0;

  /** One event as it goes out: unchanged bytes when nothing about it changed. */
  function rewrite(
    raw: Buffer,
    name: string | undefined,
    event: Record<string, unknown> | undefined,
  ): Buffer[] {
    if (!event || (changes.size === 0 && shift === 0)) return [raw];
    const key = eventKey(event);
    const change = key !== undefined ? changes.get(key) : undefined;
    const out: Buffer[] = [];
    const emit = (data: Record<string, unknown>) => {
      if (typeof data.sequence_number === 'number') data.sequence_number += shift;
      out.push(sseEvent(data, name ?? (typeof data.type === 'string' ? data.type : undefined)));
    };
    if (event.type === 'response.output_text.delta' && change && 'replace' in change) {
      shift--;
      return [];
    }
    if (event.type === 'response.output_text.done' && change) {
      const extra = 'replace' in change ? change.replace : change.note;
      if (extra !== '') {
        const delta = {
          type: 'response.output_text.delta',
          item_id: event.item_id,
          output_index: event.output_index,
          content_index: event.content_index,
          delta: extra,
          logprobs: [],
          sequence_number: event.sequence_number,
        };
        emit(delta);
        shift++;
      }
      event.text = textAfter(typeof event.text === 'string' ? event.text : (texts.get(key!) ?? ''), change);
      emit(event);
      return out;
    }
    if (event.type === 'response.content_part.done' && change && isObject(event.part)) {
      if (typeof event.part.text === 'string') event.part.text = finals.get(key!) ?? event.part.text;
    }
    if (event.type === 'response.output_item.done' && isObject(event.item)) fixTexts([event.item]);
    if (isObject(event.response)) fixTexts(event.response.output);
    emit(event);
    return out;
  }

  /** The parts of these output items say what their changed text now is. */
  function fixTexts(output: unknown): void {
    for (const { item, index, part } of textParts(output)) {
      const text = finals.get(keyOf(item, index));
      if (text !== undefined) part.text = text;
    }
  }

  /** Records the change of a part and the text it leaves. */
  function settle(key: string, change: Change | undefined, text: string): void {
    if (!change) return;
    changes.set(key, change);
    finals.set(key, textAfter(text, change));
  }

  return {
    async event({ raw, name, data }) {
      const event = tooLong ? undefined : jsonData(data);
      const key = event ? eventKey(event) : undefined;
      if (
        event &&
        key !== undefined &&
        event.type === 'response.output_text.delta' &&
        typeof event.delta === 'string'
      ) {
        const sofar = texts.get(key) ?? '';
        if (sofar.length + event.delta.length > MAX_ANSWER_CHARS) tooLong = true;
        else texts.set(key, sofar + event.delta);
      }
      if (event && key !== undefined && event.type === 'response.output_text.done') {
        const text = typeof event.text === 'string' ? event.text : (texts.get(key) ?? '');
        texts.set(key, text);
        if (!settings.hold && text !== '' && text.length <= MAX_ANSWER_CHARS)
          settle(key, await settings.decide(text), text);
      }
      if (settings.hold) {
        held.push({ raw, ...(name !== undefined ? { name } : {}), ...(event ? { event } : {}) });
        return [];
      }
      return rewrite(raw, name, event);
    },
    unchecked(raw) {
      tooLong = true;
      if (settings.hold) {
        held.push({ raw });
        return [];
      }
      return [raw];
    },
    async end() {
      if (tooLong) settings.warn('a streamed answer was too long to be checked and was passed on unchecked');
      if (!settings.hold) return [];
      if (!tooLong) {
        let blocked: string | undefined;
        const decided = new Map<string, Change>();
        for (const [key, text] of texts) {
          if (text === '') continue;
          const change = await settings.decide(text);
          if (!change) continue;
          if ('replace' in change) blocked ??= change.replace;
          decided.set(key, change);
        }
        const final = blocked !== undefined ? replaced([...texts.keys()], blocked) : decided;
        for (const [key, change] of final) settle(key, change, texts.get(key) ?? '');
      }
      return held.flatMap(({ raw, name, event }) => rewrite(raw, name, event));
    },
  };
}

export const responses: Dialect = {
  id: 'responses',
  whole,
  stream,
  error: openAiError,
};
