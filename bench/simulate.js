// Benchmark: the simulation harness against a local fake provider that answers at once.
//
// 1. Harness overhead: 10,000 samples (100 scenarios × 100 samples, one OpenAI-compatible model, 16 requests
//    in flight, whole answers) through `runSimulation`: scheduling, request building, answer parsing and
//    storing every sample in SQLite as it arrives. The peer is the floor any harness pays: a bare loop of
//    the same 10,000 HTTP requests (same bodies, same concurrency, same connection pool size) that reads
//    and JSON.parses each answer and keeps nothing. Overhead per sample = (harness − floor) / samples
//    (target < 1 ms). Each is run BENCH_RUNS times (default 3), interleaved; medians are compared.
// 2. Analysis: the same 10,000 answers scanned by the library (as answer documents, no vulnerability
//    database, no registry: the offline cost of extraction and the phantom checks), answers/s.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { DEFAULT_LIMITS } from '../dist/simulate/config.js';
import { createProvider } from '../dist/simulate/providers/index.js';
import { runSimulation } from '../dist/simulate/runner.js';
import { RunStore } from '../dist/simulate/store.js';
import { fmt, ratio } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench/.work/simulate');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCENARIOS = 100;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const CONCURRENCY = 16;

const JS_ANSWER = `Here is a small Express server that verifies JWTs.

\`\`\`bash
npm install express@4.17.1 jsonwebtoken@8.5.1 body-parser
\`\`\`

\`\`\`js
const express = require('express');
const bodyParser = require('body-parser');
const jwt = require('jsonwebtoken');
const cookieParser = require('cookie-parser');

const app = express();
app.use(bodyParser.json());
app.use(cookieParser());

app.post('/login', (req, res) => {
  const token = jwt.sign({ sub: req.body.user }, process.env.SECRET, { expiresIn: '1h' });
  res.json({ token });
});

app.get('/me', (req, res) => {
  try {
    const claims = jwt.verify(req.headers.authorization.slice(7), process.env.SECRET);
    res.json(claims);
  } catch {
    res.status(401).end();
  }
});

app.listen(3000);
\`\`\`

Keep the secret out of the code.
`;

const PY_ANSWER = `Load the YAML file with PyYAML and validate it with pydantic:

\`\`\`bash
pip install pyyaml==5.3 pydantic requests
\`\`\`

\`\`\`python
import yaml
import requests
from pydantic import BaseModel
from dateutil import parser


class Config(BaseModel):
    name: str
    url: str


def load(path: str) -> Config:
    with open(path) as f:
        data = yaml.load(f)
    requests.get(data["url"], timeout=5)
    return Config(**data)
\`\`\`
`;

function completion(text) {
  return JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'bench',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 40, completion_tokens: 300, total_tokens: 340 },
  });
}

async function startProvider() {
  const bodies = [completion(JS_ANSWER), completion(PY_ANSWER)];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const prompt = JSON.parse(Buffer.concat(chunks).toString('utf8')).messages.at(-1).content;
      const body = bodies[prompt.endsWith('Python.') ? 1 : 0];
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

function plan() {
  const scenarios = Array.from({ length: SCENARIOS }, (_, i) => ({
    id: `s${i}`,
    request: `Request number ${i}: write the code in ${i % 2 === 0 ? 'JavaScript' : 'Python'}.`,
    tags: [],
    source: 'bench',
  }));
  return {
    scenarios,
    models: ['openai:bench'],
    temperatures: [null],
    samples: SAMPLES,
    providerTypes: { openai: 'openai' },
  };
}

/** The floor: the same requests, a bare undici loop, no scheduling, parsing into a Completion or storing. */
async function bareLoop(provider, runPlan) {
  const requests = [];
  for (let sample = 0; sample < runPlan.samples; sample++)
    for (const scenario of runPlan.scenarios)
      requests.push(provider.request('bench', { user: scenario.request }, { stream: false }));
  const dispatcher = new Agent({ connections: CONCURRENCY });
  let next = 0;
  let chars = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const r = requests[next++];
        const response = await request(r.url, {
          method: 'POST',
          headers: r.headers,
          body: r.body,
          dispatcher,
        });
        chars += JSON.parse(await response.body.text()).choices[0].message.content.length;
      }
    }),
  );
  const ms = performance.now() - started;
  await dispatcher.close();
  if (chars === 0) throw new Error('the fake provider answered nothing');
  return ms;
}

async function harness(provider, runPlan, index, analysis) {
  const path = join(WORK, `runs-${index}.sqlite`);
  rmSync(path, { force: true });
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  const store = RunStore.open(path);
  try {
    const run = store.createRun(`bench-${index}`, runPlan, 'bench');
    const summary = await runSimulation({
      store,
      run,
      providerFor: () => ({
        provider,
        limits: { ...DEFAULT_LIMITS, concurrency: CONCURRENCY, stream: false },
      }),
      analysis,
    });
    if (summary.answered !== runPlan.scenarios.length * runPlan.samples)
      throw new Error(`only ${summary.answered} answered: ${JSON.stringify(summary.failures)}`);
    return summary;
  } finally {
    store.close();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function run() {
  mkdirSync(WORK, { recursive: true });
  const { server, url } = await startProvider();
  try {
    const provider = createProvider('openai', { baseUrl: `${url}/v1`, apiKey: 'bench' }, {});
    const runPlan = plan();
    const samples = runPlan.scenarios.length * runPlan.samples;
    // Warm-up: connections, JIT, SQLite.
    await bareLoop(provider, { ...runPlan, samples: 2 });
    await harness(provider, { ...runPlan, samples: 2 }, 'warm', false);

    const floors = [];
    const harnesses = [];
    for (let i = 0; i < RUNS; i++) {
      floors.push(await bareLoop(provider, runPlan));
      harnesses.push((await harness(provider, runPlan, i, false)).collectMs);
    }
    const floor = median(floors);
    const ours = median(harnesses);
    const overhead = (ours - floor) / samples;
    console.log(
      `samples: ${samples.toLocaleString('en-US')} (${SCENARIOS} scenarios × ${SAMPLES}), ${CONCURRENCY} in flight, zero-latency fake provider`,
    );
    console.log(
      `bare HTTP loop (peer: the floor)   ${fmt(floor, 0)} ms  ${fmt(samples / (floor / 1000), 0)} requests/s`,
    );
    console.log(
      `vouch simulate harness             ${fmt(ours, 0)} ms  ${fmt(samples / (ours / 1000), 0)} samples/s  (${ratio(ours, floor)} the floor)`,
    );
    console.log(
      `harness overhead per sample        ${fmt(overhead, 3)} ms  (target < 1 ms: ${overhead < 1 ? 'met' : 'NOT met'})`,
    );

    const analysed = await harness(provider, runPlan, 'analysed', { database: false, registry: false });
    console.log(
      `analysis (offline: no database, no registry)  ${fmt(analysed.analyseMs, 0)} ms  ${fmt(samples / (analysed.analyseMs / 1000), 0)} answers/s`,
    );
  } finally {
    server.close();
    rmSync(WORK, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
