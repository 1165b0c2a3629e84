// Benchmark: the start-up of `vouch hook claude-code`, which an agent spawns for every tool call it
// matches, as a fresh Node process with the event on standard input: a command that installs nothing
// (`git status`), an install (`npm install lodash`, answered offline: no registry), and a Write of a file
// that is no manifest. Peer, measured in the same run and interleaved: Node itself starting and exiting
// (`node -e 0`), the floor no hook written for Node can go under. Run it with another Node to measure that
// Node (`/path/to/node bench/run.js hook`): on Node >= 22.1 it also measures the event without the compile cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, percentile, ratio } from './lib.js';

const SAMPLES = Number(process.env.BENCH_HOOK_SAMPLES ?? 15);
const BIN = fileURLToPath(new URL('../bin/vouch.js', import.meta.url));

export async function run() {
  const home = mkdtempSync(join(tmpdir(), 'vouch-bench-hook-'));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    VOUCH_CACHE_DIR: home,
    npm_config_userconfig: join(home, 'npmrc'),
  };
  const event = (tool, input) =>
    JSON.stringify({ hook_event_name: 'PreToolUse', cwd: home, tool_name: tool, tool_input: input });
  const cases = {
    'node -e 0 (peer)': { args: ['-e', '0'] },
    'Bash git status': {
      args: [BIN, 'hook', 'claude-code', '--offline'],
      input: event('Bash', { command: 'git status' }),
    },
    'Bash npm install lodash': {
      args: [BIN, 'hook', 'claude-code', '--offline'],
      input: event('Bash', { command: 'npm install lodash' }),
    },
    'Write app.js': {
      args: [BIN, 'hook', 'claude-code', '--offline'],
      input: event('Write', { file_path: join(home, 'app.js'), content: 'export {};' }),
    },
    // Node >= 22.1 keeps compiled code on disk (bin/vouch.js turns the cache on): the same event without it.
    ...(module.enableCompileCache
      ? {
          'git status, no compile cache': {
            args: [BIN, 'hook', 'claude-code', '--offline'],
            input: event('Bash', { command: 'git status' }),
            extraEnv: { NODE_DISABLE_COMPILE_CACHE: '1' },
          },
        }
      : {}),
  };
  const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  try {
    for (let round = -1; round < SAMPLES; round++) {
      for (const [name, { args, input, extraEnv }] of Object.entries(cases)) {
        const started = performance.now();
        const child = spawnSync(process.execPath, args, {
          env: { ...env, ...extraEnv },
          cwd: home,
          input: input ?? '',
          encoding: 'utf8',
        });
        const ms = performance.now() - started;
        if (child.status !== 0) throw new Error(`${name}: exit ${child.status}: ${child.stderr}`);
        if (round >= 0) times[name].push(ms);
      }
    }
    const node = percentile(times['node -e 0 (peer)'], 50);
    for (const [name, values] of Object.entries(times)) {
      const p50 = percentile(values, 50);
      console.log(
        `  ${name.padEnd(30)} p50 ${fmt(p50, 0)} ms  p90 ${fmt(percentile(values, 90), 0)} ms${name.includes('peer') ? '' : `  (${ratio(p50, node)} Node's own start-up)`}`,
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
