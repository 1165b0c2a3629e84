// Benchmark: `check_packages` of 10 npm packages through `vouch mcp`, warm (every registry answer from the
// cache), as an assistant calls it: the MCP SDK's client over stdio, one call after the other, timed from
// the request to the parsed result. Target: p99 < 50 ms.
//
// Peer, measured in the same run against the same registry, cache and database: the same ten packages
// checked through the command line, `vouch scan -` of `npm install <the ten>` (one process per check), which
// is what a hook or script would run without the server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, percentile, ratio, startBenchRegistry } from './lib.js';

const CALLS = Number(process.env.BENCH_MCP_CALLS ?? 300);
const CLI_SAMPLES = Number(process.env.BENCH_MCP_CLI_SAMPLES ?? 10);
const BIN = fileURLToPath(new URL('../bin/vouch.js', import.meta.url));
const OSV = fileURLToPath(new URL('../test/fixtures/vulndb/osv/npm', import.meta.url));

export async function run() {
  const names = Array.from({ length: 10 }, (_, i) => `bench-mcp-${i}`);
  const registry = await startBenchRegistry(names);
  const home = mkdtempSync(join(tmpdir(), 'vouch-bench-mcp-'));
  const { importOsv } = await import('../dist/vulndb/import.js');
  const database = join(home, 'osv.sqlite');
  await importOsv([OSV], database);
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    VOUCH_CACHE_DIR: home,
    npm_config_userconfig: join(home, 'npmrc'),
  };
  const flags = ['--npm-registry', registry.url, '--database', database];
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const client = new Client({ name: 'bench', version: '1.0.0' });
  try {
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...flags], env, cwd: home }),
    );
    const packages = names.map((name) => ({ ecosystem: 'npm', name }));
    const call = async () => {
      const started = performance.now();
      const result = await client.callTool({ name: 'check_packages', arguments: { packages } });
      const ms = performance.now() - started;
      if (result.isError || result.structuredContent.packages.length !== 10)
        throw new Error('check_packages failed');
      return { ms, verdicts: result.structuredContent.packages.map((p) => p.verdict) };
    };
    const cold = await call();
    for (let i = 0; i < 20; i++) await call(); // warm-up: JIT, statement caches
    const warm = [];
    for (let i = 0; i < CALLS; i++) warm.push((await call()).ms);

    const cli = [];
    const command = `npm install ${names.join(' ')}`;
    for (let i = 0; i < CLI_SAMPLES; i++) {
      const started = performance.now();
      const child = spawnSync(
        process.execPath,
        [BIN, 'scan', '-', '--stdin-filename', 'install.sh', '--format', 'json', ...flags],
        {
          input: command,
          env,
          cwd: home,
          encoding: 'utf8',
        },
      );
      cli.push(performance.now() - started);
      if (child.status !== 0 && child.status !== 1) throw new Error(`vouch scan failed: ${child.stderr}`);
    }
    const p50 = percentile(warm, 50);
    const p99 = percentile(warm, 99);
    const cliP50 = percentile(cli, 50);
    console.log(
      `  cold call     ${fmt(cold.ms, 1)} ms (registry asked; verdicts: ${[...new Set(cold.verdicts)].join(', ')})`,
    );
    console.log(
      `  warm calls    p50 ${fmt(p50, 1)} ms  p99 ${fmt(p99, 1)} ms over ${CALLS} calls of 10 packages (target p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  peer: vouch scan process per check  p50 ${fmt(cliP50, 0)} ms over ${CLI_SAMPLES} runs — the server is ${ratio(cliP50, p50)} faster at p50`,
    );
  } finally {
    await client.close();
    await registry.close();
    rmSync(home, { recursive: true, force: true });
  }
}
