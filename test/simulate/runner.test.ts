import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/core/log.js';
import { Cassette, CassetteRecorder } from '../../src/simulate/cassette.js';
import { computeRunMetrics } from '../../src/simulate/metrics.js';
import { SIMULATION_FORMATS, SIMULATION_REPORTERS } from '../../src/simulate/report/index.js';
import { buildReport, sampleViews } from '../../src/simulate/report/model.js';
import { runSimulation } from '../../src/simulate/runner.js';
import { RunStore, type SampleRecord } from '../../src/simulate/store.js';
import { type FakeProvider, INPUT_TOKENS, OUTPUT_TOKENS, startFakeProvider } from './fake-provider.js';
import { lanes, plan, setupFor, tempDir } from './helpers.js';

let fake: FakeProvider;
let store: RunStore;
let dir: string;

beforeEach(async () => {
  fake = await startFakeProvider();
  fake.answer = (request) => `For "${request.prompt}" run \`npm install left-pad@1.3.0\`.`;
  dir = tempDir();
  store = RunStore.open(join(dir, 'runs.sqlite'));
});
afterEach(async () => {
  store.close();
  await fake.close();
});

function byStatus(samples: SampleRecord[]) {
  return {
    ok: samples.filter((s) => s.status === 'ok').length,
    failed: samples.filter((s) => s.status === 'failed').length,
  };
}

