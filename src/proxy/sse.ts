/**
 * Server-sent events as the proxy reads them: whole events cut out of the upstream's bytes, each kept as
 * the exact bytes it came in (a clean answer is passed on byte for byte), with its data parsed once.
 */

/** One server-sent event without an end beyond this: the stream is passed on unchecked from there. */
export const MAX_EVENT_BYTES = 1024 * 1024;

export type SseItem =
  /** A complete event: its bytes, its `event:` name and `data:` lines when it has them. */
  | { raw: Buffer; name?: string; data?: string; blind?: false }
  /** Bytes passed on unread: an event too long to hold, and everything after it. */
  | { raw: Buffer; blind: true };

/** The events of a body, then whatever bytes are left after the last complete one. */
export async function* sseEvents(body: AsyncIterable<unknown>): AsyncGenerator<SseItem> {
  let pending: Buffer = Buffer.alloc(0);
  let blind = false;
  for await (const chunk of body) {
    if (blind) {
      yield { raw: chunk as Buffer, blind: true };
      continue;
    }
    pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
    for (;;) {
      const end = eventEnd(pending);
      if (end === -1) break;
      const raw = Buffer.from(pending.subarray(0, end));
      pending = pending.subarray(end);
      yield { raw, ...eventFields(raw.toString('utf8')) };
    }
    if (pending.length > MAX_EVENT_BYTES) {
      blind = true;
      yield { raw: pending, blind: true };
      pending = Buffer.alloc(0);
    }
  }
  if (pending.length > 0) yield { raw: pending, ...eventFields(pending.toString('utf8')) };
}

/** The end of the first complete server-sent event (after its blank line), or -1. */
function eventEnd(buffer: Buffer): number {
  for (let i = 0; i < buffer.length - 1; i++) {
    if (buffer[i] !== 0x0a && buffer[i] !== 0x0d) continue;
    // A line ends with \n, \r\n or \r; an empty line after it ends the event.
    let j = i + (buffer[i] === 0x0d && buffer[i + 1] === 0x0a ? 2 : 1);
    if (j >= buffer.length) return -1;
    if (buffer[j] === 0x0a) return j + 1;
    if (buffer[j] === 0x0d) {
      j += buffer[j + 1] === 0x0a ? 2 : 1;
      return j <= buffer.length ? j : -1;
    }
    i = j - 1;
  }
  return -1;
}

/** The name and data of an event (its `data:` lines joined); each absent when the event has none. */
function eventFields(event: string): { name?: string; data?: string } {
  const lines = event.split(/\r\n|\r|\n/);
  const data = lines.filter((line) => line.startsWith('data:'));
  const name = lines.find((line) => line.startsWith('event:'));
  return {
    ...(name !== undefined ? { name: name.slice(name.startsWith('event: ') ? 7 : 6) } : {}),
    ...(data.length > 0
      ? { data: data.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n') }
      : {}),
  };
}

/** An event as bytes: its name line when it has one, its data as one line. */
export function sseEvent(data: unknown, name?: string): Buffer {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return Buffer.from(`${name !== undefined ? `event: ${name}\n` : ''}data: ${text}\n\n`);
}

/** The data of an event as a JSON object, or undefined. */
export function jsonData(data: string | undefined): Record<string, unknown> | undefined {
  if (data === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
