import { lazy } from '../core/lazy.js';

const pep440 = lazy<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');

import { canonicalDigits, compareCodeUnits, compareDigits, defineScheme, isDigits } from './shared.js';

/** Pre-release ranks; the ends stand for packaging's -Infinity/Infinity. */
const PRE_RANK = { devOnly: 0, a: 1, b: 2, rc: 3, none: 4 } as const;

interface LocalPart {
  numeric: boolean;
  value: string;
}

/** A PEP 440 version in comparable form, following packaging's `_cmpkey`. */
interface Pep440Key {
  legacy: false;
  epoch: string;
  /** Without trailing zeros: `1.0.0 == 1.0`. */
  release: string[];
  preRank: number;
  preNumber: number;
  /** -1 when there is no post-release, so that `.post0` still ranks above none. */
  post: number;
  /** Infinity when there is no dev-release. */
  dev: number;
  local: LocalPart[] | undefined;
}

/** packaging's LegacyVersion key, for strings that are not PEP 440; all of them sort before PEP 440 versions. */
interface LegacyKey {
  legacy: true;
  parts: string[];
}

type PypiKey = Pep440Key | LegacyKey;

// Exact digit strings for epoch and release: the library converts them to Number, which loses precision.
const EPOCH_AND_RELEASE = /^v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)/i;

function parsePypi(version: string): Pep440Key | undefined {
  const text = version.trim();
  const parsed = pep440().parse(text);
  const digits = parsed && EPOCH_AND_RELEASE.exec(text);
  if (!parsed || !digits) return undefined;
  const release = digits[2]!.split('.').map(canonicalDigits);
  while (release.at(-1) === '0') release.pop();
  // The library declares explain()'s types; parse() gives `[label, number]` or null for these three.
  const pre = parsed.pre as [string, number] | null;
  const post = parsed.post as [string, number] | null;
  const dev = parsed.dev as [string, number] | null;
  const plus = text.indexOf('+');
  return {
    legacy: false,
    epoch: canonicalDigits(digits[1] ?? '0'),
    release,
    // 1.0.dev0 sorts before 1.0a0, but 1.0a0.dev0 and 1.0.post0.dev0 follow the other segments.
    preRank: pre ? PRE_RANK[pre[0] as 'a' | 'b' | 'rc'] : !post && dev ? PRE_RANK.devOnly : PRE_RANK.none,
    preNumber: pre ? pre[1] : 0,
    post: post ? post[1] : -1,
    dev: dev ? dev[1] : Number.POSITIVE_INFINITY,
    // The library reads local parts with Number(), which takes `1e5` and `0x10` for numbers; PEP 440 does not.
    local:
      plus === -1
        ? undefined
        : text
            .slice(plus + 1)
            .toLowerCase()
            .split(/[-_.]/)
            .map((part) =>
              isDigits(part)
                ? { numeric: true, value: canonicalDigits(part) }
                : { numeric: false, value: part },
            ),
  };
}

const LEGACY_COMPONENT = /(\d+|[a-z]+|\.|-)/;
const LEGACY_REPLACEMENTS = new Map([
  ['pre', 'c'],
  ['preview', 'c'],
  ['-', 'final-'],
  ['rc', 'c'],
  ['dev', '@'],
]);

/** setuptools' pre-PEP 440 order as packaging kept it for LegacyVersion (removed in packaging 22). */
function legacyKey(version: string): LegacyKey {
  const parts: string[] = [];
  const pieces = version.toLowerCase().split(LEGACY_COMPONENT);
  pieces.push('final');
  for (const piece of pieces) {
    const replaced = LEGACY_REPLACEMENTS.get(piece) ?? piece;
    if (replaced === '' || replaced === '.') continue;
    const part = /^[0-9]/.test(replaced) ? replaced.padStart(8, '0') : `*${replaced}`;
    if (part.startsWith('*')) {
      // A `-` before a pre-release tag does not count, nor do trailing zeros of a numeric run.
      if (part < '*final') while (parts.at(-1) === '*final-') parts.pop();
      while (parts.at(-1) === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return { legacy: true, parts };
}

function comparePep440(a: Pep440Key, b: Pep440Key): number {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    a.preRank - b.preRank ||
    a.preNumber - b.preNumber ||
    a.post - b.post ||
    compareNumbers(a.dev, b.dev) ||
    compareLocal(a.local, b.local)
  );
}

function compareRelease(a: string[], b: string[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareDigits(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** No local label < any label; alphanumeric parts < numeric parts; a shorter matching prefix first. */
function compareLocal(a: LocalPart[] | undefined, b: LocalPart[] | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.numeric !== y.numeric) return x.numeric ? 1 : -1;
    const order = x.numeric ? compareDigits(x.value, y.value) : compareCodeUnits(x.value, y.value);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function compareLegacy(a: LegacyKey, b: LegacyKey): number {
  const shared = Math.min(a.parts.length, b.parts.length);
  for (let i = 0; i < shared; i++) {
    const order = compareCodeUnits(a.parts[i]!, b.parts[i]!);
    if (order !== 0) return order;
  }
  return a.parts.length - b.parts.length;
}

/**
 * PEP 440 as pip's packaging orders it: epochs, pre/post/dev releases, local labels, `1.0 == 1.0.0`,
 * `1.0-1 == 1.0.post1`. Strings that are not PEP 440 are ordered as packaging's LegacyVersion did (pip still
 * met them in old releases): before every PEP 440 version, among themselves by setuptools' old rules.
 */
export const pypiScheme = defineScheme<Pep440Key, PypiKey>({
  ecosystem: 'PyPI',
  parse: parsePypi,
  key: (version) => parsePypi(version) ?? legacyKey(version),
  compareKeys: (a, b) => {
    if (a.legacy || b.legacy) {
      if (!a.legacy) return 1;
      if (!b.legacy) return -1;
      return compareLegacy(a, b);
    }
    return comparePep440(a, b);
  },
});
