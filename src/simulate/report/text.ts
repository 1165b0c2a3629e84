/**
 * Model answers, package names from them, registry and provider messages are untrusted text: before any
 * of it reaches a terminal, a markdown file or an HTML page, control characters are made visible and the
 * format's own syntax is escaped. (Local to the simulation reports until a shared helper exists.)
 */

/**
 * C0 controls other than tab and line feed, DEL, C1 controls, and the bidirectional overrides and
 * isolates that can make text read other than it is.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Control characters shown as `\x1b` / `\u202e`: an escape sequence can no longer act on a terminal. */
export function plain(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** One line of plain text: line breaks become spaces. */
export function oneLine(text: string): string {
  return plain(text.replace(/\r\n?|\n/g, ' '));
}

export function escapeHtml(text: string): string {
  return plain(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Text for a markdown table cell or paragraph: one line, with every character markdown or inline HTML would
 * act on backslash-escaped (CommonMark lets any ASCII punctuation be escaped so).
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>|~&!#]/g, (c) => `\\${c}`);
}

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a field a spreadsheet would
 * run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading apostrophe, as OWASP
 * advises, unless it is a number.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = plain(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
