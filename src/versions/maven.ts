import { canonicalDigits, compareCodeUnits, compareDigits, defineScheme } from './shared.js';

type Separator = '.' | '-';

/** One token of the POM reference's "Version Order Specification", with the separator before it. */
interface Token {
  separator: Separator;
  numeric: boolean;
  /** Canonical digits, or the qualifier after aliases (`""` is the release itself). */
  value: string;
}

/** Known qualifiers in ascending order; unknown ones follow `sp`, alphabetically. */
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES = new Map([
  ['ga', ''],
  ['final', ''],
  ['release', ''],
  ['cr', 'rc'],
]);
/** `a1`, `b2`, `m3`: single-letter shorthands, only when a number follows directly. */
const SHORTHANDS = new Map([
  ['a', 'alpha'],
  ['b', 'beta'],
  ['m', 'milestone'],
]);

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isNull(token: Token): boolean {
  return token.value === (token.numeric ? '0' : '');
}

/**
 * Splits at `.`, `-` and digit/letter transitions (which count as `-`); an empty token is 0. Then trailing
 * null tokens (0, "", final, ga, release) are trimmed, and again before each remaining `-`, from the end:
 * `1.0.0-0.0 == 1`, `1-ga-1 == 1-1`.
 */
function tokenize(version: string): Token[] {
  const text = version.toLowerCase();
  const tokens: Token[] = [];
  let separator: Separator = '.';
  let current = '';
  const flush = (followedByDigit: boolean) => {
    if (current === '' || isDigit(current[0])) {
      tokens.push({ separator, numeric: true, value: current === '' ? '0' : canonicalDigits(current) });
    } else {
      const expanded = (followedByDigit && SHORTHANDS.get(current)) || current;
      tokens.push({ separator, numeric: false, value: ALIASES.get(expanded) ?? expanded });
    }
    current = '';
  };
  for (const c of text) {
    if (c === '.' || c === '-') {
      flush(false);
      separator = c;
      continue;
    }
    if (current !== '' && isDigit(c) !== isDigit(current.at(-1))) {
      flush(isDigit(c));
      separator = '-';
    }
    current += c;
  }
  flush(false);

  while (tokens.length > 0 && isNull(tokens.at(-1)!)) tokens.pop();
  for (let i = tokens.length - 1; i > 0; i--) {
    if (tokens[i]!.separator !== '-') continue;
    let first = i;
    while (first > 0 && isNull(tokens[first - 1]!)) first--;
    tokens.splice(first, i - first);
    i = first;
  }
  return tokens;
}

/**
 * ".qualifier" < "-qualifier" < "-number" < ".number". Some editions of the specification put the two
 * qualifier kinds level; the osv-scalibr corpus needs them apart
 * (`6.1.12.rc5 < 6.1.12rc1`, `1.5.9.RC1 < 1.5.9-RC0`).
 */
function tokenRank(token: Token): number {
  if (token.numeric) return token.separator === '.' ? 3 : 2;
  return token.separator === '.' ? 0 : 1;
}

function qualifierRank(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  return index === -1 ? `${QUALIFIERS.length}-${value}` : String(index);
}

function compareTokens(a: Token, b: Token): number {
  const rank = tokenRank(a) - tokenRank(b);
  if (rank !== 0) return rank;
  return a.numeric
    ? compareDigits(a.value, b.value)
    : compareCodeUnits(qualifierRank(a.value), qualifierRank(b.value));
}

/**
 * The shorter version is padded with nulls. The specification pads by separator (0 after `.`, "" after `-`),
 * but Maven compares the padding as the null of the other token's own kind, so that `2.5.2 < 2.5.2.SP2` and
 * `42.0.0 < 42.0.0.jre6`; that is what is done here.
 */
function nullLike(token: Token): Token {
  return { separator: token.separator, numeric: token.numeric, value: token.numeric ? '0' : '' };
}

function compareTokenLists(a: Token[], b: Token[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? nullLike(b[i]!);
    const y = b[i] ?? nullLike(a[i]!);
    const order = compareTokens(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Maven, after the POM reference's "Version Order Specification": alpha < beta < milestone < rc = cr < snapshot
 * < "" = final = ga = release < sp < other qualifiers (alphabetical), all case-insensitive; `a1`/`b1`/`m1`
 * shorthands; `1 == 1.0 == 1-0 == 1.ga`; `1-1 < 1.1`. Maven reads every string, so only a blank one is refused.
 */
export const mavenScheme = defineScheme({
  ecosystem: 'Maven',
  parse: (version: string) => (version.trim() === '' ? undefined : tokenize(version)),
  key: tokenize,
  compareKeys: compareTokenLists,
});
