import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, readConversation } from '../../src/inputs/conversation.js';
import { fixturePath } from '../helpers.js';

function read(scenario: string, file: string) {
  const text = readFileSync(fixturePath('inputs/conversation', scenario, file), 'utf8');
  return readConversation({ path: file, text });
}

describe('conversations', () => {
  it('a markdown file is one answer, named by the file', () => {
    const out = read('markdown', 'answer.md');
    expect(out.format).toBe('markdown');
    expect(out.errors).toEqual([]);
    expect(out.answers).toEqual([{ id: 'answer.md', text: expect.stringContaining('xml2js@0.4.23') }]);
  });

  it('an OpenAI chat completion: one answer per choice with text, with the model', () => {
    const out = read('openai-completion', 'completion.json');
    expect(out.errors).toEqual([]);
    expect(out.answers.map((a) => [a.id, a.model, a.request])).toEqual([
      ['completion.json#choice1', 'gpt-4o-2024-08-06', undefined],
      ['completion.json#choice3', 'gpt-4o-2024-08-06', undefined],
    ]);
    expect(out.answers[1]?.text).toContain('npm install underscore');
  });

  it('an OpenAI messages array: assistant turns are answers, each with the user turn it answers', () => {
    const out = read('openai-messages', 'chat.json');
    expect(out.errors).toEqual([]);
    expect(out.answers).toEqual([
      {
        id: 'chat.json#turn3',
        text: 'Install PyYAML:\n\n```bash\npip install PyYAML==5.3.1\n```\n',
        request: 'How do I parse YAML in Python?',
        system: 'You are a helpful coding assistant.',
      },
      {
        id: 'chat.json#turn5',
        text: 'Add it to `requirements.in`:\n\n```text\nPyYAML==5.3.1\n```\n',
        request: 'And with pip-tools?',
        system: 'You are a helpful coding assistant.',
      },
    ]);
    // The tool message's text is no answer, and neither are user or system turns.
    expect(out.answers.some((a) => a.text.includes('requests==2.0.0'))).toBe(false);
  });

  it('an Anthropic Messages response is one answer, named by the file', () => {
    const out = read('anthropic-response', 'message.json');
    expect(out.errors).toEqual([]);
    expect(out.answers).toEqual([
      {
        id: 'message.json',
        text: 'To send HTTP requests, install requests:\n\n```bash\npip install requests==2.25.1\n```\n',
        model: 'claude-sonnet-4-20250514',
      },
    ]);
  });

  it('an Anthropic messages request: text blocks joined, thinking and tool use left out, system prompt kept', () => {
    const out = read('anthropic-messages', 'conversation.json');
    expect(out.errors).toEqual([]);
    expect(out.answers).toEqual([
      {
        id: 'conversation.json#turn2',
        text: 'Use marked, installed with `npm install marked@2.0.0`.',
        request: 'Render markdown in Node',
        system: 'Answer with code.',
        model: 'claude-sonnet-4-20250514',
      },
      {
        id: 'conversation.json#turn4',
        text: 'Done: `npm ls marked` shows it.',
        // The tool result is no new request: the answer still answers the user's question.
        request: 'Render markdown in Node',
        system: 'Answer with code.',
        model: 'claude-sonnet-4-20250514',
      },
    ]);
  });

  it('an Ollama chat response', () => {
    const out = read('ollama', 'chat.json');
    expect(out.answers).toEqual([
      { id: 'chat.json', text: '```bash\npip install Flask==2.0.1\n```', model: 'qwen2.5-coder:7b' },
    ]);
  });

  it('JSON lines: one conversation per line of any shape, blank lines skipped, ids with the line', () => {
    const out = read('jsonl', 'runs.jsonl');
    expect(out.format).toBe('jsonl');
    expect(out.errors).toEqual([]);
    expect(out.answers.map((a) => [a.id, a.text, a.model ?? null, a.request ?? null])).toEqual([
      ['runs.jsonl:line1#choice1', 'npm install express@4.17.1', 'gpt-4o', null],
      ['runs.jsonl:line2#turn2', 'npm install xml2js@0.4.23', null, 'Parse XML in Node'],
      ['runs.jsonl:line4', 'pip install lxml==4.6.3', 'claude-3-5-haiku-latest', null],
      ['runs.jsonl:line5#turn2', 'pip install PyJWT==1.7.1', 'llama3', 'JWT in Python?'],
    ]);
  });

  it('empty files hold no answers and no errors', () => {
    for (const file of ['empty.jsonl', 'empty.json']) {
      expect(read('empty', file)).toMatchObject({ answers: [], errors: [] });
    }
    expect(readConversation({ path: '<stdin>', text: '\n  \n' }).answers).toEqual([]);
  });

  it('a malformed line is an error with its line and column; the other lines are read', () => {
    const out = read('broken', 'broken.jsonl');
    expect(out.errors).toEqual([
      { line: 2, column: 82, message: 'invalid JSON: CommaExpected' },
      { line: 3, message: expect.stringMatching(/^not a conversation: expected a messages array/) },
    ]);
    expect(out.answers.map((a) => a.id)).toEqual(['broken.jsonl:line1#choice1', 'broken.jsonl:line4#turn1']);
  });

  it('a truncated JSON document is an error where it ends, with no answers', () => {
    const out = read('broken', 'truncated.json');
    expect(out.format).toBe('json');
    expect(out.answers).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ line: 6, message: expect.stringMatching(/^invalid JSON: /) });
  });
});

describe('conversation formats are detected', () => {
  const detect = (path: string, text: string) => detectFormat({ path, text });

  it('from the extension when it is one Vouch knows', () => {
    expect(detect('a.jsonl', '[]')).toBe('jsonl');
    expect(detect('a.ndjson', '{}')).toBe('jsonl');
    expect(detect('a.md', '{"choices": []}')).toBe('markdown');
    expect(detect('a.txt', '[]')).toBe('markdown');
    expect(detect('a.json', '{"messages": []}')).toBe('json');
    // A .json file of JSON lines, as many tools write them.
    expect(detect('a.json', '{"messages": []}\n{"messages": []}\n')).toBe('jsonl');
  });

  it('from the content otherwise (standard input)', () => {
    expect(detect('<stdin>', '{"choices": []}')).toBe('json');
    expect(detect('<stdin>', '[{"role": "assistant", "content": "hi"}]')).toBe('json');
    expect(detect('<stdin>', '{"choices": []}\n{"choices": []}\n')).toBe('jsonl');
    expect(detect('<stdin>', 'Use `lodash`:\n\n```bash\nnpm i lodash\n```')).toBe('markdown');
    // An answer that opens with a link is markdown, though it starts with a bracket.
    expect(detect('<stdin>', '[Express](https://expressjs.example.org) is a web framework.')).toBe(
      'markdown',
    );
    expect(detect('<stdin>', '{ not json at all')).toBe('markdown');
  });
});

describe('large conversations', () => {
  it('reads 150,000 assistant turns without overflowing the stack', () => {
    const turns = Array.from({ length: 150_000 }, (_, i) => ({
      role: 'assistant',
      content: `pip install p${i}`,
    }));
    const read = readConversation({ path: 'big.json', text: JSON.stringify(turns) });
    expect(read.errors).toEqual([]);
    expect(read.answers).toHaveLength(150_000);
    expect(read.answers.at(-1)?.text).toBe('pip install p149999');
  });
});
