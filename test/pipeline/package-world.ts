/**
 * A small world for the surfaces where packages enter code (MCP tools, hooks, guard, proxy): a fake npm
 * registry on 127.0.0.1 with a few real-looking packages, the project's OSV fixture records in a database of
 * the test's own, and a cache folder of its own. A hallucinated name is one the registry answers 404 for.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importOsv } from '../../src/vulndb/import.js';
import { fixturePath } from '../helpers.js';
import { packument, pypiProject } from '../registry/documents.js';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.js';

/** A name no registry has: what an assistant invents. */
export const HALLUCINATED = 'express-session-validator-pro';

export interface PackageWorld {
  registry: FakeRegistry;
  /** The folder of the database and the registry cache (`VOUCH_CACHE_DIR`). */
  home: string;
  database: string;
  /** The flags that point `vouch` at this world: the fake registry, the database. */
  flags: string[];
  /** The environment a spawned `vouch` runs with: its own cache, HOME and npm configuration. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startPackageWorld(): Promise<PackageWorld> {
  const registry = await startFakeRegistry();
  const npm = (name: string, versions: [string, string][], deprecated?: Record<string, string>) =>
    registry.npm.set(
      name,
      packument(name, {
        versions: versions.map(([version, published]) => ({
          version,
          published,
          ...(deprecated?.[version] ? { deprecated: deprecated[version] } : {}),
        })),
      }),
    );
  npm('lodash', [
    ['4.17.11', '2018-09-12T10:00:00.000Z'],
    ['4.17.15', '2019-07-19T10:00:00.000Z'],
    ['4.17.20', '2020-08-13T10:00:00.000Z'],
    ['4.17.21', '2021-02-20T10:00:00.000Z'],
  ]);
  npm('express', [
    ['4.17.1', '2019-05-26T10:00:00.000Z'],
    ['4.21.2', '2024-12-05T10:00:00.000Z'],
    ['5.1.0', '2025-03-31T10:00:00.000Z'],
  ]);
  npm('crossenv', [['6.1.1', '2017-07-20T10:00:00.000Z']]);
  npm(
    'request',
    [
      ['2.88.0', '2018-08-10T10:00:00.000Z'],
      ['2.88.2', '2020-02-11T10:00:00.000Z'],
    ],
    { '2.88.0': 'request has been deprecated', '2.88.2': 'request has been deprecated' },
  );
  registry.pypi.set(
    'requests',
    pypiProject('requests', { releases: [{ version: '2.32.3', uploaded: '2024-05-29T10:00:00Z' }] }),
  );
  const home = mkdtempSync(join(tmpdir(), 'vouch-world-'));
  const database = join(home, 'osv.sqlite');
  await importOsv([fixturePath('vulndb/osv/npm')], database);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    VOUCH_CACHE_DIR: home,
    // npm's own configuration is not read from the machine: the registry comes from the flag.
    npm_config_userconfig: join(home, 'npmrc'),
    NO_COLOR: '1',
  };
  return {
    registry,
    home,
    database,
    env,
    flags: ['--npm-registry', registry.npmUrl, '--pypi-index', registry.pypiIndex, '--database', database],
    async close() {
      await registry.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface Spawned {
  exit: number | null;
  stdout: string;
  stderr: string;
}

const BIN = fileURLToPath(new URL('../../bin/vouch.js', import.meta.url));

/**
 * The built `vouch` in a process of its own, as an agent or a shell runs it. Asynchronous: the fake registry
 * answers from this process, so waiting synchronously would starve it.
 */
export function runVouch(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; input?: string },
): Promise<Spawned> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: options.env, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (exit) => done({ exit, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
