import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { llmMarkdown } from '../../src/extractors/llm/markdown.js';
import { extractShellCommands, shellScript } from '../../src/extractors/shell/index.js';
import type { ExtractContext } from '../../src/extractors/types.js';
import { fixturePath } from '../helpers.js';
import { expectWellFormed } from '../property.js';

/** Shell snippets go to the shell extractor; other languages belong to other extractors and are not tested here. */
const context: ExtractContext = {
  pythonImportMap: new Map(),
  readRelative: () => ({ error: 'no such file' }),
  extractSnippet(host, snippet) {
    if (!snippet.filename.endsWith('.sh')) return { refs: [], errors: [], facts: [] };
    const inner = shellScript.extract({ path: snippet.filename, text: snippet.text }, context);
    for (const ref of inner.refs) {
      ref.location = { ...ref.location, file: host.path, line: (ref.location.line ?? 1) + snippet.line - 1 };
    }
    return inner;
  },
};

function answerFixtures(): string[] {
  const root = fixturePath('extractors/llm-markdown');
  return readdirSync(root).flatMap((scenario) =>
    readdirSync(`${root}/${scenario}`).map((file) => readFileSync(`${root}/${scenario}/${file}`, 'utf8')),
  );
}

function shellFixtures(): string[] {
  const root = fixturePath('extractors/shell');
  return readdirSync(root).flatMap((scenario) =>
    readdirSync(`${root}/${scenario}`).map((file) => readFileSync(`${root}/${scenario}/${file}`, 'utf8')),
  );
}

const SHELL_PIECES = [
  'npm',
  'i',
  'install',
  'pip',
  'pip3',
  'python',
  '-m',
  'uv',
  'add',
  'poetry',
  'pipenv',
  'npx',
  'yarn',
  'pnpm',
  'bun',
  'sudo',
  'env',
  'A=1',
  '-D',
  '-g',
  '-r',
  '--',
  '--registry',
  'express@4.17.1',
  '@scope/x@^1',
  'a@npm:b@1',
  'requests==2.19.0',
  "'flask>=2'",
  '"x[y]>=1; python_version<\'3\'"',
  'git+https://h.example.org/a/b.git',
  './dist/x-1.0-py3-none-any.whl',
  '$(',
  ')',
  '`',
  '\\`',
  '"',
  "'",
  '\\\n',
  '\n',
  ';',
  '&&',
  '||',
  '|',
  '&',
  '(',
  '{',
  '}',
  'if',
  'then',
  'fi',
  '<<EOF',
  'EOF',
  '#',
  '$X',
  '$' + '{X:-y}',
  '*',
  '>',
  '2>&1',
];
const MUTATION_CHARS = [...'`$()"\'\\\n>|&;{}#~[]*!<=@:/.-'];

/** A text with random characters inserted, deleted or replaced at random places. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 4 }),
    insert: fc.oneof(fc.constantFrom(...MUTATION_CHARS), fc.string({ maxLength: 6 })),
  });
  return fc.tuple(base, fc.array(edit, { maxLength: 12 })).map(([text, edits]) => {
    let out = text;
    for (const e of edits) {
      const at = out.length === 0 ? 0 : e.at % (out.length + 1);
      out = out.slice(0, at) + e.insert + out.slice(at + e.remove);
    }
    return out;
  });
}

describe('shell and llm/markdown never throw', () => {
  const shellLike = fc
    .array(fc.constantFrom(...SHELL_PIECES), { maxLength: 40 })
    .map((words) => words.join(' '));

  it('shell: random text, shell-like word soup and mutated scripts', () => {
    const inputs = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      shellLike,
      mutated(fc.constantFrom(...shellFixtures())),
    );
    fc.assert(
      fc.property(inputs, (text) => {
        const result = extractShellCommands(text, 'fuzz.sh');
        expectWellFormed(result, 'fuzz.sh', text);
        expect(result.refs.every((r) => r.location.file === 'fuzz.sh')).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('llm/markdown: random text, fenced word soup and mutated answers', () => {
    const fenced = fc
      .tuple(
        fc.constantFrom('```', '~~~', '    ', '`'),
        fc.constantFrom('', 'bash', 'console', 'js', 'json'),
        shellLike,
      )
      .map(
        ([fence, lang, body]) => `Run it:\n\n${fence}${lang}\n$ ${body}\n${fence}\nthen pip install ${body}.`,
      );
    const inputs = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fenced,
      mutated(fc.constantFrom(...answerFixtures())),
    );
    fc.assert(
      fc.property(inputs, (text) => {
        const result = llmMarkdown.extract({ path: 'fuzz.md', text }, context);
        expectWellFormed(result, 'fuzz.md', text);
        expect(result.refs.every((r) => r.location.file === 'fuzz.md' && r.scope === 'fuzz.md')).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('reads 1 MiB inputs in reasonable time, losing nothing', () => {
    const script = readFileSync(fixturePath('extractors/shell/basic/setup.sh'), 'utf8');
    const scriptCopies = Math.ceil(2 ** 20 / script.length);
    const answer = readFileSync(fixturePath('extractors/llm-markdown/console-session/answer.md'), 'utf8');
    const answerCopies = Math.ceil(2 ** 20 / answer.length);
    const garbage = fc
      .sample(fc.string({ unit: 'binary', minLength: 2 ** 10, maxLength: 2 ** 10 }), {
        numRuns: 2 ** 10,
        seed: 42,
      })
      .join('\n');
    const started = performance.now();
    const scriptRefs = extractShellCommands(script.repeat(scriptCopies), 'big.sh').refs;
    const answerRefs = llmMarkdown.extract(
      { path: 'big.md', text: answer.repeat(answerCopies) },
      context,
    ).refs;
    extractShellCommands(garbage, 'garbage.sh');
    llmMarkdown.extract({ path: 'garbage.md', text: garbage }, context);
    const seconds = (performance.now() - started) / 1000;
    expect(scriptRefs.length).toBe(scriptCopies * 6);
    expect(answerRefs.length).toBe(answerCopies * 5);
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});
