/**
 * A run killed mid-way (SIGKILL, in a child process) keeps every sample that had arrived; resumed, it asks
 * the provider for exactly the samples that are missing.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { RunStore } from '../../src/simulate/store.js';
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
