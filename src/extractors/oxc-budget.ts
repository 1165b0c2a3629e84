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
 * error) and stops at the piece that crosses the budget. What it cannot see are errors after an
 * unrecoverable one inside a piece: text crafted so that every piece starts with one (a `)` closing the
 * `f(` that ends the piece before) passes it, and then took oxc 3 s at 64 KB, minutes at 1 MB. So a text
 * the probe reads is parsed by oxc only once the same parse has ended, within a deadline, in a helper
 * process that is killed at the deadline (`OxcGuard`, `core/deadline.ts`): the deadline is the bound, for
 * any text, whatever oxc does with it. Smaller texts (32 KB at most, lines of 1,000 characters at most)
 * cost oxc under a second however they are built, and are parsed directly.
 */
import { createRequire } from 'node:module';
import type { ParserOptions } from 'oxc-parser';
import { DeadlineCaller, type DeadlineOutcome } from '../core/deadline.js';
import { lazy } from '../core/lazy.js';
import type { ExtractError } from '../model/source.js';

const oxc = lazy<typeof import('oxc-parser')>('oxc-parser');

/** Longer lines are minified or generated code: read by the lexer, never by oxc. */
export const MAX_PARSED_LINE = 50_000;
/** Texts up to this size, with no line longer than PROBE_LINE, are parsed directly: under a second at worst. */
const PROBE_ABOVE = 8 * 1024;
/**
 * Texts up to this size, with no line longer than PROBE_LINE, are parsed here without the helper: crafted
 * to hide its errors from the probe, 32 KB on lines of 1,000 backslashes took oxc 0.96 s (at a load of 14
 * on 2 cores). Most source files are smaller, and a call to the helper costs them a round trip.
 */
const HELPER_ABOVE = 32 * 1024;
/** The probe's pieces (exported for the tests that build text to fool it). */
export const PIECE = 8 * 1024;
/** The probe cuts longer lines (its own copy): each error it meets then costs it little. */
const PROBE_LINE = 1_000;

/**
 * The syntax errors a text may hold and still be parsed whole: a margin, plus a few per piece for the cuts
 * (real bundles and declaration files cut this way show one to two per piece).
 */
export function errorBudget(pieces: number): number {
  return 256 + 2 * pieces;
}

export type OxcRefusal = ExtractError & { reason: 'long-line' | 'error-dense' | 'slow' | 'failed' };
export type OxcParsed = ReturnType<typeof import('oxc-parser')['parseSync']>;

/**
 * The time oxc may take over one file (all the parses of its texts together) before the file is a
 * per-file error: 2 s plus 1.5 µs per character. Real code parses at 0.1 to 0.5 µs per character on a
 * busy machine (a 3 MB bundle in 1.4 s at a load of 7 on 2 cores), so only text built to stall the parser
 * meets it; the largest file a scan reads by default (10 MB) gets 17.7 s.
 */
export function parseDeadlineMs(size: number): number {
  return 2_000 + size * 0.0015;
}

let helper: DeadlineCaller | undefined;

/**
 * oxc's parseSync in the helper process: oxc-parser as Vouch's own install resolves it, by its path. What
 * comes back is what the readers use of a parse besides the tree (the module record, the errors without
 * their code frames); the tree, which only some files need, is made here on first use.
 */
function oxcHelper(): DeadlineCaller {
  helper ??= new DeadlineCaller(
    createRequire(import.meta.url).resolve('oxc-parser'),
    'parseSync',
    '(parsed) => ({ module: parsed.module, errors: parsed.errors.map((e) => ({ message: e.message, labels: e.labels })) })',
  );
  return helper;
}

type Reply = Pick<OxcParsed, 'module' | 'errors'>;

export function isRefusal(parsed: OxcParsed | OxcRefusal): parsed is OxcRefusal {
  return 'reason' in parsed;
}

/** A file's deadline, shared by all its readers and all the texts they make of it. */
interface Account {
  file: string;
  deadlineMs: number;
  leftMs: number;
  /** What the helper said of the file's own text, by the grammar it was parsed with (copies are not kept). */
  outcomes: { key: string; outcome: DeadlineOutcome }[];
}

