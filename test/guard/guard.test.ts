// The install guard as a shell alias runs it: the built `vouch guard -- <command>` in a process of its own,
// with a fake npm first on PATH that leaves a marker when it runs, against a fake registry on 127.0.0.1.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HALLUCINATED, type PackageWorld, runVouch, startPackageWorld } from '../pipeline/package-world.js';

let world: PackageWorld;
let root: string;
let project: string;
let marker: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startPackageWorld();
  root = mkdtempSync(join(tmpdir(), 'vouch-guard-'));
  project = join(root, 'project');
  mkdirSync(project);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  marker = join(root, 'npm-ran');
  // The fake npm records its arguments and exits 7, so that the guard is seen passing the status through.
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${marker}'\nexit 7\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  env = { ...world.env, PATH: `${bin}:${world.env.PATH}` };
});
afterAll(async () => {
  await world.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => rmSync(marker, { force: true }));

function guard(...command: string[]) {
  return runVouch(['guard', ...world.flags, '--', ...command], { env, cwd: project });
}

describe('vouch guard', () => {
  it('does not run npm install of a hallucinated name, and says why (exit 1)', async () => {
    const run = await guard('npm', 'install', HALLUCINATED);
    expect(existsSync(marker)).toBe(false);
    expect(run.exit).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`blocked: npm ${HALLUCINATED}`));
    expect(run.stderr).toMatch(/not running: npm install/);
  });

  it('does not run an install pinned to a vulnerable version', async () => {
    const run = await guard('npm', 'install', 'lodash@4.17.15');
    expect(existsSync(marker)).toBe(false);
    expect(run.exit).toBe(1);
    expect(run.stderr).toMatch(/4\.17\.21 fixes it/);
  });

  it('runs npm install of a real package unchanged and passes its exit status through', async () => {
    const run = await guard('npm', 'install', '--save-dev', 'lodash@4.17.21');
    expect(readFileSync(marker, 'utf8')).toBe('install\n--save-dev\nlodash@4.17.21\n');
    expect(run.exit).toBe(7);
  });

  it('checks the lockfile a bare npm ci would install from', async () => {
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'p', dependencies: { lodash: '^4.17.0' } }),
    );
    writeFileSync(
      join(project, 'package-lock.json'),
      JSON.stringify({
        name: 'p',
        lockfileVersion: 3,
        packages: {
          '': { name: 'p', dependencies: { lodash: '^4.17.0' } },
          'node_modules/lodash': { version: '4.17.15' },
        },
      }),
    );
    try {
      const run = await guard('npm', 'ci');
      expect(existsSync(marker)).toBe(false);
      expect(run.stderr).toMatch(/lodash@4\.17\.15 \(package-lock\.json\)/);
    } finally {
      rmSync(join(project, 'package.json'));
      rmSync(join(project, 'package-lock.json'));
    }
  });

  it('runs commands that install nothing, and reads an argument as one word, never as shell syntax', async () => {
    const run = await guard('npm', 'run', 'build; npm install crossenv');
    expect(run.exit).toBe(7);
    expect(readFileSync(marker, 'utf8')).toBe('run\nbuild; npm install crossenv\n');
  });
});
