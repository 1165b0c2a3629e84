import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { llmMarkdown } from '../../src/extractors/llm/markdown.js';
import { EXTRACTORS, extractorById, extractorFor } from '../../src/extractors/registry.js';
import type { ExtractContext, ExtractResult, Snippet } from '../../src/extractors/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { scan } from '../../src/pipeline/scan.js';
import { fixturePath } from '../helpers.js';

/** Python import and requirements extractors come from another part of the project; some checks need them. */
const hasPythonImports = extractorById('pypi/imports') !== undefined;
const hasRequirements = extractorFor('requirements.txt') !== undefined;

interface Read extends ExtractResult {
  snippets: Snippet[];
}

/**
 * Reads one answer the way the core does (src/core/scan.ts `extractSnippet`): each snippet goes to the
 * registry's extractor for its file name, and its refs come back with answer lines. The snippets handed
 * over are recorded, so that what the answer extractor decided is visible even where no extractor exists yet.
 */
function readAnswer(scenario: string, file = 'answer.md'): Read {
  const path = `${scenario}/${file}`;
  const text = readFileSync(fixturePath('extractors/llm-markdown', scenario, file), 'utf8');
  const snippets: Snippet[] = [];
  const context: ExtractContext = {
    pythonImportMap: new Map(),
    readRelative: () => ({ error: 'no such file' }),
    extractSnippet(host, snippet) {
      snippets.push(snippet);
      const extractor = extractorFor(snippet.filename);
      if (!extractor || extractor.kind === 'document') return { refs: [], errors: [], facts: [] };
      const inner = extractor.extract({ path: snippet.filename, text: snippet.text }, context);
      for (const ref of inner.refs) {
        ref.location = { ...ref.location, file: host.path };
        if (ref.location.line !== undefined) ref.location.line += snippet.line - 1;
        ref.scope ??= host.path;
      }
      for (const error of inner.errors) if (error.line !== undefined) error.line += snippet.line - 1;
      return inner;
    },
  };
  return { ...llmMarkdown.extract({ path, text }, context), snippets };
}

/** `express@4.17.1 installed 4:13`: name, version or spec, how it was found, and where in the answer. */
function brief(ref: PackageRef): string {
  const version =
    ref.version !== undefined ? `@${ref.version}` : ref.spec !== undefined ? ` ${ref.spec}` : '';
  const groups = ref.groups ? ` [${ref.groups.join(',')}]` : '';
  const column = ref.location.column === undefined ? '' : `:${ref.location.column}`;
  return `${ref.name}${version} ${ref.source}${groups} ${ref.location.line}${column}`;
}

function snippetsOf(read: Read): [string, number][] {
  return read.snippets.map((s) => [s.filename, s.line]);
}

beforeAll(async () => {
  for (const extractor of EXTRACTORS) await extractor.init?.();
});