describe('runSimulation', () => {
  for (const type of ['openai', 'anthropic', 'ollama'] as const)
    for (const stream of [false, true])
      it(`asks ${type} for every sample (${stream ? 'streamed' : 'whole'}) and stores text, tokens, timing and cost`, async () => {
        const run = store.createRun(
          'r1',
          plan([`${type}:m1`], { prices: { [`${type}:m1`]: { input: 1, output: 2 } } }),
          'test',
        );
        const summary = await runSimulation({
          store,
          run,
          providerFor: lanes(setupFor(type, fake, { stream })),
          analysis: false,
        });
        expect(summary).toMatchObject({ planned: 6, asked: 6, answered: 6, failed: 0 });
        expect(fake.requests).toHaveLength(6);
        expect(
          fake.requests.every((r) => r.body.stream === (type === 'ollama' ? stream : stream || undefined)),
        ).toBe(true);
        const samples = store.samples('r1');
        expect(samples).toHaveLength(6);
        const first = samples.find((s) => s.scenario === 'jwt' && s.sample === 1)!;
        expect(first.text).toBe('For "Verify a JWT in Express." run `npm install left-pad@1.3.0`.');
        expect(first.inputTokens).toBe(INPUT_TOKENS);
        expect(first.outputTokens).toBe(OUTPUT_TOKENS);
        expect(first.cost).toBeCloseTo((INPUT_TOKENS * 1 + OUTPUT_TOKENS * 2) / 1e6, 12);
        expect(first.latencyMs).toBeGreaterThan(0);
        expect(first.attempts).toBe(1);
        // The raw body is kept as it came: the whole event stream (or JSON lines), or the one JSON document.
        expect(first.raw).toContain(
          stream ? (type === 'ollama' ? '"done":false' : 'data: ') : 'npm install left-pad@1.3.0',
        );
        expect(JSON.parse(first.request!).model).toBe('m1');
      });

  it('retries a 429 after the Retry-After it names, pausing the provider', async () => {
    fake.behave = (_request, index) =>
      index === 0 ? { kind: 'status', status: 429, retryAfter: '1' } : { kind: 'answer' };
    const run = store.createRun(
      'r1',
      plan(['openai:m1'], { samples: 1, scenarios: plan([]).scenarios.slice(0, 1) }),
      'test',
    );
    const started = Date.now();
    const summary = await runSimulation({
      store,
      run,
      providerFor: lanes(setupFor('openai', fake)),
      analysis: false,
    });
    expect(summary).toMatchObject({ answered: 1, failed: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(store.samples('r1')[0]!.attempts).toBe(2);
  });

  it('gives up on a Retry-After longer than the limit, with the reason', async () => {
    fake.behave = () => ({ kind: 'status', status: 429, retryAfter: '3600' });
    const run = store.createRun('r1', plan(['openai:m1'], { samples: 1 }), 'test');
    const summary = await runSimulation({
      store,
      run,
      providerFor: lanes(setupFor('openai', fake, { maxConsecutiveFailures: 100 })),
      analysis: false,
    });
    expect(summary).toMatchObject({ answered: 0, failed: 3 });
    expect(summary.failures).toEqual([
      { reason: 'rate limited (HTTP 429): status 429: the provider asks to wait 3600 s', count: 3 },
    ]);
    expect(fake.requests).toHaveLength(3);
  });

  it('retries 500s, malformed bodies, cut streams and resets, and counts what still fails', async () => {
    // Per scenario: xml fails twice then answers; jwt always 500; yaml malformed, cut, reset, then answers.
    const seen = new Map<string, number>();
    fake.behave = (request) => {
      const n = seen.get(request.prompt) ?? 0;
      seen.set(request.prompt, n + 1);
      if (request.prompt.startsWith('Parse XML'))
        return n < 2 ? { kind: 'status', status: 503 } : { kind: 'answer' };
      if (request.prompt.startsWith('Verify a JWT')) return { kind: 'status', status: 500 };
      return (
        [{ kind: 'malformed' } as const, { kind: 'truncated' } as const, { kind: 'reset' } as const][n] ?? {
          kind: 'answer',
        }
      );
    };
    const run = store.createRun('r1', plan(['openai:m1'], { samples: 1 }), 'test');
    const summary = await runSimulation({
      store,
      run,
      providerFor: lanes(setupFor('openai', fake, { retries: 3, concurrency: 1, stream: true })),
      analysis: false,
    });
    expect(summary).toMatchObject({ answered: 2, failed: 1 });
    expect(summary.failures).toEqual([{ reason: 'HTTP 500: status 500 (after 4 attempts)', count: 1 }]);
    const samples = store.samples('r1');
    expect(samples.find((s) => s.scenario === 'xml')).toMatchObject({ status: 'ok', attempts: 3 });
    expect(samples.find((s) => s.scenario === 'yaml')).toMatchObject({ status: 'ok', attempts: 4 });
    expect(samples.find((s) => s.scenario === 'jwt')).toMatchObject({
      status: 'failed',
      attempts: 4,
      httpStatus: 500,
    });
  });

  it('fails an attempt that gets no answer within the timeout', async () => {
    fake.behave = () => ({ kind: 'hang' });
    const run = store.createRun(
      'r1',
      plan(['anthropic:m1'], { samples: 1, scenarios: plan([]).scenarios.slice(0, 1) }),
      'test',
    );
    const summary = await runSimulation({
      store,
      run,
      providerFor: lanes(setupFor('anthropic', fake, { timeoutMs: 150, retries: 1 })),
      analysis: false,
    });
    expect(summary.failures).toEqual([
      { reason: `timed out (${fake.url}/v1/messages) (after 2 attempts)`, count: 1 },
    ]);
  });

  it('fails an attempt whose stream only ever sends keep-alive comments, at the total deadline', async () => {
    fake.behave = () => ({ kind: 'keep-alive' });
    const run = store.createRun(
      'r1',
      plan(['openai:m1'], { samples: 1, scenarios: plan([]).scenarios.slice(0, 1) }),
      'test',
    );
    // The idle timeout never fires (a comment comes every 20 ms): only the total deadline ends it.
    const summary = await runSimulation({
      store,
      run,
      providerFor: lanes(
        setupFor('openai', fake, { timeoutMs: 5000, deadlineMs: 300, retries: 1, stream: true }),
      ),
      analysis: false,
    });
    expect(summary.failures).toEqual([
      {
        reason: `timed out: no complete answer within 300 ms (${fake.url}/v1/chat/completions) (after 2 attempts)`,
        count: 1,
      },
    ]);
  });

  it('does not retry a 400 and reports the provider’s reason', async () => {
    fake.behave = () => ({
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: { message: 'model m1 not found' } }),
    });
    const run = store.createRun(
      'r1',
      plan(['openai:m1'], { samples: 1, scenarios: plan([]).scenarios.slice(0, 1) }),
      'test',
    );
    const summary = await runSimulation({
      store,
      run,
      providerFor: lanes(setupFor('openai', fake)),
      analysis: false,
    });
    expect(summary.failures).toEqual([{ reason: 'HTTP 400: model m1 not found', count: 1 }]);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops asking a provider that refuses the key, and never shows the key', async () => {
    fake.behave = () => ({
      kind: 'status',
      status: 401,
      body: JSON.stringify({ error: { message: 'Incorrect API key provided: sk-test-openai-key.' } }),
    });
    const run = store.createRun('r1', plan(['openai:m1'], { samples: 2 }), 'test');
    const summary = await runSimulation({
      store,
      run,
      providerFor: lanes(setupFor('openai', fake, { concurrency: 1 })),
      analysis: false,
    });
    expect(summary).toMatchObject({ answered: 0, failed: 6 });
    expect(fake.requests).toHaveLength(1);
    const text = JSON.stringify(store.samples('r1'));
    expect(text).not.toContain('sk-test-openai-key');
    expect(summary.failures[0]).toEqual({
      reason: 'not asked: openai refused: HTTP 401: Incorrect API key provided: ***.',
      count: 5,
    });
  });

  it('completes when a provider dies mid-run: its remaining samples fail, the other provider goes on', async () => {
    const other = await startFakeProvider();
    try {
      fake.behave = (_request, index) => {
        if (index === 3) void fake.die();
        return index >= 3 ? { kind: 'reset' } : { kind: 'answer' };
      };
      const run = store.createRun('r1', plan(['openai:m1', 'ollama:m2'], { samples: 4 }), 'test');
      const summary = await runSimulation({
        store,
        run,
        providerFor: lanes(
          setupFor('openai', fake, { concurrency: 1, maxConsecutiveFailures: 2 }),
          setupFor('ollama', other),
        ),
        analysis: false,
      });
      expect(summary).toMatchObject({ planned: 24, asked: 24, answered: 15, failed: 9 });
      const openai = store.samples('r1').filter((s) => s.model === 'openai:m1');
      expect(byStatus(openai)).toEqual({ ok: 3, failed: 9 });
      // Two failed after their retries; the rest were not asked.
      expect(
        openai.filter((s) => s.error?.startsWith('not asked: openai failed 2 samples in a row')),
      ).toHaveLength(7);
      expect(other.requests).toHaveLength(12);
    } finally {
      await other.close();
    }
  });

  it('reports progress: samples done, failed, rate and ETA', async () => {
    fake.behave = (request) =>
      request.prompt.startsWith('Load YAML') ? { kind: 'status', status: 400 } : { kind: 'answer' };
    const events: ProgressEvent[] = [];
    const run = store.createRun('r1', plan(['openai:m1'], { samples: 2 }), 'test');
    await runSimulation({
      store,
      run,
      providerFor: lanes(setupFor('openai', fake, { concurrency: 1 })),
      analysis: { database: false, registry: false },
      logger: { progress: (event) => events.push(event), warn: () => {}, debug: () => {} },
    });
    const simulate = events.filter((e) => e.task === 'simulate');
    expect(simulate.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(simulate.every((e) => e.total === 6)).toBe(true);
    expect(simulate[2]!.detail).toMatch(/^1 failed, \d+\.\d\/s, ETA \d+s$/);
    expect(simulate.at(-1)!.detail).toMatch(/^2 failed, \d+\.\d\/s$/);
    expect(events.filter((e) => e.task === 'analyse').at(-1)).toEqual({ task: 'analyse', done: 4, total: 4 });
  });

  it('spaces requests to the requests-per-minute limit', async () => {
    const run = store.createRun('r1', plan(['openai:m1'], { samples: 2 }), 'test');
    const started = Date.now();
    await runSimulation({
      store,
      run,
      providerFor: lanes(setupFor('openai', fake, { rpm: 1200, concurrency: 6 })),
      analysis: false,
    });
    // 6 requests 50 ms apart: the last starts 250 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('a resumed run asks only for the samples that are missing or failed', async () => {
    const run = store.createRun('r1', plan(['openai:m1'], { samples: 3 }), 'test');
    fake.behave = (request) =>
      request.prompt.startsWith('Load YAML') ? { kind: 'status', status: 400 } : { kind: 'answer' };
    await runSimulation({ store, run, providerFor: lanes(setupFor('openai', fake)), analysis: false });
    expect(byStatus(store.samples('r1'))).toEqual({ ok: 6, failed: 3 });
    fake.requests.length = 0;
    fake.behave = () => ({ kind: 'answer' });
    const summary = await runSimulation({
      store,
      run: store.requireRun('r1'),
      providerFor: lanes(setupFor('openai', fake)),
      analysis: false,
    });
    expect(summary).toMatchObject({ alreadyAnswered: 6, asked: 3, answered: 3, failed: 0 });
    expect(fake.requests.map((r) => r.prompt)).toEqual(Array(3).fill('Load YAML in Python.'));
  });

  it('replaying a cassette offline reproduces the report exactly, failures included', async () => {
    fake.behave = (request, index) =>
      request.prompt.startsWith('Verify') && index % 2 === 0
        ? { kind: 'status', status: 500 }
        : { kind: 'answer' };
    fake.answer = (request) =>
      request.prompt.startsWith('Load YAML')
        ? '```bash\npip install pyyaml==5.3\n```\n```python\nimport yaml\nimport requests\n```'
        : '```bash\nnpm install express@4.17.1 xml2js\n```\n```js\nconst express = require("express");\nconst jwt = require("jsonwebtoken");\n```';
    const cassettePath = join(dir, 'run.cassette.jsonl');
    const recorded = store.createRun(
      'recorded',
      plan(['openai:m1', 'anthropic:m2'], { samples: 3, temperatures: [0, 1] }),
      'test',
    );
    await runSimulation({
      store,
      run: recorded,
      providerFor: lanes(
        setupFor('openai', fake, { retries: 0 }),
        setupFor('anthropic', fake, { retries: 0 }),
      ),
      record: new CassetteRecorder(cassettePath, recorded.plan, false),
      analysis: { database: false, registry: false },
    });
    await fake.close();
    expect(readFileSync(cassettePath, 'utf8')).not.toContain('test-anthropic-key');

    const cassette = Cassette.load(cassettePath);
    const replayed = store.createRun('replayed', cassette.plan, 'test');
    const summary = await runSimulation({
      store,
      run: replayed,
      providerFor: lanes(),
      replay: cassette,
      analysis: { database: false, registry: false },
    });
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.answered).toBeGreaterThan(0);
    const report = (id: string, format: (typeof SIMULATION_FORMATS)[number]) => {
      const stored = store.samples(id);
      const metrics = computeRunMetrics(store.requireRun(id).plan, stored);
      return SIMULATION_REPORTERS[format](
        buildReport([{ label: 'run', metrics, samples: sampleViews(metrics, stored) }]),
        { color: false },
      );
    };
    for (const format of SIMULATION_FORMATS)
      expect(report('replayed', format)).toBe(report('recorded', format));
    const metrics = computeRunMetrics(replayed.plan, store.samples('replayed'));
    expect(metrics.overall.risks.undeclared?.count).toBeGreaterThan(0);
    expect(metrics.overall.failed).toBe(summary.failed);
  });
});
