/**
 * A run killed mid-way (SIGKILL, in a child process) keeps every sample that had arrived; resumed, it asks
 * the provider for exactly the samples that are missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { RunStore } from '../../src/simulate/store.js';
import { damagePages } from '../vulndb/helpers.js';
import { type FakeProvider, startFakeProvider } from './fake-provider.js';
import { tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./simulate-child.ts', import.meta.url));
const VITE_NODE = fileURLToPath(new URL('../../node_modules/vite-node/vite-node.mjs', import.meta.url));
const SAMPLES = 6;
const REQUESTS = ['Parse XML.', 'Verify a JWT.', 'Load YAML.'];

let fake: FakeProvider;
let dir: string;

beforeAll(async () => {
  fake = await startFakeProvider();
  fake.delayMs = 40;
  dir = tempDir();
  writeFileSync(
    join(dir, 'scenarios.yaml'),
    `- {id: xml, request: "${REQUESTS[0]}"}\n- {id: jwt, request: "${REQUESTS[1]}"}\n- {id: yaml, request: "${REQUESTS[2]}"}\n`,
  );
});
afterAll(() => fake.close());

const env = () => ({
  VOUCH_CACHE_DIR: join(dir, 'cache'),
  HOME: dir,
  OPENAI_BASE_URL: `${fake.url}/v1`,
  OPENAI_API_KEY: 'sk-resume',
});

describe('a killed run', () => {
  it('resumes asking only for what is missing', async () => {
    const store = join(dir, 'runs.sqlite');
    const child = spawn(
      process.execPath,
      [
        VITE_NODE,
        CHILD,
        'simulate',
        'scenarios.yaml',
        '-m',
        'openai:m',
        '-n',
        String(SAMPLES),
        '--run-id',
        'killed',
        '--store',
        store,
        '--concurrency',
        '2',
        '--no-database',
        '--no-registry',
      ],
      { cwd: dir, env: { ...process.env, ...env() }, stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on('exit', (_code, signal) => done(signal)),
    );
    const deadline = Date.now() + 20_000;
    while (fake.requests.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const before = RunStore.open(store);
    const stored = before.samples('killed');
    before.close();
    const total = REQUESTS.length * SAMPLES;
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(total);
    expect(stored.every((s) => s.status === 'ok')).toBe(true);
    const missing = REQUESTS.map(
      (request) => SAMPLES - stored.filter((s) => s.prompt.user === request).length,
    );

    fake.requests.length = 0;
    let stdout = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env: env(),
      cwd: dir,
      readStdin: async () => '',
    };
    expect(
      await main(['simulate', '--resume', 'killed', '--store', store, '--no-database', '--no-registry'], io),
    ).toBe(0);
    expect(fake.requests).toHaveLength(total - stored.length);
    expect(REQUESTS.map((request) => fake.requests.filter((r) => r.prompt === request).length)).toEqual(
      missing,
    );
    expect(stdout).toContain(
      `run killed: ${total} samples planned; ${total - stored.length} answered (and ${stored.length} before), 0 failed, ${total} analysed`,
    );

    const after = RunStore.open(store);
    const samples = after.samples('killed');
    after.close();
    expect(samples).toHaveLength(total);
    expect(new Set(samples.map((s) => `${s.scenario}/${s.sample}`)).size).toBe(total);
    expect(samples.every((s) => s.status === 'ok' && s.analysis !== undefined)).toBe(true);
  });
});

/** The words of a printed command, as a POSIX shell reads plain and single-quoted words. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/(?:[^\s']+|'[^']*')+/g))
    words.push(match[0].replace(/'([^']*)'/g, '$1'));
  return words;
}

describe('a run with providers from --providers FILE', () => {
  const KEY = 'sk-local-never-stored';
  let local: FakeProvider;
  let home: string;
  const run = async (args: string[], cwd: string, extraEnv: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { VOUCH_CACHE_DIR: join(home, 'cache'), HOME: home, LOCAL_LLM_KEY: KEY, ...extraEnv },
      cwd,
      readStdin: async () => '',
    };
    return { exit: await main(args, io), stdout, stderr };
  };
  /** The command the run printed for its failed samples, without the leading `vouch`. */
  const resumeCommand = (stdout: string) => {
    const line = stdout.split('\n').find((l) => l.startsWith('ask the failed ones again: '));
    expect(line).toBeDefined();
    const words = shellWords(line!.slice('ask the failed ones again: '.length));
    expect(words[0]).toBe('vouch');
    return words.slice(1);
  };

  beforeAll(async () => {
    local = await startFakeProvider();
    home = tempDir();
    writeFileSync(
      join(home, 'scenarios.yaml'),
      REQUESTS.map((r, i) => `- {id: s${i}, request: "${r}"}`).join('\n'),
    );
  });
  afterAll(() => local.close());

  it('stores the endpoint and the name of the key variable, never the key, and the printed resume works', async () => {
    writeFileSync(
      join(home, 'providers.yaml'),
      `providers:\n  local: { type: openai, baseUrl: "${local.url}/v1", apiKeyEnv: LOCAL_LLM_KEY, retries: 0, maxConsecutiveFailures: 50, concurrency: 2 }\n`,
    );
    // The provider fails every answer to one request: the run ends with failed samples.
    local.behave = (request) =>
      request.prompt === REQUESTS[1] ? { kind: 'status', status: 500 } : { kind: 'answer' };
    const first = await run(
      [
        'simulate',
        'scenarios.yaml',
        '-m',
        'local:m',
        '-n',
        '2',
        '--providers',
        'providers.yaml',
        '--run-id',
        'from-file',
        '--store',
        'runs.sqlite',
        '--no-database',
        '--no-registry',
      ],
      home,
    );
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('run from-file: 6 samples planned; 4 answered, 2 failed, 4 analysed');
    const args = resumeCommand(first.stdout);
    expect(args).toEqual([
      'simulate',
      '--resume',
      'from-file',
      '--store',
      join(home, 'runs.sqlite'),
      '--no-database',
      '--no-registry',
    ]);

    const store = RunStore.open(join(home, 'runs.sqlite'));
    expect(store.requireRun('from-file').plan.providers).toEqual({
      local: {
        type: 'openai',
        baseUrl: `${local.url}/v1`,
        apiKeyEnv: 'LOCAL_LLM_KEY',
        limits: { retries: 0, maxConsecutiveFailures: 50, concurrency: 2 },
      },
    });
    store.close();
    for (const file of ['runs.sqlite', 'runs.sqlite-wal'])
      if (existsSync(join(home, file))) expect(readFileSync(join(home, file)).includes(KEY)).toBe(false);

    // Resumed from elsewhere, without the providers file: the stored definition reaches the same endpoint
    // with the key from the variable it names.
    local.behave = () => ({ kind: 'answer' });
    local.requests.length = 0;
    const elsewhere = tempDir();
    // The key comes from the variable the run names, never from a guess.
    expect(await run(args, elsewhere, { LOCAL_LLM_KEY: '' })).toMatchObject({
      exit: 2,
      stderr: 'vouch: provider local: the environment variable LOCAL_LLM_KEY is not set\n',
    });
    expect(local.requests).toHaveLength(0);
    const resumed = await run(args, elsewhere);
    expect(resumed.stderr).toBe('');
    expect(resumed.exit).toBe(0);
    expect(resumed.stdout).toContain(
      'run from-file: 6 samples planned; 2 answered (and 4 before), 0 failed, 2 analysed',
    );
    expect(local.requests.map((r) => [r.prompt, r.headers.authorization])).toEqual([
      [REQUESTS[1], `Bearer ${KEY}`],
      [REQUESTS[1], `Bearer ${KEY}`],
    ]);
  });

  it('a key written in the providers file is not stored: the printed command names the file again', async () => {
    writeFileSync(
      join(home, 'inline.yaml'),
      `providers:\n  inline: { type: openai, baseUrl: "${local.url}/v1", apiKey: sk-inline-secret, retries: 0 }\n`,
    );
    local.behave = (request) =>
      request.prompt === REQUESTS[0] ? { kind: 'status', status: 503 } : { kind: 'answer' };
    const first = await run(
      [
        'simulate',
        'scenarios.yaml',
        '-m',
        'inline:m',
        '-n',
        '1',
        '--providers',
        'inline.yaml',
        '--run-id',
        'inline',
        '--store',
        'runs.sqlite',
        '--no-database',
        '--no-registry',
      ],
      home,
    );
    expect(first.stdout).toContain('1 failed');
    const args = resumeCommand(first.stdout);
    expect(args).toContain('--providers');
    expect(args[args.indexOf('--providers') + 1]).toBe(join(home, 'inline.yaml'));
    expect(readFileSync(join(home, 'runs.sqlite')).includes('sk-inline-secret')).toBe(false);

    local.behave = () => ({ kind: 'answer' });
    const withoutFile = args.filter(
      (_, i) => i !== args.indexOf('--providers') && i !== args.indexOf('--providers') + 1,
    );
    expect(await run(withoutFile, home)).toMatchObject({
      exit: 2,
      stderr: expect.stringContaining(
        'provider inline: the run took its key from the providers file (apiKey): give --providers FILE again',
      ),
    });
    const resumed = await run(args, tempDir());
    expect(resumed.exit).toBe(0);
    expect(resumed.stdout).toContain('run inline: 3 samples planned; 1 answered (and 2 before), 0 failed');
  });
});

describe('a damaged run store', () => {
  it('report says the store is corrupt and what to do, exit 2, never an internal error', async () => {
    const path = join(tempDir(), 'runs.sqlite');
    const store = RunStore.open(path);
    store.createRun(
      'r1',
      { scenarios: [], models: [], temperatures: [null], samples: 1, providerTypes: {} },
      'test',
    );
    store.close();
    damagePages(path);
    let stderr = '';
    const io: CliIO = {
      stdout: { write: () => true, isTTY: false },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
      env: { HOME: dir },
      cwd: dir,
      readStdin: async () => '',
    };
    const exit = await main(['report', 'r1', '--store', path], io);
    expect(exit, stderr).toBe(2);
    expect(stderr).toMatch(
      new RegExp(
        `^vouch: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the database file is corrupt \\(.*\\); move it aside`,
      ),
    );
  });
});
