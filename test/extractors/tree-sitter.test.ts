import { beforeAll, describe, expect, it } from 'vitest';
import { pythonImports } from '../../src/extractors/pypi/imports.js';
import { rubyImports } from '../../src/extractors/ruby/imports.js';
import { MAX_UNPLACED_NODES } from '../../src/extractors/tree-sitter.js';
import { testContext } from '../helpers.js';

beforeAll(async () => {
  await pythonImports.init?.();
  await rubyImports.init?.();
});

describe('TreeSitterGrammar on error-dense text', () => {
  it('does not walk an error region larger than the limit: one error, the file not read', () => {
    for (const text of ['-'.repeat(200_000), `${'-'.repeat(100)}\n`.repeat(2_000)]) {
      const out = pythonImports.extract({ path: 'app.py', text: `import requests\n${text}` }, testContext());
      expect(out.refs).toEqual([]);
      expect(out.errors).toEqual([
        {
          line: 1, // the error region takes the whole module in
          message: `syntax error: more than ${MAX_UNPLACED_NODES.toLocaleString('en-US')} tokens the Python parser could not place (error-dense text, not Python source?): not read`,
        },
      ]);
    }
  });

  it('refuses a tree with more nodes than characters (operators a grammar nests, without an ERROR node)', () => {
    const out = rubyImports.extract({ path: 'app.rb', text: '-'.repeat(200_000) }, testContext());
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]?.message).toMatch(
      /^syntax error: [\d,]+ nodes for 200,000 characters \(error-dense text/,
    );
  });

  it('still reads a real file around a syntax error', () => {
    const text = `import requests\n${'x = compute(1, 2)\n'.repeat(3_000)}def broken(:\n    pass\nimport flask\n`;
    const out = pythonImports.extract({ path: 'app.py', text }, testContext());
    expect(out.refs.map((ref) => ref.name)).toEqual(['requests', 'flask']);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]?.message).not.toMatch(/not read/);
  });
});
