import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { pythonImports } from '../../src/extractors/pypi/imports.js';
import type { ExtractResult } from '../../src/extractors/types.js';
import { fixturePath, testContext } from '../helpers.js';
import { expectWellFormed, itNeverThrows, type PropertySubject } from '../property.js';

const SAMPLES = [
  'basic/app.py',
  'optional/app.py',
  'type-checking/app.py',
  'dotted/app.py',
  'importlib/app.py',
].map((name) => readFileSync(fixturePath('extractors/pypi-imports', name), 'utf8'));

function extract(text: string): ExtractResult {
  return pythonImports.extract({ path: SUBJECT.filename, text }, testContext());
}

/** What holds besides being well formed: each ref names a module that could exist, a file has one error at most. */
function expectPlausible(out: ExtractResult): void {
  for (const ref of out.refs)
    expect(ref.importName).toMatch(/^[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*$/u);
  expect(out.errors.length).toBeLessThanOrEqual(1);
}

/** tree-sitter counts rows at `\n` only. */
const LINE_BREAK = '\n';

const SUBJECT: PropertySubject = {
  extractor: pythonImports,
  filename: 'prop.py',
  samples: SAMPLES,
  tokens: ['(', ')', ':', '\n', '    ', '"', "'", '\\', 'import ', 'from ', '.', ',', '#', 'try:', 'é'],
};

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

  itNeverThrows(SUBJECT, { lineBreak: LINE_BREAK, expectAlso: expectPlausible });

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
    expectWellFormed(out, SUBJECT.filename, text, LINE_BREAK);
    expectPlausible(out);
    expect(out.errors).toHaveLength(1);
    expect(out.refs.length).toBeGreaterThan(10_000);
    expect(out.refs.at(-1)!.location.line).toBeGreaterThan(text.slice(0, 500_000).split('\n').length);
  }, 120_000);
});
