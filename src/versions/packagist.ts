import { canonicalDigits, compareDigits, defineScheme, isDigits } from './shared.js';

/**
 * PHP's special forms, matched as prefixes, case-sensitively (`RC` and `rc` only): a number counts as `#`,
 * so `1.0RC1 < 1.0 < 1.0pl1`. Parts matching none rank below `dev`, as in PHP. PHP also lists `alpha`, `beta`
 * and `pl`, with the weights of `a`, `b` and `p`, which match them as prefixes already.
 */
const SPECIAL_FORMS: readonly [string, number][] = [
  ['dev', 0],
  ['a', 1],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['p', 5],
];
const UNKNOWN_FORM = -1;
const RELEASE_WEIGHT = 4;

/** A part of the canonical form; numbers keep canonical digits and weigh as a release (`#`). */
interface Part {
  text: string;
  numeric: boolean;
  weight: number;
}

function toPart(text: string): Part {
  if (isDigits(text)) return { text: canonicalDigits(text), numeric: true, weight: RELEASE_WEIGHT };
  const form = SPECIAL_FORMS.find(([name]) => text.startsWith(name));
  return { text, numeric: false, weight: form ? form[1] : UNKNOWN_FORM };
}

/**
 * version_compare's canonical form: without a leading `v`, `-`, `_` and `+` become `.`, and a `.` goes
 * between a digit and a neighbouring letter (`1.0rc1` → `1.0.rc.1`).
 */
function canonicalParts(version: string): Part[] {
  const text = /^[vV]/.test(version) ? version.slice(1) : version;
  let out = '';
  for (const raw of text) {
    const c = raw === '-' || raw === '_' || raw === '+' ? '.' : raw;
    const previous = out.at(-1);
    if (previous !== undefined && previous !== '.' && c !== '.' && isDigit(previous) !== isDigit(c)) {
      out += '.';
    }
    out += c;
  }
  return out.split('.').map(toPart);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/**
 * Part by part; when one version runs out, the rest of the other is weighed against a release: a number
 * makes it newer, a special form ranks by its weight (`1.0.0 > 1.0`, `1.0 > 1.0-dev`, `1.0pl1 > 1.0`).
 */
function compareParts(a: readonly Part[], b: readonly Part[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const order = x.numeric && y.numeric ? compareDigits(x.text, y.text) : x.weight - y.weight;
    if (order !== 0) return order;
  }
  if (a.length > b.length) return compareWithRelease(a, shared);
  if (b.length > a.length) return -compareWithRelease(b, shared);
  return 0;
}

function compareWithRelease(parts: readonly Part[], from: number): number {
  for (let i = from; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.numeric) return 1;
    const order = part.weight - RELEASE_WEIGHT;
    if (order !== 0) return order;
  }
  return 0;
}

const MODIFIER = '[._-]?(?:(?:stable|beta|b|RC|alpha|a|patch|pl|p)(?:[.-]?\\d+)*)?(?:[.-]?dev)?';
/** What Composer's VersionParser accepts: numbered versions, date versions, `-dev` branches, `dev-<branch>`. */
const COMPOSER_VERSION = new RegExp(
  [
    `^v?\\d+(?:\\.\\d+){0,3}${MODIFIER}$`,
    `^v?\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2}${MODIFIER}$`,
    '^v?\\d+(?:\\.(?:\\d+|[x*])){0,3}[.-]dev$',
    '^dev-\\S+$',
  ].join('|'),
  'i',
);

function parsePackagist(version: string): Part[] | undefined {
  const withoutBuild = version.replace(/\+[^\s+]+$/, '');
  return COMPOSER_VERSION.test(withoutBuild) ? canonicalParts(version) : undefined;
}

/**
 * Packagist as OSV orders it: PHP's `version_compare` after dropping a `v` prefix, with numbers of any size.
 * That order is what advisories are matched with, so it wins over Composer's own normalisation where they
 * differ: `1.0.0 > 1.0` (Composer: equal), and `ALPHA`/`BETA` in capitals are unknown forms that tie.
 * `parse` accepts what Composer's VersionParser would normalise and returns the parts compared.
 */
export const packagistScheme = defineScheme({
  ecosystem: 'Packagist',
  parse: parsePackagist,
  key: canonicalParts,
  compareKeys: compareParts,
});
