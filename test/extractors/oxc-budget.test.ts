import { describe, expect, it } from 'vitest';
import { jsImports } from '../../src/extractors/npm/imports.js';
import {
  cutLongLines,
  errorBudget,
  isRefusal,
  MAX_PARSED_LINE,
  OxcGuard,
  oxcRefusal,
  parseDeadlineMs,
} from '../../src/extractors/oxc-budget.js';
import { probeHidingText, testContext } from '../helpers.js';

const extract = (path: string, text: string) => jsImports.extract({ path, text }, testContext());

describe('oxc-budget', () => {
  it('lets ordinary code through, however long the file', () => {
    const module = "import a from 'a';\nexport function f(x) {\n  return x + 1;\n}\n";
    expect(oxcRefusal('', 'ts')).toBeUndefined();
    expect(oxcRefusal(module, 'ts')).toBeUndefined();
    expect(oxcRefusal(module.repeat(5_000), 'ts')).toBeUndefined(); // 300 KB in pieces, each cut at a line
    // A long line without errors (a data literal) is probed in cut copies, then parsed.
    expect(oxcRefusal(`const svg = "${'M0 0L1 1'.repeat(2_000)}";\n`, 'tsx')).toBeUndefined();
  });

  it('refuses a line longer than the limit, naming it', () => {
    const text = `a;\nb;\n${'x'.repeat(MAX_PARSED_LINE + 1)}\n`;
    expect(oxcRefusal(text, 'ts')).toEqual({
      reason: 'long-line',
      line: 3,
      message: 'line 3 is 50,001 characters long (minified or generated code?): not parsed',
    });
  });

  it('refuses error-dense text, saying where the errors passed the budget', () => {
    const refusal = oxcRefusal('ok();\n'.repeat(2_000) + 'return;\n'.repeat(30_000), 'ts');
    expect(refusal?.reason).toBe('error-dense');
    expect(refusal?.line).toBeGreaterThan(1);
    expect(refusal?.message).toMatch(/^more than [\d,]+ syntax errors by line [\d,]+ \(error-dense text/);
    expect(oxcRefusal(`${'\\'.repeat(5_000)}\n`.repeat(40), 'ts')?.reason).toBe('error-dense');
    expect(errorBudget(10)).toBeGreaterThan(20); // every piece may be cut inside a construct
  });
});

describe('the probe’s copy of a text with long lines', () => {
  it('breaks each line after every thousand characters and leaves shorter lines as they are', () => {
    const text = `${'a'.repeat(2500)}\nshort\n${'b'.repeat(1000)}\n${'c'.repeat(999)}`;
    expect(cutLongLines(text)).toBe(
      `${'a'.repeat(1000)}\n${'a'.repeat(1000)}\n${'a'.repeat(500)}\nshort\n${'b'.repeat(1000)}\n\n${'c'.repeat(999)}`,
    );
    expect(cutLongLines('')).toBe('');
    expect(cutLongLines('x\n\ny\n')).toBe('x\n\ny\n');
  });
});

describe('npm/imports on text oxc is not given', () => {
  it('reads a minified file’s imports with the lexer, without an error', () => {
    const text = `import a from "left-pad";const b=require("is-odd");${'var x=1;'.repeat(8_000)}`;
    const out = extract('dist/app.min.js', text);
    expect(out.errors).toEqual([]);
    expect(out.refs.map((ref) => `${ref.name}:${ref.location.line}`)).toEqual(['left-pad:1', 'is-odd:1']);
  });

  it('ends 200 KB of backslashes in a result, and error-dense lines in a per-file error', () => {
    expect(extract('app.ts', '\\'.repeat(200_000))).toEqual({ refs: [], errors: [], facts: [] });
    const dense = extract('app.ts', `import a from 'left-pad';\n${'\\\n'.repeat(100_000)}`);
    expect(dense.errors).toEqual([
      { line: 1, message: expect.stringMatching(/syntax errors by line [\d,]+ \(error-dense text/) },
    ]);
    // What the lexer could still read is kept.
    expect(dense.refs.map((ref) => ref.name)).toEqual(['left-pad']);
  });
});

describe('text crafted to hide its errors from the probe (issue 11)', () => {
  const LEAD = "import a from 'left-pad';\nconst b = require('is-odd');\n";

  it('passes the probe: only the deadline stops it', () => {
    expect(oxcRefusal(probeHidingText(64 * 1024, LEAD), 'jsx')).toBeUndefined();
  });

  it('is refused once its parse passes the deadline; ordinary text as large is parsed in the helper', () => {
    const text = probeHidingText(256 * 1024, LEAD);
    const guard = new OxcGuard(text, 100);
    const refusal = guard.parse('app.js', text, { lang: 'jsx' });
    expect(refusal).toEqual({
      reason: 'slow',
      line: 1,
      message: 'the parser did not finish within 0.1 s (error-dense text, not JavaScript?): not parsed',
    });
    // The deadline is the file's: once spent, no other text of the file is parsed.
    const after = guard.parse('app.js', 'ok();\n'.repeat(6_000), { lang: 'jsx' });
    expect(isRefusal(after) && after.reason).toBe('slow');
    const ordinary = `${LEAD}${'ok();\n'.repeat(6_000)}`; // 36 KB: parsed in the helper
    const parsed = new OxcGuard(ordinary).parse('app.js', ordinary, { lang: 'jsx' });
    if (isRefusal(parsed)) throw new Error(parsed.message);
    expect(parsed.module.staticImports.map((entry) => entry.moduleRequest.value)).toEqual(['left-pad']);
    expect(parsed.errors).toEqual([]);
    // The tree, which the helper does not send, is made here when a reader asks for it.
    expect(parsed.program.body).toHaveLength(6_002);
  });

  it('gives every file time far above what real code takes to parse', () => {
    expect(parseDeadlineMs(0)).toBe(2_000);
    expect(parseDeadlineMs(10 * 1024 * 1024)).toBeCloseTo(17_729, 0);
  });

  it('ends in a per-file error, with the imports still read by the lexer', () => {
    const out = extract('src/app.js', probeHidingText(1024 * 1024, LEAD));
    expect(out.errors).toEqual([
      {
        line: 1,
        message: 'the parser did not finish within 3.6 s (error-dense text, not JavaScript?): not parsed',
      },
    ]);
    expect([...new Set(out.refs.map((ref) => ref.name))]).toEqual(['left-pad', 'is-odd']);
  });
});
