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

const NAMED_IMPORT = /(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'(\.{1,2}\/[^']+)'/g;
const DYNAMIC_IMPORT = /(?:const|let)\s+\{([^}]*)\}\s*=\s*await\s+import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

/** The module of src/ (`pipeline/install.ts`) an import names from a file. */
function moduleOf(file: string, specifier: string): string {
  return relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts');
}

/** Each name index.ts exports, and the module it takes it from. */
function publicApi(): Map<string, string> {
  const index = join(SRC, 'index.ts');
  const api = new Map<string, string>();
  for (const match of readFileSync(index, 'utf8').matchAll(NAMED_IMPORT))
    for (const name of match[1]!.split(','))
      if (name.trim()) api.set(name.trim().replace(/^type\s+/, ''), moduleOf(index, match[2]!));
  return api;
}

/**
 * Every name a surface (mcp, hooks, guard, proxy) imports from src/, with its module. A surface may take a
 * public name from the module that defines it rather than from index.ts: the bundle then loads only the
 * modules the surface uses (an agent starts `vouch hook` for every tool call).
 */
function surfaceImports(): { file: string; name: string; module: string }[] {
  const out: { file: string; name: string; module: string }[] = [];
  for (const unit of API_ONLY)
    for (const file of sourceFiles(join(SRC, unit))) {
      const text = readFileSync(file, 'utf8');
      for (const match of [...text.matchAll(NAMED_IMPORT), ...text.matchAll(DYNAMIC_IMPORT)]) {
        const module = moduleOf(file, match[2]!);
        if (module.startsWith(`${unit}/`)) continue;
        for (const part of match[1]!.split(',')) {
          const name = part
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s*:\s*|\s+as\s+/)[0]!;
          if (name) out.push({ file: relative(SRC, file), name, module });
        }
      }
    }
  return out;
}

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

  it('the surfaces beside the command line use only the public API (what index.ts exports)', () => {
    const imports = surfaceImports();
    const reaching = imports
      .filter(({ name, module }) => module !== 'index.ts' && publicApi().get(name) !== module)
      .map(({ file, name, module }) => `${file}: ${name} from ${module}, which index.ts does not export`);
    expect([...new Set(reaching)]).toEqual([]);
    // Every other way of reaching below (`import * as`, a bare import) is not a named public import.
    const unnamed = found
      .filter((c) => API_ONLY.includes(c.from) && c.to !== 'index.ts')
      .filter((c) => !imports.some((i) => i.file === c.file && i.module.startsWith(`${c.to}/`)))
      .map((c) => `${c.file}: ${c.from} → ${c.to}`);
    expect([...new Set(unnamed)]).toEqual([]);
  });

  it('reads the names a surface imports and where index.ts takes each from (the reader works)', () => {
    expect(publicApi().get('checkInstallCommand')).toBe('pipeline/install.ts');
    expect(
      surfaceImports().some((i) => i.file.startsWith('hooks/') && i.name === 'checkInstallCommand'),
    ).toBe(true);
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