describe('llm/markdown', () => {
  it('reads the phantom case: an install command and code that requires one more package', () => {
    const out = readAnswer('express-phantom');
    expect(out.errors).toEqual([]);
    expect(snippetsOf(out)).toEqual([
      ['snippet.sh', 4],
      ['snippet.js', 10],
    ]);
    expect(out.refs.map(brief)).toEqual([
      'express installed 4:13',
      'express imported 10:25',
      'body-parser imported 11:28',
    ]);
    expect(out.refs.every((r) => r.scope === 'express-phantom/answer.md')).toBe(true);
    expect(out.refs.every((r) => r.location.file === 'express-phantom/answer.md')).toBe(true);
    expect(out.refs[0]?.extractor).toBe('shell');
  });

  it('finds the phantom in a scan: body-parser is used but never installed, express is fine', async () => {
    const result = await scan(['answer.md'], { cwd: fixturePath('extractors/llm-markdown/express-phantom') });
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => [f.kind, f.name, f.location.line])).toEqual([
      ['undeclared', 'body-parser', 11],
    ]);
    expect(result.findings[0]?.message).toContain('the answer never installs or declares it');
  });

  it('reads a pinned pip install and hands the Python block to the Python extractor', () => {
    const out = readAnswer('python-requests');
    expect(snippetsOf(out)).toEqual([
      ['snippet.sh', 4],
      ['snippet.py', 10],
    ]);
    expect(out.snippets[1]?.text).toContain('import yaml');
    const installed = out.refs.filter((r) => r.source === 'installed');
    expect(installed.map(brief)).toEqual(['requests@2.19.0 installed 4:13']);
    expect(installed[0]?.ecosystem).toBe('PyPI');
  });

  it.runIf(hasPythonImports)('maps the Python imports of the block to answer lines', () => {
    const imported = readAnswer('python-requests').refs.filter((r) => r.source === 'imported');
    expect(imported.map((r) => [r.importName, r.location.line])).toEqual([
      ['requests', 10],
      ['yaml', 11],
    ]);
  });

  it('reads tilde fences like backtick fences', () => {
    const out = readAnswer('tilde-fences');
    expect(out.refs.map(brief)).toEqual([
      'lodash@4.17.11 installed 4:10',
      'lodash imported 8:15',
      'dayjs imported 9:19',
    ]);
  });

  it('reads indented code blocks, with columns of the answer (indentation included)', () => {
    const out = readAnswer('indented-blocks');
    expect(snippetsOf(out)).toEqual([
      ['snippet.sh', 3],
      ['snippet.js', 7],
    ]);
    expect(out.refs.map(brief)).toEqual([
      'vitest installed [dev] 3:17',
      'vitest imported 7:30',
      '@testing-library/react imported 8:28',
    ]);
  });

  it('classifies blocks without a language (or with an unknown one) by their content', () => {
    const out = readAnswer('no-info-string');
    expect(snippetsOf(out)).toEqual([
      ['snippet.sh', 4],
      ['snippet.js', 8],
      ['requirements.txt', 13],
    ]);
    expect(out.snippets[2]?.text).toBe('flask==2.0.1\ngunicorn>=20');
    expect(out.refs.filter((r) => r.ecosystem === 'npm').map(brief)).toEqual([
      'axios@1.6.0 installed 4:7',
      'axios imported 8:23',
      'chalk imported 9:23',
    ]);
  });

  it.runIf(hasRequirements)('reads the requirement lines of a block classified by content', () => {
    const pypi = readAnswer('no-info-string').refs.filter((r) => r.ecosystem === 'PyPI');
    expect(pypi.map(brief)).toEqual(['flask@2.0.1 declared 13', 'gunicorn >=20 declared 14']);
  });

  it('reads package.json snippets, whole or as a fragment named in the sentence above', () => {
    const out = readAnswer('package-json');
    expect(out.errors).toEqual([]);
    expect(snippetsOf(out)).toEqual([
      ['package.json', 4],
      ['package.json', 19],
      ['snippet.js', 25],
    ]);
    expect(out.refs.filter((r) => r.source === 'declared').map(brief)).toEqual([
      'express ^4.17.1 declared 7',
      'cors@2.8.5 declared 8',
      'nodemon ^2.0.0 declared [dev] 11',
      'fsevents@2.3.2 declared [optional] 20',
    ]);
    // A snippet's manifest facts would describe the project around the answer, so none come through.
    expect(out.facts).toEqual([]);
  });

  it('flags only the import that the package.json snippet does not declare', async () => {
    const result = await scan(['answer.md'], { cwd: fixturePath('extractors/llm-markdown/package-json') });
    expect(result.findings.map((f) => [f.kind, f.name, f.location.line])).toEqual([
      ['undeclared', 'helmet', 27],
    ]);
  });

  it('sends requirements.txt snippets (by caption or info string) to the requirements extractor', () => {
    const out = readAnswer('requirements-txt');
    expect(snippetsOf(out)).toEqual([
      ['requirements.txt', 4],
      ['requirements.txt', 9],
      ['snippet.sh', 15],
    ]);
    expect(out.snippets[0]?.text).toBe('requests==2.19.0\npyyaml>=5.1');
    // `pip install -r requirements.txt` names a file, not a package.
    expect(out.refs.filter((r) => r.extractor === 'shell')).toEqual([]);
  });

  it.runIf(hasRequirements)('reads the requirements of those snippets with answer lines', () => {
    const out = readAnswer('requirements-txt');
    expect(out.refs.map(brief)).toEqual([
      'requests@2.19.0 declared 4',
      'pyyaml >=5.1 declared 5',
      'beautifulsoup4@4.9.3 declared 9',
    ]);
  });

  it('reads install commands in inline code spans (table cells too), and nothing from other spans or prose', () => {
    const out = readAnswer('inline-code');
    expect(out.snippets).toEqual([]);
    expect(out.refs.map(brief)).toEqual([
      'express@4.17.1 installed 3:18',
      'cors installed 3:33',
      'nodemon installed [dev] 3:71',
      'dayjs installed 5:17',
      'flask >=2 installed 7:33',
      'zod installed 11:13',
      // "via npm (npm install lodash)": a command set apart from the sentence by parentheses.
      'lodash installed 13:42',
    ]);
    expect(out.refs.every((r) => r.scope === 'inline-code/answer.md')).toBe(true);
  });

  it('reads a line of a plain-text answer that is a command, but no install verb in running prose', () => {
    const out = readAnswer('plain-text', 'answer.txt');
    const installed = out.refs.filter((r) => r.source === 'installed');
    // "Install it with pip install requests beautifulsoup4." and "use npm install cheerio for …" are
    // sentences; only the line that is nothing but a command names packages.
    expect(installed.map(brief)).toEqual(['lxml@4.9.1 installed 4:13']);
    expect(installed[0]?.ecosystem).toBe('PyPI');
    expect(snippetsOf(out)).toEqual([['snippet.py', 10]]);
  });

  it('reads only the prompted lines (and their continuations) of a console session', () => {
    const out = readAnswer('console-session');
    expect(out.errors).toEqual([]);
    expect(out.refs.map(brief)).toEqual([
      'express@4.17.1 installed 4:15',
      'flask installed 7:15',
      'gunicorn@20.1.0 installed 8:5',
      'uvicorn installed 11:32',
      'left-pad installed 15:18',
    ]);
  });

  it('reads install commands in comments and notebook lines of code blocks', () => {
    const out = readAnswer('code-comments');
    expect(out.refs.filter((r) => r.extractor === 'shell').map(brief)).toEqual([
      'requests installed 4:15',
      'pyyaml installed 4:24',
      'pandas@2.0.0 installed 5:14',
      'express@4.18.2 installed 10:16',
      'httpx installed 18:13',
    ]);
    // "Example npm install (uncomment the line above …)" is a sentence in a comment, not a command.
    // The notebook line is not Python: the Python extractor sees an empty line in its place.
    expect(out.snippets[0]?.text.split('\n')).toEqual([
      '# pip install requests pyyaml',
      '',
      'import pandas as pd',
    ]);
    // A plain `pip install` line in a Python block is the command, and no syntax error.
    expect(out.snippets[2]?.text.split('\n')).toEqual(['', 'import httpx']);
    expect(out.errors).toEqual([]);
  });

  it('reads the RUN lines of a Dockerfile block, continuations included, but not the exec form', () => {
    const out = readAnswer('dockerfile');
    expect(out.refs.map(brief)).toEqual([
      'flask@2.0.1 installed 5:32',
      'gunicorn installed 6:5',
      'pm2 installed [global] 9:53',
    ]);
  });

  it.runIf(hasPythonImports)('reads an answer that is Python code without fences, docstrings and all', () => {
    const out = readAnswer('unfenced-python');
    expect(out.errors).toEqual([]);
    expect(snippetsOf(out)).toEqual([['snippet.py', 1]]);
    // csv and collections are the standard library; the module docstring's prose lines are code too.
    expect(out.refs.map(brief)).toEqual(['some_invented_lib imported 6:8']);
  });

  it('reads an answer that is JavaScript code without fences', () => {
    const out = readAnswer('unfenced-javascript');
    expect(out.errors).toEqual([]);
    expect(snippetsOf(out)).toEqual([['snippet.js', 1]]);
    expect(out.refs.map(brief)).toEqual(['express imported 1:25', 'express-rate-guard-pro imported 2:27']);
  });

  it.runIf(hasPythonImports)(
    'reads unfenced code between prose lines, and no syntax error for the prose',
    () => {
      const out = readAnswer('unfenced-mixed');
      expect(out.errors).toEqual([]);
      // From `import base64` to the end of the function; "Code:", "Example usage:" and the notes are prose.
      expect(snippetsOf(out)).toEqual([['snippet.py', 10]]);
      expect(out.snippets[0]?.text.split('\n').at(-1)).toBe(
        '    return base64.b64encode(token).decode("ascii")',
      );
      expect(out.refs.map((r) => [brief(r), r.optional === true])).toEqual([
        ['fernetplus imported 14:10', true],
        ['cryptography imported 16:10', false],
      ]);
    },
  );

  it('reads Go code without fences between prose lines', () => {
    const out = readAnswer('unfenced-go');
    expect(out.errors).toEqual([]);
    expect(snippetsOf(out)).toEqual([['snippet.go', 3]]);
    expect(out.refs.map((r) => `${r.name} ${r.source} ${r.location.line}`)).toEqual([
      'github.com/go-chi/chi/v5 imported 9',
      'github.com/acme/chi-magic-auth imported 10',
    ]);
  });

  it('reads Rust code without fences between prose lines, and C code as code that names no package', () => {
    const out = readAnswer('unfenced-rust-c');
    expect(out.errors).toEqual([]);
    // The C region (#include) is code, not prose; C has no extractor, so it names nothing.
    expect(snippetsOf(out)).toEqual([['snippet.rs', 3]]);
    expect(out.refs.map((r) => `${r.ecosystem}:${r.name} ${r.source} ${r.location.line}`)).toEqual([
      'crates.io:serde imported 3',
      'crates.io:tokio_retry_magic imported 4',
    ]);
  });

  it('reads install commands set apart from prose, and no words after an install verb in a sentence', () => {
    const out = readAnswer('prose-install');
    expect(out.refs.map(brief)).toEqual([
      'httpx installed 7:23',
      'selectolax installed 8:37',
      'left-pad installed 9:50',
      'rich installed 10:13',
      'chalk@5.3.0 installed 11:15',
      'vitest installed [dev] 12:26',
      // The package manager's name wrapped in emphasis, after sudo, or as python -m's module.
      'picocolors installed 13:17',
      'numpy installed 14:19',
      'httpx-ws installed 15:31',
    ]);
  });

  it.runIf(hasPythonImports)('takes no name from a broken import line, in any language', () => {
    const out = readAnswer('broken-imports');
    const names = out.refs.map((r) => `${r.ecosystem}:${r.name}`);
    expect(names).toEqual([
      'PyPI:numpy',
      'PyPI:matplotlib',
      'Go:github.com/sirupsen/logrus',
      'crates.io:serde',
      'Maven:com.google.gson',
      'RubyGems:httparty',
    ]);
    // The fenced blocks' syntax errors are reported; the unfenced line is not code, so it is not.
    expect(out.errors.map((e) => e.line)).toEqual([5, 20, 28, 33, 39]);
  });

  it('skips blocks in languages it does not read, and a code label on something else, without an error', () => {
    const out = readAnswer('unread-languages');
    // Markdown, SQL, diff, JSON and text blocks are not read (the Markdown block's install span included).
    expect(out.refs.map(brief)).toEqual(['requests imported 55:8']);
    // Python-labelled SQL, Markdown and protobuf are not Python: no syntax error. Python with a broken
    // line still is, and its error is reported.
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 58 });
    expect(out.errors[0]?.message).toMatch(/^in the snippet\.py code block: /);
  });

  it('reads an empty answer as nothing', () => {
    const out = readAnswer('empty');
    expect({ refs: out.refs, errors: out.errors, facts: out.facts }).toEqual({
      refs: [],
      errors: [],
      facts: [],
    });
  });

  it('reports a code block that is never closed, and what its code could not parse', () => {
    const out = readAnswer('broken');
    expect(out.refs.filter((r) => r.source === 'installed').map(brief)).toEqual(['express installed 4:13']);
    expect(out.errors[0]).toEqual({
      line: 9,
      message: 'the code block opened on line 9 is never closed (a truncated answer?)',
    });
    expect(out.errors[1]).toMatchObject({ line: 12 });
    expect(out.errors[1]?.message).toMatch(/^in the snippet\.js code block: /);
  });

  it('reads Markdown and text answers, but leaves requirements files to the pip extractor', () => {
    for (const path of ['answer.md', 'docs/x.markdown', 'page.mdx', 'notes.txt', 'ANSWER.MD']) {
      expect(llmMarkdown.matches(path), path).toBe(true);
    }
    for (const path of [
      'requirements.txt',
      'requirements-dev.txt',
      'dev-requirements.txt',
      'requirements/base.txt',
      'constraints.txt',
      'CMakeLists.txt',
      'package.json',
    ]) {
      expect(llmMarkdown.matches(path), path).toBe(false);
    }
    expect(EXTRACTORS.at(-1)).toBe(llmMarkdown);
    expect(extractorFor('README.md')).toBe(llmMarkdown);
  });
});
