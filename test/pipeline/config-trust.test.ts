import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runOffline } from '../cli/run-cli.js';
import { writeTree } from '../helpers.js';

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
