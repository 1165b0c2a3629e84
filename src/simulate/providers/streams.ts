/**
 * The two streaming formats of the chat APIs: server-sent events (OpenAI, Anthropic), read as the HTML
 * standard's event-stream interpretation says, and newline-delimited JSON (Ollama).
 */

export interface ServerSentEvent {
  /** The `event:` field; `message` when absent. */
  event: string;
  data: string;
}

/**
 * Every complete event of an event stream. Lines end with CRLF, LF or CR; `:` starts a comment; `data`
 * lines of one event join with `\n`; a field's value loses one leading space; an event without data is not
 * dispatched, and neither is an unterminated one at the end of the stream.
 */
export function parseServerSentEvents(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  let event = '';
  let data: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data.length > 0) events.push({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  }
  return events;
}

/** The values of a JSON-lines body, with the 1-based line of each; throws on a line that is not JSON. */
export function parseJsonLines(text: string): { line: number; value: unknown }[] {
  const values: { line: number; value: unknown }[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      values.push({ line: index + 1, value: JSON.parse(line) });
    } catch {
      throw new SyntaxError(`line ${index + 1} is not JSON`);
    }
  }
  return values;
}
