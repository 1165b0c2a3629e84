/**
 * Cheap scans run before a parser that recurses on the native stack (oxc) or whose tree is walked by
 * recursion: a few kilobytes of nested brackets are enough to overflow the stack, and a native overflow
 * kills the process (no exception to catch). A file nested beyond the limit is refused with a per-file error
 * instead. The scans over-approximate what the parser's recursion will be, and stay far below where the
 * parser breaks (oxc overflows between 4,000 and 30,000 levels on an 8 MB stack, by shape).
 */

/** Far deeper than any code people write or generators emit; four times below the first native overflow. */
export const MAX_NESTING = 1000;

export function nestingError(line: number, limit = MAX_NESTING): { line: number; message: string } {
  return { line, message: `nested more than ${limit} levels deep: not parsed` };
}

/**
 * The line where plain bracket nesting (`(`, `[`, `{`) first exceeds `limit`, else undefined. Strings and
 * comments are not told apart: an unbalanced bracket in one can only make the estimate higher.
 */
export function bracketNestingExceeds(text: string, limit = MAX_NESTING): number | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) line++;
    else if (c === OPEN_PAREN || c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > limit) return line;
    } else if ((c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) && depth > 0) depth--;
  }
  return undefined;
}

const NEWLINE = 10;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * Words that make a JavaScript/TypeScript parser recurse once more without any bracket: statement heads
 * (`if (a) if (a) …`, `do do …`, `else if` chains), prefix operators, `new new …`, `class extends class …`.
 */
const CHAIN_WORDS = new Set([
  'if',
  'else',
  'for',
  'while',
  'do',
  'with',
  'new',
  'void',
  'typeof',
  'delete',
  'await',
  'yield',
  'async',
  'extends',
  'keyof',
  'case',
]);
/** Words after which `(` opens a statement head: its `)` leaves the statement unfinished. */
const HEAD_WORDS = new Set(['if', 'for', 'while', 'with']);
/** Words that continue the statement of the line before (no automatic semicolon before them). */
const CONTINUING_WORDS = new Set([
  'else',
  'while',
  'catch',
  'finally',
  'extends',
  'instanceof',
  'in',
  'of',
  'as',
]);
/** Words after which a `/` starts a regular expression and a quote a string, as after an operator. */
const OPERATOR_WORDS = new Set([
  'return',
  'case',
  'typeof',
  'instanceof',
  'in',
  'of',
  'void',
  'delete',
  'throw',
  'new',
  'else',
  'do',
  'yield',
  'await',
  'export',
  'default',
  'extends',
]);

type Last = 'none' | 'operator' | 'value' | 'head-close' | 'chain';

/**
 * The line where the recursion a JavaScript/TypeScript parser needs may first exceed `limit`, else
 * undefined. Counted per bracket level: the brackets open around a point, plus the tokens that nest without
 * brackets (`?`, `:`, `=>`, `=`, `**`, `!`, `~`, `...`, a JSX or type `<Name`, the words above) since the
 * level's last statement or list boundary (`;`, `,`, a line break between two complete statements). Strings,
 * comments, template literals and regular expressions are skipped as a lexer would.
 */
