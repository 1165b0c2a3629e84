import { maxOf } from '../core/arrays.js';

/**
 * Text from outside Vouch (package names, paths, file contents quoted in errors, registry deprecation
 * messages and yank reasons, model answers, provider messages) made safe for the human-facing outputs.
 * Terminals act on control characters (ANSI and OSC escapes recolour, retitle or hide lines; a carriage
 * return overwrites one; bidi overrides reorder what is read), markdown and HTML on their markup. The scan's
 * table, the simulation reports and every message the CLI prints go through these; JSON and SARIF escape by
 * themselves.
 */

/**
 * C0 controls other than tab and line feed, DEL, C1 controls, and the bidirectional marks, overrides and
 * isolates that can make text read other than it is.
 */
const CONTROL = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Control characters shown as `\x1b` / `\u202e`: an escape sequence can no longer act on a terminal. */
export function plain(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\t' || c === '\n') return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** One line of plain text (a table cell, a message): line breaks become spaces, a lone carriage return shows. */
export function oneLine(text: string): string {
  return plain(text.replace(/\r?\n/g, ' '));
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
 * Markdown for GitHub (pull-request comments, job summaries): also no `@` mention, which would notify a
 * person or a team (`@acme/owners` is also a scoped package name). A zero-width space after the `@` keeps it
 * readable, as Dependabot does in the release notes it quotes.
 */
export function escapeGithubMarkdown(text: string): string {
  return escapeMarkdown(text).replace(/@/g, '@\u200b');
}

/**
 * A code span for a name or a path: mentions and markup do not apply inside one. Its delimiter is one backtick
 * longer than the longest run inside, so no name can close it; `|` is escaped for GitHub's table cells (GFM
 * reads `\|` as a pipe even inside a code span).
 */
export function markdownCode(text: string): string {
  const clean = oneLine(text).replace(/\|/g, '\\|');
  const longest = maxOf(
    (clean.match(/`+/g) ?? []).map((run) => run.length),
    0,
  );
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
