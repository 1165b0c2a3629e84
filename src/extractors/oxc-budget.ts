/**
 * A bound on what oxc-parser is handed. oxc recovers from many syntax errors and goes on, and for each error
 * it reports it renders a code frame holding the error's whole line and finds the line by counting from the
 * start of the text: its time (and memory) grows with errors × (line length + offset). Measured with 0.159:
 * 200 KB of `\` on one line took over a minute; 70 KB of `return;` on one line, 30 s; 800 KB of `return;`
 * lines, 8 s; a real 9 MB bundle without errors parses in 2 s. Two cheap tests keep oxc away from such text:
 *
 * - a line longer than MAX_PARSED_LINE characters (minified or generated code, or an attack) is not
 *   handed to oxc at all: import statements are read by es-module-lexer, which reads in linear time;
 * - a text longer than PROBE_ABOVE is first parsed in pieces of about PIECE characters (cut at line
 *   breaks), whose errors cost little; when they add up to more than errorBudget(pieces), the text is
 *   error-dense and is not parsed whole. A piece parsed alone may start inside a construct (a function
 *   cut in two): each piece is allowed a few errors of its own for that.
 *
 * The probe costs little on real code (30 ms for a 9 MB bundle: a piece stops at its first unrecoverable
 * error) and stops at the piece that crosses the budget. A text that passes holds at most a few thousand
 * errors where oxc pays (10,000 + offset) for each: seconds, not minutes, on the largest file a scan reads.
 * What the probe cannot see: errors after an unrecoverable one inside a piece (text crafted so that every
 * piece starts with one); the line limit and the scan's file size limit still bound those.
 */
import type { ParserOptions } from 'oxc-parser';
import { lazy } from '../core/lazy.js';
import type { ExtractError } from '../model/source.js';

const oxc = lazy<typeof import('oxc-parser')>('oxc-parser');

/** Longer lines are minified or generated code: read by the lexer, never by oxc. */
export const MAX_PARSED_LINE = 50_000;
/** Texts up to this size, with no line longer than PROBE_LINE, are parsed directly: under a second at worst. */
const PROBE_ABOVE = 8 * 1024;
const PIECE = 8 * 1024;
/** The probe cuts longer lines (its own copy): each error it meets then costs it little. */
const PROBE_LINE = 1_000;
const LONG_RUN = new RegExp(`[^\\n]{${PROBE_LINE}}`, 'g');

/**
 * The syntax errors a text may hold and still be parsed whole: a margin, plus a few per piece for the cuts
 * (real bundles and declaration files cut this way show one to two per piece).
 */
export function errorBudget(pieces: number): number {
  return 256 + 2 * pieces;
}

export type OxcRefusal = ExtractError & { reason: 'long-line' | 'error-dense' };

/** The longest line (1-based) and its length. */
export function longestLine(text: string): { line: number; length: number } {
  let longest = { line: 1, length: 0 };
  let start = 0;
  for (let line = 1; ; line++) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (stop - start > longest.length) longest = { line, length: stop - start };
    if (end === -1) return longest;
    start = end + 1;
  }
}

/**
 * Why oxc must not parse `text`, or undefined when it may. `lang` is the grammar the caller will parse with,
 * so that the probe sees the errors the real parse would.
 */
export function oxcRefusal(text: string, lang: ParserOptions['lang']): OxcRefusal | undefined {
  const long = longestLine(text);
  if (long.length > MAX_PARSED_LINE)
    return {
      reason: 'long-line',
      line: long.line,
      message: `line ${long.line} is ${long.length.toLocaleString('en-US')} characters long (minified or generated code?): not parsed`,
    };
  if (text.length <= PROBE_ABOVE && long.length <= PROBE_LINE) return undefined;
  const { parseSync } = oxc();
  const budget = errorBudget(Math.ceil(text.length / PIECE));
  let errors = 0;
  let line = 1;
  for (let start = 0; start < text.length; ) {
    // At a line break, unless the line runs on: then anywhere (a cut costs the probe an error or two).
    const breakAt = text.indexOf('\n', start + PIECE);
    const end =
      breakAt !== -1 && breakAt < start + 2 * PIECE ? breakAt + 1 : Math.min(text.length, start + PIECE);
    const piece = text.slice(start, end);
    errors += parseSync('probe', piece.replace(LONG_RUN, '$&\n'), { lang }).errors.length;
    if (errors > budget)
      return {
        reason: 'error-dense',
        line,
        message: `more than ${budget.toLocaleString('en-US')} syntax errors by line ${line + lineCount(piece.trimEnd()) - 1} (error-dense text, not JavaScript?): not parsed`,
      };
    line += lineCount(piece) - 1;
    start = end;
  }
  return undefined;
}

function lineCount(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
