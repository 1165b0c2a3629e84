import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VouchError } from '../../src/core/errors.js';
import { BUILTIN_PACK, loadScenarios, parseScenarios } from '../../src/simulate/scenarios.js';
import { fixturePath } from '../helpers.js';
import { tempDir } from './helpers.js';

const fixture = (name: string, file = 'scenarios.yaml') => fixturePath('simulate/scenarios', name, file);

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VouchError);
    return (error as VouchError).message;
  }
  throw new Error('expected an error');
}

describe('scenario files', () => {
  it('reads scenarios with the file’s defaults (system, language, tags) and their own overrides', () => {
    const [csv, upload] = loadScenarios([fixture('normal')]);
    expect(csv).toEqual({
      id: 'csv-export',
      request: 'Export a query to CSV.',
      system: 'You are a senior engineer. Answer with code.',
      language: 'python',
      ecosystem: 'PyPI',
      tags: ['team', 'csv'],
      source: fixture('normal'),
    });
    expect(upload).toMatchObject({
      id: 'node-upload',
      request: 'Accept file uploads\nin Express.',
      system: 'Answer briefly.',
      language: 'typescript',
      ecosystem: 'npm',
      tags: ['team'],
    });
  });

  it('reads JSON, with language aliases and an ecosystem without a language', () => {
    const scenarios = loadScenarios([fixture('json', 'scenarios.json')]);
    expect(scenarios.map((s) => [s.id, s.language, s.ecosystem, s.tags])).toEqual([
      ['one', undefined, 'npm', []],
      ['two', 'python', 'PyPI', ['yaml']],
    ]);
  });

  it('an empty file, a syntax error and a missing field are errors naming the file, line and field', () => {
    expect(errorOf(() => loadScenarios([fixture('empty')]))).toBe(
      `${fixture('empty')}: the file has no scenarios`,
    );
    expect(errorOf(() => loadScenarios([fixture('broken')]))).toMatch(
      new RegExp(`^${fixture('broken')}:4: not valid YAML or JSON`),
    );
    expect(errorOf(() => loadScenarios([fixture('invalid')]))).toBe(
      `${fixture('invalid')}:4: scenarios[1].request: is required: the developer’s request`,
    );
    expect(errorOf(() => loadScenarios([join(fixture('empty'), '..', 'nope.yaml')]))).toMatch(
      /no such scenario file$/,
    );
  });

  it('checks every field', () => {
    const cases: [string, string][] = [
      ['- {id: Bad Id, request: x}', 'x.yaml:1: [0].id: must be lower case letters'],
      ['- {id: a, request: x, langauge: js}', 'x.yaml:1: [0].langauge: is not a scenario field'],
      [
        '- {id: a, request: x, language: cobol}',
        'x.yaml:1: [0].language: must be one of javascript, typescript, python',
      ],
      ['- {id: a, request: x, ecosystem: Maven}', 'x.yaml:1: [0].ecosystem: must be one of npm, PyPI'],
      [
        '- {id: a, request: x, language: python, ecosystem: npm}',
        'x.yaml:1: [0].ecosystem: npm does not go with the language python',
      ],
      ['- {id: a, request: x, tags: [1, ""]}', 'x.yaml:1: [0].tags: must be a list of words'],
      ['- {id: a, request: "  "}', 'x.yaml:1: [0].request: must be a non-empty string'],
      ['scenarios: {id: a}', 'x.yaml:1: scenarios: must be a list of scenarios'],
      ['scenario: []', 'x.yaml:1: scenario: is not a file setting'],
      ['just text', 'x.yaml:1: must be a list of scenarios or a mapping with "scenarios:"'],
    ];
    for (const [text, message] of cases)
      expect(errorOf(() => parseScenarios(text, 'x.yaml'))).toContain(message);
  });

  it('ids are unique across files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), '- {id: same, request: one}\n');
    writeFileSync(join(dir, 'b.yaml'), '- {id: same, request: two}\n');
    expect(errorOf(() => loadScenarios([join(dir, 'a.yaml'), join(dir, 'b.yaml')]))).toBe(
      `${join(dir, 'b.yaml')}: scenario id "same" is also used in ${join(dir, 'a.yaml')}; ids must be unique`,
    );
  });
});

describe('the built-in pack', () => {
  const pack = loadScenarios([BUILTIN_PACK]);

  it('is used when no file is named', () => {
    expect(loadScenarios([])).toEqual(pack);
  });

  it('has at least 40 requests in JavaScript/TypeScript and Python, over the risky topics', () => {
    expect(pack.length).toBeGreaterThanOrEqual(40);
    expect(pack.filter((s) => s.ecosystem === 'npm').length).toBeGreaterThanOrEqual(20);
    expect(pack.filter((s) => s.ecosystem === 'PyPI').length).toBeGreaterThanOrEqual(20);
    expect(new Set(pack.map((s) => s.language))).toEqual(new Set(['javascript', 'typescript', 'python']));
    const tags = new Set(pack.flatMap((s) => s.tags));
    for (const topic of [
      'xml',
      'yaml',
      'upload',
      'jwt',
      'http',
      'templating',
      'markdown',
      'image',
      'pdf',
      'dates',
      'cli',
      'orm',
      'scraping',
      'crypto',
      'websocket',
    ])
      expect(tags, topic).toContain(topic);
    for (const scenario of pack) {
      expect(scenario.source).toMatch(/^builtin\//);
      expect(scenario.request.length, scenario.id).toBeGreaterThan(40);
    }
  });
});
