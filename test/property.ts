import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { ExtractContext, Extractor, ExtractResult } from '../src/extractors/types.js';
import { testContext } from './helpers.js';

/** Sample texts edited at random places: deletions, and insertions of tokens that matter to the format. */
export function mutated(samples: string[], tokens: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...samples),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom('', ...tokens), fc.nat(12)), { maxLength: 12 }),
    )
    .map(([sample, edits]) =>
      edits.reduce((text, [at, insert, cut]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + cut);
      }, sample),
    );
}

/** Most texts cut short at a random place, as an interrupted write leaves a file. */
export function truncated(texts: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(texts, fc.option(fc.nat(), { nil: undefined }))
    .map(([text, at]) => (at === undefined ? text : text.slice(0, at % (text.length + 1))));
}

/**
 * Every ref names something and points at a line, one of the input's when it is in the input's file; every
 * error points at a line of the input. `lineBreak` is what the parser counts as one: parsers that count `\n`
 * only (tree-sitter, the YAML and JSON line counters) are held to that count.
 */
export function expectWellFormed(
  out: ExtractResult,
  path: string,
  text: string,
  lineBreak: string | RegExp = /\r?\n|\r/,
): void {
  const lines = text.split(lineBreak).length;
  for (const ref of out.refs) {
    expect(ref.name.length).toBeGreaterThan(0);
    expect(ref.location.line).toBeGreaterThanOrEqual(1);
    if (ref.location.file === path) expect(ref.location.line).toBeLessThanOrEqual(lines);
  }
  for (const error of out.errors) {
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lines);
  }
}

/** A parser under test: the file name it reads, texts of its format, and tokens that matter to it. */
export interface PropertySubject {
  extractor: Extractor;
  filename: string;
  samples: string[];
  tokens: string[];
}

/**
 * The properties every parser has, as two tests: neither arbitrary text nor its samples edited at random make
 * it throw, and what it returns is well formed (`expectAlso` adds what is true of this parser's results).
 */
export function itNeverThrows(
  { extractor, filename, samples, tokens }: PropertySubject,
  options: {
    context?: ExtractContext;
    numRuns?: number;
    lineBreak?: string | RegExp;
    expectAlso?: (out: ExtractResult) => void;
  } = {},
): void {
  const context = options.context ?? testContext();
  const check = (text: string) => {
    const out = extractor.extract({ path: filename, text }, context);
    expectWellFormed(out, filename, text, options.lineBreak);
    options.expectAlso?.(out);
  };
  const parameters = { numRuns: options.numRuns };

  it(`${extractor.id} never throws on arbitrary text`, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), check), parameters);
  });

  it(`${extractor.id} never throws on edited samples, and every ref and error points at a line`, () => {
    fc.assert(fc.property(mutated(samples, tokens), check), parameters);
  });
}
