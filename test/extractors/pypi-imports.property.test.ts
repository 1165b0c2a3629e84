import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { pythonImports } from '../../src/extractors/pypi/imports.js';
import type { ExtractResult } from '../../src/extractors/types.js';
import { fixturePath, testContext } from '../helpers.js';

const SAMPLES = [
  'basic/app.py',
  'optional/app.py',
  'type-checking/app.py',
  'dotted/app.py',
  'importlib/app.py',
].map((name) => readFileSync(fixturePath('extractors/pypi-imports', name), 'utf8'));

function extract(text: string): ExtractResult {
  return pythonImports.extract({ path: 'prop.py', text }, testContext());
}

/** Every ref and error points at a line of the input, and every ref names a module that could exist. */
function wellFormed(out: ExtractResult, text: string): void {
  const lines = text.split('\n').length;
  for (const ref of out.refs) {
    expect(ref.name.length).toBeGreaterThan(0);
    expect(ref.importName).toMatch(/^[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*$/u);
    expect(ref.location.line).toBeGreaterThanOrEqual(1);
    expect(ref.location.line).toBeLessThanOrEqual(lines);
  }
  expect(out.errors.length).toBeLessThanOrEqual(1);
  for (const error of out.errors) expect(error.line).toBeGreaterThanOrEqual(1);
}

/** Deletions, insertions of Python-significant characters, and duplications at random places. */
const mutated = fc
  .tuple(
    fc.constantFrom(...SAMPLES),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom(
          '',
          '(',
          ')',
          ':',
          '\n',
          '    ',
          '"',
          "'",
          '\\',
          'import ',
          'from ',
          '.',
          ',',
          '#',
          'try:',
          'é',
        ),
        fc.nat(8),
      ),
      { maxLength: 12 },
    ),
  )
  .map(([sample, edits]) =>
    edits.reduce((text, [at, insert, cut]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + cut);
    }, sample),
  );

/** Module names no table maps and the standard library does not hold. */
const moduleName = fc
  .array(fc.stringMatching(/^zz[a-z0-9_]{0,6}$/), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('.'));

const importLine = fc
  .tuple(fc.constantFrom('import', 'from', 'as', 'call', 'nested'), moduleName)
  .map(([form, module]) => {
    switch (form) {
      case 'import':
        return { module, line: `import ${module}` };
      case 'from':
        return { module, line: `from ${module} import thing` };
      case 'as':
        return { module, line: `import ${module} as alias` };
      case 'call':
        return { module, line: `loaded = importlib.import_module("${module}")` };
      default:
        return { module, line: `def f():\n    if flag:\n        import ${module}` };
    }
  });

describe('pypi/imports properties', () => {
  beforeAll(async () => {
    await pythonImports.init!();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        wellFormed(extract(text), text);
      }),
    );
  });

  it('never throws on mutated Python, and keeps line numbers inside the file', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        wellFormed(extract(text), text);
      }),
    );
  });

  it('finds every generated import, in order, with the module as written', () => {
    fc.assert(
      fc.property(fc.array(importLine, { maxLength: 15 }), (lines) => {
        const out = extract(`${lines.map((l) => l.line).join('\n')}\n`);
        expect(out.errors).toEqual([]);
        expect(out.refs.map((r) => r.importName)).toEqual(lines.map((l) => l.module));
        expect(out.refs.every((r) => r.inferred && r.name === r.importName!.split('.')[0])).toBe(true);
      }),
    );
  });

  it('completes on 1 MiB of mutated Python', () => {
    let text = '';
    for (let i = 0; text.length < 1 << 20; i++) text += `${SAMPLES[i % SAMPLES.length]}\n`;
    // A break in the middle must not lose the imports after it.
    text = `${text.slice(0, 500_000)}def broken(:\n${text.slice(500_000)}`;
    const out = extract(text);
    wellFormed(out, text);
    expect(out.errors).toHaveLength(1);
    expect(out.refs.length).toBeGreaterThan(10_000);
    expect(out.refs.at(-1)!.location.line).toBeGreaterThan(text.slice(0, 500_000).split('\n').length);
  }, 120_000);
});
