import { canonicalDigits, compareCodeUnits, compareDigits, defineScheme, isDigits } from './shared.js';

interface Label {
  numeric: boolean;
  /** Canonical digits, or the label in lower case (NuGet compares labels case-insensitively). */
  value: string;
}

type NugetKey = { readable: true; release: string[]; prerelease: Label[] } | { readable: false; raw: string };

const INT32_MAX = '2147483647';
const LABEL = '[0-9A-Za-z-]+';
/** NuGetVersion: one to four numeric parts (System.Version allows leading zeros), SemVer 2.0 labels. */
const NUGET_VERSION = new RegExp(
  `^\\s*([0-9]+(?:\\.[0-9]+){0,3})(?:-(${LABEL}(?:\\.${LABEL})*))?(?:\\+${LABEL}(?:\\.${LABEL})*)?\\s*$`,
);
/** What can still be ordered of other strings: any number of numeric parts, then anything after `-`. */
const LENIENT_NUGET = /^\s*[vV]?([0-9]+(?:\.[0-9]+)*)(?:-([^+]*))?(?:\+.*)?$/s;

function readKey(match: RegExpExecArray): NugetKey & { readable: true } {
  // Not padded: compareKeys reads a missing part as 0 (`1.0 == 1.0.0.0`).
  const release = match[1]!.split('.').map(canonicalDigits);
  const prerelease = match[2] === undefined ? [] : match[2].split('.').map(label);
  return { readable: true, release, prerelease };
}

function label(text: string): Label {
  return isDigits(text)
    ? { numeric: true, value: canonicalDigits(text) }
    : { numeric: false, value: text.toLowerCase() };
}

function parseNuget(version: string): (NugetKey & { readable: true }) | undefined {
  const match = NUGET_VERSION.exec(version);
  if (!match) return undefined;
  const key = readKey(match);
  return key.release.every((part) => compareDigits(part, INT32_MAX) <= 0) ? key : undefined;
}

function nugetKey(version: string): NugetKey {
  const match = LENIENT_NUGET.exec(version);
  return match ? readKey(match) : { readable: false, raw: version };
}

function compareKeys(a: NugetKey, b: NugetKey): number {
  if (!a.readable || !b.readable) {
    if (a.readable) return 1;
    if (b.readable) return -1;
    return compareCodeUnits(a.raw, b.raw);
  }
  const parts = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < parts; i++) {
    const order = compareDigits(a.release[i] ?? '0', b.release[i] ?? '0');
    if (order !== 0) return order;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  const shared = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < shared; i++) {
    const x = a.prerelease[i]!;
    const y = b.prerelease[i]!;
    if (x.numeric !== y.numeric) return x.numeric ? -1 : 1;
    const order = x.numeric ? compareDigits(x.value, y.value) : compareCodeUnits(x.value, y.value);
    if (order !== 0) return order;
  }
  return a.prerelease.length - b.prerelease.length;
}

/**
 * NuGet (NuGet.Versioning): SemVer 2.0 with a fourth (revision) part, `1.0 == 1.0.0.0`, labels compared
 * case-insensitively, build metadata ignored.
 */
export const nugetScheme = defineScheme({
  ecosystem: 'NuGet',
  parse: parseNuget,
  key: nugetKey,
  compareKeys,
});
