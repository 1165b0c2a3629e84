import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/pipeline/policy.js';
import { scan } from '../../src/pipeline/scan.js';
import { runOffline } from '../cli/run-cli.js';
import { gitIn, writeTree } from '../helpers.js';
import { fixtureDatabase } from '../vulndb/helpers.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A repository whose own configuration switches its gate off, and a configuration CI keeps outside it. */
function hostileRepo(): { repo: string; pinned: string } {
  dir = mkdtempSync(join(tmpdir(), 'vouch-config-'));
  writeTree(dir, { 'ci/vouch.config.json': '{"failOn": "low"}' });
  const repo = writeTree(join(dir, 'repo'), {
    'package.json': '{"name":"app","dependencies":{}}',
    'src/server.js': "require('body-parser');\n",
    'vouch.config.json': '{"failOn": "none", "exclude": ["src/"]}',
  });
  return { repo, pinned: join(dir, 'ci', 'vouch.config.json') };
}

describe('a scanned repository cannot switch its own gate off unnoticed', () => {
  it('says so, in every output, when the configuration lies inside the scanned folder', async () => {
    const { repo } = hostileRepo();
    const out = await runOffline(['scan', '.', '--format', 'json'], repo);
    expect(out.exit).toBe(0); // the repository's failOn: none and exclude still apply: the user asked for them
    expect(out.stderr).toMatch(
      /vouch: warning: the configuration vouch\.config\.json lies inside the scanned folder \.: .*--config FILE .*--no-config/,
    );
    expect(JSON.parse(out.stdout).warnings).toEqual([
      expect.stringContaining('vouch.config.json lies inside'),
    ]);
  });

  it('--no-config reads no configuration: the gate is the default one', async () => {
    const { repo } = hostileRepo();
    const out = await runOffline(['scan', '.', '--no-config'], repo);
    expect(out.exit).toBe(1);
    expect(out.stdout).toMatch(/undeclared\s+npm:body-parser/);
    expect(out.stderr).toBe('');
  });

  it('--config FILE pins a configuration kept outside the scanned folder, without a warning', async () => {
    const { repo, pinned } = hostileRepo();
    const out = await runOffline(['scan', '.', '--config', pinned], repo);
    expect(out.exit).toBe(1);
    expect(out.stderr).toBe('');
  });
});

describe('a scanned repository cannot hide what a package manager installs from', () => {
  const LODASH = JSON.stringify({ name: 'app', dependencies: { lodash: '4.17.11' } });

  it('reads the manifests git tracks whatever .gitignore and .gitattributes say, and leaves untracked ones out', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vouch-ignore-'));
    const repo = writeTree(join(dir, 'repo'), {
      // Committed with `git add -f`: git itself ignores only untracked files.
      '.gitignore': 'package.json\nbuild/\ndist/\n',
      // Lockfiles are commonly marked generated; a manifest marked vendored is still installed from.
      '.gitattributes': 'package.json linguist-vendored\npackage-lock.json linguist-generated\n',
      'package.json': LODASH,
      'package-lock.json': JSON.stringify({
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { lodash: '4.17.11' } },
          'node_modules/lodash': { version: '4.17.11' },
        },
      }),
      'build/tools/package.json': LODASH,
      'dist/package.json': LODASH,
    });
    const git = gitIn(() => repo);
    git('init', '-q');
    git(
      'add',
      '-f',
      '.gitignore',
      '.gitattributes',
      'package.json',
      'package-lock.json',
      'build/tools/package.json',
    );
    git('commit', '-q', '-m', 'hostile');
    const result = await scan(['.'], { cwd: repo, database: await fixtureDatabase() });
    const files = [...new Set(result.packages.map((p) => p.location.file))].sort();
    expect(files).toEqual(['build/tools/package.json', 'package-lock.json', 'package.json']);
    expect(result.skipped).toEqual([]);
    expect(result.findings).toContainEqual(
      expect.objectContaining({ kind: 'vulnerable', name: 'lodash', version: '4.17.11' }),
    );
    expect(exitCodeFor(result, 'low')).toBe(1);
  });
});