/** The accounts of the last few files: the readers of one file (its imports, a config's fields) share one. */
const RECENT = 4;
const accounts: Account[] = [];

function accountFor(file: string, deadlineMs: number): Account {
  let account = accounts.find((known) => known.file === file);
  if (!account) {
    account = { file, deadlineMs, leftMs: deadlineMs, outcomes: [] };
    accounts.unshift(account);
    accounts.length = Math.min(accounts.length, RECENT);
  }
  return account;
}

/**
 * The oxc parses of one file's texts (the file, its masked copy, copies with broken lines blanked), by all
 * of its readers, under one deadline. Each text over 32 KB, or with a line over 1,000 characters, is
 * parsed in the helper process, under the deadline; its module record and errors come
 * back, and the tree is made here only for the readers that walk it, only once the helper's parse ended
 * in time (it then takes about as long). A file costs at most about twice its deadline, whatever its text.
 */
export class OxcGuard {
  private readonly account: Account;

  constructor(file: string, deadlineMs = parseDeadlineMs(file.length)) {
    this.account = accountFor(file, deadlineMs);
  }

  parse(path: string, text: string, options: ParserOptions): OxcParsed | OxcRefusal {
    if (text.length > HELPER_ABOVE || longestLine(text).length > PROBE_LINE) {
      const outcome = this.inHelper(path, text, options);
      if (outcome.kind === 'late') {
        this.account.leftMs = 0;
        const seconds = (this.account.deadlineMs / 1000).toFixed(1);
        // Line 1: the file as a whole, wherever its errors are.
        return {
          reason: 'slow',
          line: 1,
          message: `the parser did not finish within ${seconds} s (error-dense text, not JavaScript?): not parsed`,
        };
      }
      if (outcome.kind === 'failed')
        return { reason: 'failed', line: 1, message: `the parser failed (${outcome.reason}): not parsed` };
      // The helper's parse ended in time: the tree, if asked for, takes about as long here.
      const { module, errors } = outcome.value as Reply;
      let program: OxcParsed['program'] | undefined;
      return {
        module,
        errors,
        comments: [],
        get program() {
          program ??= oxc().parseSync(path, text, options).program;
          return program;
        },
      };
    }
    return oxc().parseSync(path, text, options);
  }

  /** The helper's outcome. A text it has seen is not sent again: one it did not finish is refused at once. */
  private inHelper(path: string, text: string, options: ParserOptions): DeadlineOutcome {
    const account = this.account;
    const key = JSON.stringify([options.lang ?? path.slice(path.lastIndexOf('.')), options.sourceType]);
    const seen = text === account.file ? account.outcomes : [];
    const refused = seen.find((entry) => entry.outcome.kind !== 'done');
    if (refused) return refused.outcome;
    const known = seen.find((entry) => entry.key === key)?.outcome;
    if (known) return known;
    if (account.leftMs <= 0) return { kind: 'late' };
    const started = performance.now();
    const outcome = oxcHelper().call([path, text, options], account.leftMs);
    account.leftMs -= performance.now() - started;
    if (text === account.file) account.outcomes.push({ key, outcome });
    return outcome;
  }
}

/**
 * A line break after every PROBE_LINE characters of a line. In one pass: the pattern it replaces
 * (`/[^\n]{1000}/g`) tried a thousand characters from every position of every shorter line, and took longer
 * than the parse it prepared.
 */
export function cutLongLines(text: string): string {
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end + 1;
    let at = start;
    // A run counts newline-free characters: the line's own break does not belong to it.
    const runEnd = end === -1 ? text.length : end;
    for (; runEnd - at >= PROBE_LINE; at += PROBE_LINE) parts.push(text.slice(at, at + PROBE_LINE), '\n');
    parts.push(text.slice(at, stop));
    start = stop;
  }
  return parts.join('');
}

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
    errors += parseSync('probe', long.length > PROBE_LINE ? cutLongLines(piece) : piece, { lang }).errors
      .length;
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
