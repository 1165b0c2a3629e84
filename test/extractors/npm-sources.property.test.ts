import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsImports } from '../../src/extractors/npm/imports.js';
import { packageJson } from '../../src/extractors/npm/package-json.js';
import { tsconfig } from '../../src/extractors/npm/tsconfig.js';
import { fixturePath, testContext } from '../helpers.js';
import { expectWellFormed, itNeverThrows, type PropertySubject } from '../property.js';

const SUBJECTS: PropertySubject[] = [
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
    itNeverThrows({ extractor, filename, samples, tokens }, { numRuns: 200 });

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
