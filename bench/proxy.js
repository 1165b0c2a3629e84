// Benchmark: the overhead of `vouch proxy` on a 3 KB non-streaming chat-completion answer that names npm
// packages, against a fake OpenAI-compatible upstream on 127.0.0.1 answering at once, warm (every registry
// answer from the cache). Target: overhead p99 < 20 ms.
//
// The upstream runs in a process of its own, as a real one would: the direct request then pays the same
// wake-ups of another process as the proxied one (with the upstream inside the benchmark's process, the direct
// request never left it and the overhead counted two wake-ups too many). Four requests per round, in an order
// rotated every round (the machine's load drifts): to the upstream directly (the peer); through a bare Node
// proxy (node:http and undici, no check: the floor of any proxy process on this machine); through `vouch proxy`
// on a route it passes on unchecked (`/completions`); through `vouch proxy` on the chat completions route it
// checks. The overhead of a round is its checked time minus its direct time. A p99 is decided by the slowest
// 1% of rounds, so the default is 1,000 rounds (BENCH_PROXY_CALLS) after 50 warm-up rounds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, percentile, ratio, startBenchRegistry } from './lib.js';

const CALLS = Number(process.env.BENCH_PROXY_CALLS ?? 1000);
const WARM_UP = 50;
const BIN = fileURLToPath(new URL('../bin/vouch.js', import.meta.url));
const UPSTREAM = fileURLToPath(new URL('./proxy/upstream.js', import.meta.url));
const BARE = fileURLToPath(new URL('./proxy/bare.js', import.meta.url));
const OSV = fileURLToPath(new URL('../test/fixtures/vulndb/osv/npm', import.meta.url));

/** About 3 KB of answer: prose, an install line with three packages, and code importing them. */
function answerText(names) {
  const prose =
    'This approach keeps the request handling small and testable, and every dependency is a well-known package. ';
  const code = names.map((name) => `import ${name.replace(/-/g, '_')} from '${name}';`).join('\n');
  let text = `Here is how to do it.\n\n\`\`\`sh\nnpm install ${names.join(' ')}\n\`\`\`\n\n\`\`\`js\n${code}\n\`\`\`\n\n`;
  while (text.length < 3000) text += prose;
  return text;
}

/** A server process of the benchmark: its URL once it prints `listening on <url>`, and stop(). */
function startServer(args, env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((done) => child.once('exit', done));
  const url = new Promise((done, fail) => {
    let output = '';
    const read = (chunk) => {
      output += chunk;
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) done(found[1]);
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    exited.then(() => fail(new Error(`${args.join(' ')} exited: ${output}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function run() {
  const names = ['bench-mcp-0', 'bench-mcp-1', 'bench-mcp-2'];
  const registry = await startBenchRegistry(names);
  const home = mkdtempSync(join(tmpdir(), 'vouch-bench-proxy-'));
  const { importOsv } = await import('../dist/vulndb/import.js');
  const database = join(home, 'osv.sqlite');
  await importOsv([OSV], database);
  const body = JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'bench',
    choices: [
      { index: 0, message: { role: 'assistant', content: answerText(names) }, finish_reason: 'stop' },
    ],
  });
  const servers = [];
  const start = (args, env) => {
    const server = startServer(args, env);
    servers.push(server);
    return server.url;
  };
  try {
    const upstreamUrl = `${await start([UPSTREAM], { PATH: process.env.PATH, BENCH_UPSTREAM_BODY: body })}/v1`;
    const bareUrl = await start([BARE], { PATH: process.env.PATH, BENCH_UPSTREAM: upstreamUrl });
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      VOUCH_CACHE_DIR: home,
      npm_config_userconfig: join(home, 'npmrc'),
    };
    const proxyUrl = await start(
      [
        BIN,
        'proxy',
        '--upstream',
        upstreamUrl,
        '--port',
        '0',
        '--npm-registry',
        registry.url,
        '--database',
        database,
      ],
      env,
    );
    const request = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'how?' }] });
    const call = async (url) => {
      const started = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
        body: request,
      });
      const text = await response.text();
      // Every route must have passed the answer on as it came: the answer is clean.
      if (response.status !== 200 || text !== body)
        throw new Error(`bad answer from ${url}: ${response.status}`);
      return performance.now() - started;
    };
    const routes = {
      direct: `${upstreamUrl}/chat/completions`,
      bare: `${bareUrl}/chat/completions`,
      unchecked: `${proxyUrl}/completions`,
      checked: `${proxyUrl}/chat/completions`,
    };
    const order = Object.keys(routes);
    const cold = await call(routes.checked);
    const times = Object.fromEntries(order.map((name) => [name, []]));
    const load = [];
    for (let round = -WARM_UP; round < CALLS; round++) {
      const figures = {};
      for (let i = 0; i < order.length; i++) {
        const name = order[(round + WARM_UP + i) % order.length];
        figures[name] = await call(routes[name]);
      }
      if (round < 0) continue;
      for (const name of order) times[name].push(figures[name]);
      if (round % 100 === 0) load.push(loadavg()[0]);
    }
    const minus = (a, b) => a.map((value, i) => value - b[i]);
    const overhead = minus(times.checked, times.direct);
    const p99 = percentile(overhead, 99);
    const line = (label, values) =>
      `  ${label.padEnd(36)}p50 ${fmt(percentile(values, 50), 2).padStart(6)} ms  p90 ${fmt(percentile(values, 90), 2).padStart(6)} ms  p99 ${fmt(percentile(values, 99), 2).padStart(6)} ms`;
    console.log(
      `  answer ${Buffer.byteLength(body)} bytes, ${names.length} packages; cold first call ${fmt(cold, 1)} ms; ${CALLS} rounds after ${WARM_UP} warm-up rounds; load average ${fmt(Math.min(...load), 1)}–${fmt(Math.max(...load), 1)} on ${availableParallelism()} CPUs`,
    );
    console.log(line('direct to the upstream (peer)', times.direct));
    console.log(line('via a bare Node proxy', times.bare));
    console.log(line('via vouch proxy, unchecked route', times.unchecked));
    console.log(line('via vouch proxy, checked', times.checked));
    console.log(line('floor: bare proxy − direct', minus(times.bare, times.direct)));
    console.log(line('unchecked route − direct', minus(times.unchecked, times.direct)));
    console.log(line('the check: checked − unchecked', minus(times.checked, times.unchecked)));
    console.log(
      `${line('overhead: checked − direct', overhead)} (target p99 < 20 ms: ${p99 < 20 ? 'met' : 'NOT met'})`,
    );
    const at = (values, p) => percentile(values, p);
    console.log(
      `  via vouch proxy / direct: ${ratio(at(times.checked, 50), at(times.direct, 50))} at p50, ${ratio(at(times.checked, 99), at(times.direct, 99))} at p99; via vouch proxy / via a bare proxy: ${ratio(at(times.checked, 50), at(times.bare, 50))} at p50, ${ratio(at(times.checked, 99), at(times.bare, 99))} at p99`,
    );
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await registry.close();
    rmSync(home, { recursive: true, force: true });
  }
}
