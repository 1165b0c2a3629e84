import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { goImports } from '../../src/extractors/go/imports.js';
import { javaImports } from '../../src/extractors/maven/imports.js';
import { bracketNestingExceeds, jsNestingExceeds, MAX_NESTING } from '../../src/extractors/nesting.js';
import { jsImports } from '../../src/extractors/npm/imports.js';
import { pythonImports } from '../../src/extractors/pypi/imports.js';
import { rubyImports } from '../../src/extractors/ruby/imports.js';
import { rustImports } from '../../src/extractors/rust/imports.js';
import { shellScript } from '../../src/extractors/shell/index.js';
import { testContext } from '../helpers.js';

const n = 1500;
/** Shapes that make oxc recurse once per level, with and without brackets (each overflows its stack deeper). */
const HOSTILE_JS: Record<string, string> = {
  parentheses: `x=${'('.repeat(n)}1${')'.repeat(n)}`,
  arrays: `x=${'['.repeat(n)}${']'.repeat(n)}`,
  objects: `x=${'{a:'.repeat(n)}1${'}'.repeat(n)}`,
  templates: `x=\`${'${`'.repeat(n)}${'`}'.repeat(n)}\``,
  'type arguments': `let x: ${'A<'.repeat(n)}B${'>'.repeat(n)};`,
  'JSX elements': `x=(${'<a b="1">\n'.repeat(n)}${'</a>\n'.repeat(n)})`,
  'conditional chain': `x=${'a\n?b\n:'.repeat(n)}c`,
  'arrow chain': `x=${'a=>'.repeat(n)}1`,
  'assignment chain': `${'a=\n'.repeat(n)}1`,
  'if chain': `${'if(a)\n'.repeat(n)}x;`,
  'else-if chain': `if(a){}\n${'else if(a){x;}\n'.repeat(n)}`,
  labels: `${'a:\n'.repeat(n)}x;`,
  'new chain': `x=${'new '.repeat(n)}a`,
  'prefix operators': `x=${'- !'.repeat(n)}1`,
  'prefix updates': `x=${'--'.repeat(n)}a`,
  'a line of dashes': '-'.repeat(2 * n),
  'class heritage': `x=${'class extends '.repeat(n)}a{}${'{}'.repeat(n - 1)}`,
};

describe('jsNestingExceeds', () => {
  for (const [shape, text] of Object.entries(HOSTILE_JS)) {
    it(`finds ${shape} nested ${n} deep`, () => {
      expect(jsNestingExceeds(text)).toBeGreaterThanOrEqual(1);
    });
  }

  it('passes real code: every TypeScript file of Vouch itself, and long flat files', () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(100);
    const flagged = files.filter(
      (f) => jsNestingExceeds(readFileSync(join(src, f), 'utf8'), 200) !== undefined,
    );
    expect(flagged).toEqual([]);
    // Thousands of statements, list items and JSX siblings never add up: only nesting counts.
    const flat = [
      'const a = 1\n'.repeat(5000),
      `x = [${'1, '.repeat(5000)}]`,
      `x = (<ul>${'<li className="a" key={1}>it\'s</li>\n'.repeat(5000)}</ul>)`,
      `(function(){${'a=b?c:d;if(a)b=c;else d=e;'.repeat(5000)}})()`,
      'x = /[(]/g;\n'.repeat(5000),
    ];
    for (const text of flat) expect(jsNestingExceeds(text)).toBeUndefined();
  });
});

describe('bracketNestingExceeds', () => {
  it('counts brackets of every kind, ignoring stray closers', () => {
    expect(bracketNestingExceeds(`echo ${'$('.repeat(MAX_NESTING + 1)}`)).toBe(1);
    expect(bracketNestingExceeds(`${')'.repeat(5000)}\n${'('.repeat(MAX_NESTING)}`)).toBeUndefined();
  });
});

describe('deeply nested sources end in a per-file error or a result', () => {
  beforeAll(async () => {
    for (const extractor of [pythonImports, goImports, rustImports, rubyImports, javaImports])
      await extractor.init?.();
  });

  it('JavaScript and shell scripts nested beyond the limit are refused, with the line', () => {
    const js = jsImports.extract(
      { path: 'a.js', text: `import "x";\n${HOSTILE_JS.parentheses}` },
      testContext(),
    );
    expect(js).toEqual({
      refs: [],
      errors: [{ line: 2, message: 'nested more than 1000 levels deep: not parsed' }],
      facts: [],
    });
    const sh = shellScript.extract(
      { path: 'a.sh', text: `echo ${'$('.repeat(5000)}${')'.repeat(5000)}` },
      testContext(),
    );
    expect(sh.errors).toEqual([{ line: 1, message: 'nested more than 1000 levels deep: not parsed' }]);
  });

  // tree-sitter parses with a heap-allocated stack: depth costs memory and time, never the native stack.
  const deep = 20_000;
  const cases = [
    {
      extractor: pythonImports,
      path: 'a.py',
      text: `x = ${'('.repeat(deep)}1${')'.repeat(deep)}\nimport requests\n`,
      name: 'requests',
    },
    {
      extractor: goImports,
      path: 'a.go',
      text: `package a\nimport "github.com/x/y"\nvar x = ${'('.repeat(deep)}1${')'.repeat(deep)}\n`,
      name: 'github.com/x/y',
    },
    {
      extractor: rustImports,
      path: 'a.rs',
      text: `use serde::Serialize;\nfn f() { let x = ${'('.repeat(deep)}1${')'.repeat(deep)}; }\n`,
      name: 'serde',
    },
    {
      extractor: rubyImports,
      path: 'a.rb',
      text: `x = ${'['.repeat(deep)}1${']'.repeat(deep)}\nrequire "rails"\n`,
      name: 'railties',
    },
    {
      extractor: javaImports,
      path: 'A.java',
      text: `import com.google.gson.Gson;\nclass A { int x = ${'('.repeat(deep)}1${')'.repeat(deep)}; }\n`,
      name: 'com.google.gson',
    },
  ];
  for (const { extractor, path, text, name } of cases) {
    it(`${extractor.id}: ${deep} nested levels still give the imports`, () => {
      const out = extractor.extract({ path, text }, testContext());
      expect(out.refs.map((r) => r.name)).toContain(name);
    });
  }
});

describe('a process scanning a hostile file survives it', () => {
  it('6,000 nested parentheses in a 16 KB file are a per-file error, not a crash of the process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-nesting-'));
    try {
      writeFileSync(join(dir, 'deep.js'), `x=${'('.repeat(6000)}1${')'.repeat(6000)};\n`);
      writeFileSync(join(dir, 'chain.ts'), `${'a=>'.repeat(20_000)}1;\n`);
      writeFileSync(join(dir, 'ok.js'), "require('left-pad');\n");
      const bin = fileURLToPath(new URL('../../bin/vouch.js', import.meta.url));
      const child = spawnSync(
        process.execPath,
        [bin, 'scan', '.', '--format', 'json', '--no-registry', '--no-database'],
        {
          cwd: dir,
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect(child.signal).toBeNull();
      expect(child.status).toBe(2);
      const result = JSON.parse(child.stdout);
      expect(
        result.errors.map((e: { file: string; message: string }) => `${e.file}: ${e.message}`).sort(),
      ).toEqual([
        'chain.ts: nested more than 1000 levels deep: not parsed',
        'deep.js: nested more than 1000 levels deep: not parsed',
      ]);
      expect(result.packages.map((p: { name: string }) => p.name)).toEqual(['left-pad']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
