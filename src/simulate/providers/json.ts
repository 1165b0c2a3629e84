import { isObject } from '../../core/json.js';
import { MalformedAnswerError } from './types.js';

/** The body as JSON, or a MalformedAnswerError that says which provider sent what. */
export function parseJsonBody(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new MalformedAnswerError(`${what} is not JSON (${describeBody(body)})`);
  }
}

export function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The start of a body for a message: long bodies are cut. */
function describeBody(body: string): string {
  if (body.trim() === '') return 'an empty body';
  const shown = body.length > 80 ? `${body.slice(0, 80)}…` : body;
  return `starts ${JSON.stringify(shown)}`;
}

/** `{"error": {"message": "..."}}` or `{"error": "..."}`, as the chat APIs put it. */
export function errorMessageIn(body: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  const error = doc.error;
  if (typeof error === 'string') return error;
  if (isObject(error) && typeof error.message === 'string') return error.message;
  return undefined;
}
