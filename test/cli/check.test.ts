import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { CheckResult } from '../../src/pipeline/check.js';
import { fixturePath } from '../helpers.js';
import { fixtureDatabase } from '../vulndb/helpers.js';

const DIR = fixturePath('check');

async function run(args: string[], stdin = ''): Promise<{ exit: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { VOUCH_CACHE_DIR: process.env.VOUCH_CACHE_DIR },
    cwd: DIR,
    readStdin: async () => stdin,
  };
  const exit = await main(args, io);
  return { exit, stdout, stderr };
}

let database: string;
beforeAll(async () => {
  database = await fixtureDatabase();
});

/** No registry: the risks come from the fixture database only. */
const offline = () => ['--no-registry', '--database', database];

describe('vouch check', () => {
  it('checks every assistant answer of a JSON lines file and reports per answer', async () => {
    const { exit, stdout, stderr } = await run(['check', 'answers.jsonl', '--format', 'json', ...offline()]);
    expect(stderr).toBe('');
    expect(exit).toBe(1);
    const result = JSON.parse(stdout) as CheckResult;
    expect(result.inputs).toEqual(['answers.jsonl']);
    expect(result.errors).toEqual([]);
    expect(result.answers).toEqual([
      {
        id: 'answers.jsonl:line1#turn3',
        request: 'How do I deep-merge objects in JavaScript?',
        system: 'You are a coding assistant.',
        model: 'gpt-4o',
        file: 'answers.jsonl',
        format: 'jsonl',
      },
      {
        id: 'answers.jsonl:line2#turn2',
        request: 'How do I parse YAML in Python?',
        model: 'gpt-4o',
        file: 'answers.jsonl',
        format: 'jsonl',
      },
      {
        id: 'answers.jsonl:line3#turn2',
        request: 'Is `npm install lodash@4.17.11` safe?',
        model: 'gpt-4o',
        file: 'answers.jsonl',
        format: 'jsonl',
      },
    ]);
    // Lines count within the answer; the user's own install command (line 3) is context, never a finding.
    expect(
      result.findings.map((f) => `${f.kind} ${f.severity} ${f.name} ${f.location.file}:${f.location.line}`),
    ).toEqual([
      'undisclosed-risk critical lodash answers.jsonl:line1#turn3:4',
      'vulnerable critical lodash answers.jsonl:line1#turn3:4',
      'vulnerable medium PyYAML answers.jsonl:line2#turn2:2',
      'disclosed-risk info PyYAML answers.jsonl:line2#turn2:2',
    ]);
    const disclosed = result.findings.find((f) => f.kind === 'disclosed-risk' && f.name === 'PyYAML');
    expect(disclosed?.evidence).toMatchObject({
      disclosed: true,
      warnings: [{ line: 5, text: expect.stringContaining('CVE-2020-14343'), cues: ['security'] }],
    });
    expect(result.packages.map((p) => `${p.name} ${p.scope}`)).toEqual([
      'lodash answers.jsonl:line1#turn3',
      'PyYAML answers.jsonl:line2#turn2',
    ]);
  });

  it('shows answer ids as locations in the table', async () => {
    const { exit, stdout } = await run(['check', 'answers.jsonl', ...offline()]);
    expect(exit).toBe(1);
    expect(stdout).toMatch(/undisclosed-risk\s+npm:lodash@4\.17\.11\s+answers\.jsonl:line1#turn3:4/);
  });

  it('reads a conversation on standard input, whatever its format', async () => {
    const completion = readFileSync(`${DIR}/completion.json`, 'utf8');
    const json = await run(['check', '-', '--format', 'json', ...offline()], completion);
    expect(json.exit).toBe(1);
    const result = JSON.parse(json.stdout) as CheckResult;
    expect(result.answers).toEqual([
      { id: '<stdin>#choice1', model: 'gpt-4o-mini', file: '<stdin>', format: 'json' },
    ]);
    expect(result.findings.map((f) => f.location.file)).toEqual(['<stdin>#choice1', '<stdin>#choice1']);

    const markdown = await run(
      ['check', '-', '--format', 'json', ...offline()],
      'Use `npm install lodash@4.17.11`.',
    );
    expect((JSON.parse(markdown.stdout) as CheckResult).answers).toEqual([
      { id: '<stdin>', file: '<stdin>', format: 'markdown' },
    ]);
  });

  it('takes the same gate and output options as scan', async () => {
    expect((await run(['check', 'answers.jsonl', '--fail-on', 'none', ...offline()])).exit).toBe(0);
    const sarif = await run(['check', 'answers.jsonl', '--format', 'sarif', ...offline()]);
    expect(JSON.parse(sarif.stdout).runs[0].results.length).toBeGreaterThan(0);
    const bad = await run(['check', 'answers.jsonl', '--format', 'xml']);
    expect(bad.exit).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are table, json, sarif/);
    const help = await run(['check', '--help']);
    for (const flag of [
      '--format',
      '--output',
      '--fail-on',
      '--max-file-size',
      '--database',
      '--no-registry',
      '--offline',
    ])
      expect(help.stdout).toContain(flag);
  });

  it('reports a malformed line with its line and checks the rest (exit 2: the evidence is incomplete)', async () => {
    const { exit, stdout } = await run(['check', 'broken.jsonl', '--format', 'json', ...offline()]);
    expect(exit).toBe(2);
    const result = JSON.parse(stdout) as CheckResult;
    expect(result.errors).toEqual([
      { file: 'broken.jsonl', line: 2, column: 71, message: 'invalid JSON: CloseBracketExpected' },
    ]);
    expect(result.answers.map((a) => a.id)).toEqual(['broken.jsonl:line1#turn3']);
    expect(result.findings.some((f) => f.kind === 'vulnerable')).toBe(true);
  });

  it('checks a file given twice once', async () => {
    const { stdout } = await run([
      'check',
      'answers.jsonl',
      'answers.jsonl',
      '--format',
      'json',
      ...offline(),
    ]);
    const result = JSON.parse(stdout) as CheckResult;
    expect(result.answers).toHaveLength(3);
    expect(result.findings.filter((f) => f.kind === 'vulnerable')).toHaveLength(2);
  });

  it('refuses what is no conversation file', async () => {
    const folder = await run(['check', '.', '--format', 'json', '--no-registry', '--no-database']);
    expect(folder.exit).toBe(2);
    expect(JSON.parse(folder.stdout).errors).toEqual([
      { file: '.', message: 'a folder: vouch check reads conversation files (vouch scan walks folders)' },
    ]);
    const missing = await run(['check', 'nope.jsonl', '--format', 'json', '--no-registry', '--no-database']);
    expect(JSON.parse(missing.stdout).errors).toEqual([{ file: 'nope.jsonl', message: 'no such file' }]);
    const none = await run(['check']);
    expect(none.exit).toBe(2);
    expect(none.stderr).toMatch(/missing required argument 'files'/);
    const twice = await run(['check', '-', '-']);
    expect(twice.exit).toBe(2);
    expect(twice.stderr).toMatch(/standard input \(-\) can be read only once/);
  });
});
