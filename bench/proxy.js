// Benchmark: the overhead of `vouch proxy` on a 3 KB non-streaming chat-completion answer that names npm
// packages, against a fake OpenAI-compatible upstream on 127.0.0.1 answering at once, warm (every registry
// answer from the cache). Target: overhead p99 < 20 ms.
//
// Peer, measured in the same run and interleaved call by call: the same request sent to the upstream directly.
// The overhead is the proxied time minus the direct time of the same round.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, percentile, startBenchRegistry } from './lib.js';

const CALLS = Number(process.env.BENCH_PROXY_CALLS ?? 300);
const BIN = fileURLToPath(new URL('../bin/vouch.js', import.meta.url));
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
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((done) => upstream.listen(0, '127.0.0.1', done));
  const upstreamUrl = `http://127.0.0.1:${upstream.address().port}/v1`;
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    VOUCH_CACHE_DIR: home,
    npm_config_userconfig: join(home, 'npmrc'),
  };
  const child = spawn(
    process.execPath,
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
    { env, cwd: home },
  );
  try {
    const proxyUrl = await new Promise((done, fail) => {
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk) => {
        stderr += chunk;
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (found) done(found[1]);
      });
      child.on('exit', () => fail(new Error(`vouch proxy exited: ${stderr}`)));
    });
    const request = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'how?' }] });
    const call = async (base) => {
      const started = performance.now();
      const response = await fetch(`${base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
        body: request,
      });
      const text = await response.text();
      if (response.status !== 200 || text.length < 3000) throw new Error(`bad answer: ${response.status}`);
      return performance.now() - started;
    };
    const cold = await call(proxyUrl);
    for (let i = 0; i < 20; i++) {
      await call(proxyUrl);
      await call(upstreamUrl);
    }
    const direct = [];
    const proxied = [];
    const overhead = [];
    for (let i = 0; i < CALLS; i++) {
      const d = await call(upstreamUrl);
      const p = await call(proxyUrl);
      direct.push(d);
      proxied.push(p);
      overhead.push(p - d);
    }
    const p99 = percentile(overhead, 99);
    console.log(
      `  answer        ${Buffer.byteLength(body)} bytes, ${names.length} packages; cold first call ${fmt(cold, 1)} ms`,
    );
    console.log(
      `  direct        p50 ${fmt(percentile(direct, 50), 2)} ms  p99 ${fmt(percentile(direct, 99), 2)} ms`,
    );
    console.log(
      `  via proxy     p50 ${fmt(percentile(proxied, 50), 2)} ms  p99 ${fmt(percentile(proxied, 99), 2)} ms`,
    );
    console.log(
      `  overhead      p50 ${fmt(percentile(overhead, 50), 2)} ms  p99 ${fmt(p99, 2)} ms over ${CALLS} calls (target p99 < 20 ms: ${p99 < 20 ? 'met' : 'NOT met'})`,
    );
  } finally {
    child.kill('SIGTERM');
    upstream.closeAllConnections();
    await new Promise((done) => upstream.close(done));
    await registry.close();
    rmSync(home, { recursive: true, force: true });
  }
}
