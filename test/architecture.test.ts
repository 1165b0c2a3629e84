// The folder tree is the architecture drawing: a folder of src/ imports only from the floors below it,
// and the analyzers and extractors never reach into the two I/O rooms (registry/, vulndb/).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/**
 * Top to bottom. Folders on one floor do not import each other. The command line is the program: its
 * commands `vouch mcp`, `hook`, `guard` and `proxy` start the other shells, which sit on the floor below it.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['cli'],
  ['mcp', 'hooks', 'guard', 'proxy'],
  ['index.ts'],
  ['simulate'],
  ['pipeline'],
  ['analyzers'],
  ['registry', 'vulndb'],
  ['extractors'],
  ['project', 'inputs'],
  ['reporters'],
  ['versions'],
  ['model'],
  ['core'],
];

/** Imports that are forbidden although they run downwards. */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  analyzers: ['registry', 'vulndb'],
};

/** Shells that see the library only through its public API, as any other program would. */
const API_ONLY = ['mcp', 'hooks', 'guard', 'proxy'];

function floorOf(unit: string): number {
  const floor = FLOORS.findIndex((units) => units.includes(unit));
  if (floor === -1) throw new Error(`src/${unit} is on no floor: add it to FLOORS`);
  return floor;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The top-level folder (or file) of src/ a path belongs to. */
function unitOf(path: string): string {
  // An import names the compiled file (`../index.js`) of a source file (`index.ts`).
  return relative(SRC, path).split('/')[0]!.replace(/\.js$/, '.ts');
}

const IMPORT = /(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g;

function crossings(): { from: string; to: string; file: string }[] {
  const out: { from: string; to: string; file: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[1]!);
      const from = unitOf(file);
      const to = unitOf(target);
      if (from !== to) out.push({ from, to, file: relative(SRC, file) });
    }
  }
  return out;
}

describe('architecture', () => {
  const found = crossings();

  it('finds the imports it checks (the reader works)', () => {
    expect(found.some((c) => c.from === 'pipeline' && c.to === 'extractors')).toBe(true);
    expect(found.length).toBeGreaterThan(100);
  });

  it('imports only run downwards, never across a floor', () => {
    const upward = found
      .filter((c) => floorOf(c.to) <= floorOf(c.from))
      .map((c) => `${c.file}: ${c.from} → ${c.to}`);
    expect([...new Set(upward)]).toEqual([]);
  });

  it('the surfaces beside the command line use only the public API (index.ts)', () => {
    const reaching = found
      .filter((c) => API_ONLY.includes(c.from) && c.to !== 'index.ts')
      .map((c) => `${c.file}: ${c.from} → ${c.to}`);
    expect([...new Set(reaching)]).toEqual([]);
  });

  it('analyzers never import the registry or vulnerability-database rooms', () => {
    const forbidden = found
      .filter((c) => FORBIDDEN[c.from]?.includes(c.to))
      .map((c) => `${c.file}: ${c.from} → ${c.to}`);
    expect([...new Set(forbidden)]).toEqual([]);
  });
});

/** Calls that take each element of a spread array as one argument on the stack: a large array overflows it. */
const STACK_SPREAD =
  /\b(?:push|unshift|splice|concat|max|min|apply|fromCharCode|fromCodePoint)\(\s*(?:[^(){}[\]]*,\s*)?\.\.\./;

describe('no unbounded array is spread into a call', () => {
  it('src/ never spreads an array into push, unshift, Math.max and the like (core/arrays.ts has loops)', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(SRC)) {
      for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries())
        if (STACK_SPREAD.test(line) && !/^\s*(?:\*|\/\/|\/\*)/.test(line))
          offenders.push(`${relative(SRC, file)}:${i + 1}: ${line.trim()}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the pattern catches what it is meant to', () => {
    expect(STACK_SPREAD.test('out.push(...refs);')).toBe(true);
    expect(STACK_SPREAD.test('Math.max(1, ...lengths)')).toBe(true);
    expect(STACK_SPREAD.test('const all = [...a, ...b];')).toBe(false);
    expect(STACK_SPREAD.test('errors.push({ file, ...error });')).toBe(false);
  });
});
