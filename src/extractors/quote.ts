/**
 * Text of a scanned file as an error message quotes it: JSON-escaped (no control characters) and cut to `max`
 * characters, so that an error never carries more of a file than the token it is about.
 */
export function quoted(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
