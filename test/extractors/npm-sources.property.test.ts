import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsImports } from '../../src/extractors/npm/imports.js';
import { packageJson } from '../../src/extractors/npm/package-json.js';
import { tsconfig } from '../../src/extractors/npm/tsconfig.js';
import type { Extractor } from '../../src/extractors/types.js';
import { fixturePath, testContext } from '../helpers.js';
import { expectWellFormed, mutated } from '../property.js';

const SUBJECTS: { extractor: Extractor; filename: string; samples: string[]; tokens: string[] }[] = [
  {
    extractor: packageJson,
    filename: 'package.json',
    samples: [readFileSync(fixturePath('extractors/npm-package-json/basic/package.json'), 'utf8')],
    tokens: ['{', '}', '[', ']', '"', ':', ',', 'npm:', '@', '\n', '{"a":'.repeat(50)],
  },
  {
    extractor: tsconfig,
    filename: 'tsconfig.json',
    samples: [readFileSync(fixturePath('scan/monorepo/packages/b/tsconfig.json'), 'utf8')],
    tokens: ['{', '}', '"', ':', ',', '//', '/*', '\n'],
  },
  {
    extractor: jsImports,
    filename: 'index.ts',
    samples: ['forms/app.mjs', 'commonjs/index.cjs', 'typescript/index.ts'].map((f) =>
      readFileSync(fixturePath('extractors/npm-imports', f), 'utf8'),
    ),
    tokens: ['require(', 'import(', 'import ', "'", '"', '`', '(', ')', '{', '}', '/*', '//', '\n', '<div>'],
  },
];

describe('npm manifest and source extractors: properties', () => {
  for (const { extractor, filename, samples, tokens } of SUBJECTS) {
    it(`${extractor.id} never throws on arbitrary text`, () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
          expectWellFormed(extractor.extract({ path: filename, text }, testContext()), filename, text);
        }),
        { numRuns: 200 },
      );
    });

    it(`${extractor.id} never throws on mutated fixtures`, () => {
      fc.assert(
        fc.property(mutated(samples, tokens), (text) => {
          expectWellFormed(extractor.extract({ path: filename, text }, testContext()), filename, text);
        }),
        { numRuns: 200 },
      );
    });

    it(`${extractor.id} reads a 1 MiB input to the end`, () => {
      const sample = samples[0]!;
      const copies = Math.ceil((1 << 20) / sample.length);
      const text =
        extractor === jsImports ? sample.repeat(copies) : `${sample.slice(0, -2)}${' '.repeat(1 << 20)}}`;
      const out = extractor.extract({ path: filename, text }, testContext());
      expectWellFormed(out, filename, text);
      if (extractor === jsImports) expect(out.refs.length).toBeGreaterThan(copies);
    });
  }
});
