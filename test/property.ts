import fc from 'fast-check';
import { expect } from 'vitest';
import type { ExtractResult } from '../src/extractors/types.js';

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

/** Every ref names something and points at a line of its file; every error has a line of the input. */
export function expectWellFormed(out: ExtractResult, path: string, text: string): void {
  const lines = text.split(/\r?\n|\r/).length;
  for (const ref of out.refs) {
    expect(ref.name.length).toBeGreaterThan(0);
    if (ref.location.file === path) {
      expect(ref.location.line).toBeGreaterThanOrEqual(1);
      expect(ref.location.line).toBeLessThanOrEqual(lines);
    }
  }
  for (const error of out.errors) {
    if (error.line === undefined) continue;
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lines);
  }
}