export function jsNestingExceeds(text: string, limit = MAX_NESTING): number | undefined {
  const chain: number[] = [0];
  const heads: boolean[] = [false];
  // Per level: the count before an open `<Name` tag's attributes, so that its `>` takes them back.
  const tags: (number | undefined)[] = [undefined];
  const templates: number[] = []; // bracket depths at which a template's `${` was opened
  let chained = 0; // the sum of `chain`
  let line = 1;
  let last: Last = 'none';
  let lastWord = '';
  let pendingReset: 'none' | 'separator' | 'newline' = 'none';

  const depth = () => chain.length - 1;
  const resetLevel = () => {
    chained -= chain[depth()]!;
    chain[depth()] = 0;
  };
  const bump = (by: number): boolean => {
    const next = Math.max(0, chain[depth()]! + by);
    chained += next - chain[depth()]!;
    chain[depth()] = next;
    return depth() + chained > limit;
  };
  const open = (head: boolean): boolean => {
    chain.push(0);
    heads.push(head);
    tags.push(undefined);
    return depth() + chained > limit;
  };
  const close = () => {
    if (chain.length === 1) return false;
    chained -= chain.pop()!;
    tags.pop();
    return heads.pop()!;
  };
  /** The `>` (or `/>`) of a tag: its attributes' `=` and `:` nest nothing; `/>` also closes the element. */
  const endTag = (by: number) => {
    const base = tags[depth()];
    if (base === undefined) return;
    tags[depth()] = undefined;
    bump(Math.min(chain[depth()]!, base) - chain[depth()]! + by);
  };
  /** Applies a pending reset unless the token `word` (or punctuation, when empty) continues the statement. */
  const settle = (word: string, punctuation: boolean) => {
    if (pendingReset === 'none') return;
    const continues = CONTINUING_WORDS.has(word) || (pendingReset === 'newline' && punctuation);
    if (!continues) resetLevel();
    pendingReset = 'none';
  };
  /** Skips a template literal's text from `i` (just after "`" or a `}` closing `${`); returns where it stopped. */
  const templateText = (from: number): number => {
    let i = from;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '\n') line++;
      else if (c === '`') return i;
      else if (c === '$' && text[i + 1] === '{') {
        templates.push(depth());
        open(false);
        return i + 1;
      }
    }
    return i;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      if (last === 'value') pendingReset = pendingReset === 'separator' ? 'separator' : 'newline';
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = (end === -1 ? text.length : end) - 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop - 1;
      continue;
    }
    const code = text.charCodeAt(i);
    if (isWordStart(code)) {
      WORD.lastIndex = i;
      WORD.test(text);
      // No word of interest is longer than `instanceof`: a longer one is a name, and is not copied out.
      const word = WORD.lastIndex - i <= 10 ? text.slice(i, WORD.lastIndex) : NAME;
      i = WORD.lastIndex - 1;
      settle(word, false);
      lastWord = word;
      if (CHAIN_WORDS.has(word)) {
        last = 'chain';
        if (bump(1)) return line;
      } else last = OPERATOR_WORDS.has(word) ? 'operator' : 'value';
      continue;
    }
    if (code >= 48 && code <= 57) {
      NUMBER.lastIndex = i;
      NUMBER.test(text);
      i = NUMBER.lastIndex - 1;
      settle('', false);
      last = 'value';
      lastWord = '';
      continue;
    }
    const afterValue: boolean = last === 'value' || last === 'head-close';
    if (c === '"' || c === "'") {
      // A quote right after a plain word is an apostrophe in JSX text (`<p>Don't</p>`), not a string.
      if (last === 'value' && lastWord !== '') continue;
      settle('', false);
      for (i++; i < text.length && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      if (text[i] === '\n') line++;
      last = 'value';
      lastWord = '';
      continue;
    }
    if (c === '`') {
      settle('', false);
      i = templateText(i + 1);
      if (depth() + chained > limit) return line;
      last = 'value';
      lastWord = '';
      continue;
    }
    settle('', true);
    const before = lastWord;
    lastWord = '';
    if (c === '/' && text[i + 1] === '>') {
      i++;
      endTag(-1); // a JSX element closes itself
      last = 'operator';
      continue;
    }
    if (c === '>') {
      endTag(0);
      last = 'operator';
      continue;
    }
    if (c === '/' && !afterValue) {
      // A regular expression literal: up to the unescaped `/` outside a character class.
      let inClass = false;
      for (i++; i < text.length && text[i] !== '\n'; i++) {
        const r = text[i];
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
      }
      if (text[i] === '\n') line++;
      last = 'value';
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      if (open(c === '(' && HEAD_WORDS.has(before))) return line;
      last = 'operator';
      continue;
    }
    if (c === ')' || c === ']' || c === '}') {
      if (c === '}' && templates.length > 0 && templates.at(-1) === depth() - 1) {
        templates.pop();
        close();
        i = templateText(i + 1);
        last = 'value';
        continue;
      }
      last = close() ? 'head-close' : 'value';
      continue;
    }
    if (c === ';' || c === ',') {
      pendingReset = 'separator';
      last = 'operator';
      continue;
    }
    if (c === '<') {
      if (text[i + 1] === '/') {
        i++;
        bump(-1); // a JSX closing tag
      } else if (/[A-Za-z_$>]/.test(text[i + 1] ?? '')) {
        if (bump(1)) return line;
        tags[depth()] = chain[depth()];
      }
      last = 'operator';
      continue;
    }
    if (c === '=' && text[i + 1] === '>') {
      i++;
      last = 'chain';
      if (bump(1)) return line;
      continue;
    }
    if (c === '.' && text.startsWith('...', i)) {
      i += 2;
      if (bump(1)) return line;
      last = 'operator';
      continue;
    }
    if (c === '?' && text[i + 1] !== '.' && text[i + 1] !== '?') {
      if (bump(1)) return line;
      last = 'operator';
      continue;
    }
    if (c === '*' && text[i + 1] === '*') {
      i++;
      if (bump(1)) return line;
      last = 'operator';
      continue;
    }
    if (
      c === ':' ||
      c === '!' ||
      c === '~' ||
      (c === '=' && !/[=<>!]/.test(text[i - 1] ?? '') && text[i + 1] !== '=')
    ) {
      if (c !== '!' || text[i + 1] !== '=') if (bump(1)) return line;
      last = 'operator';
      continue;
    }
    if ((c === '+' || c === '-') && text[i + 1] === c) {
      i++;
      // A prefix `--`/`++` nests like `!` (a line of dashes is one level per pair); a postfix one does not.
      if (!afterValue && bump(1)) return line;
      last = afterValue ? 'value' : 'operator';
      continue;
    }
    if ((c === '+' || c === '-') && !afterValue) {
      if (bump(1)) return line; // a prefix sign nests like `!`
      last = 'operator';
      continue;
    }
    last = 'operator';
  }
  return undefined;
}

const NAME = 'name';
const WORD = /[\w$\u0080-\uffff]*/y;
const NUMBER = /[\w.]*/y;

function isWordStart(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36 || code >= 128
  );
}
