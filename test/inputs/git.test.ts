import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitChanges, trustedGit } from '../../src/inputs/git.js';
import { gitIn } from '../helpers.js';

let repo: string;
const realGit = trustedGit(process.env, []);
const git = gitIn(() => repo);

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'vouch-git-'));
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'package.json'), '{"dependencies":{"express":"4.19.2"}}\n');
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'src/app.js'), "import express from 'express';\n");
  writeFileSync(join(repo, 'src/old.js'), "import x from 'left-pad';\n");
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** A script that leaves a marker file when anything runs it. */
function trap(name: string): { path: string; marker: string } {
  const marker = join(repo, `${name}.ran`);
  const path = join(repo, `${name}.sh`);
  writeFileSync(path, `#!/bin/sh\ntouch '${marker}'\ncat\n`);
  chmodSync(path, 0o755);
  return { path, marker };
}

describe('gitChanges', () => {
  it('lists modified, added, deleted and untracked files, the tree now and at the ref', () => {
    writeFileSync(join(repo, 'src/app.js'), "import express from 'express';\nimport chalk from 'chalk';\n");
    writeFileSync(join(repo, 'src/new.js'), "import dayjs from 'dayjs';\n");
    git('add', 'src/new.js');
    rmSync(join(repo, 'src/old.js'));
    writeFileSync(join(repo, 'src/untracked.js'), '');
    writeFileSync(join(repo, '.gitignore'), 'ignored.js\n');
    writeFileSync(join(repo, 'ignored.js'), '');
    const changes = gitChanges(repo, 'HEAD', process.env);
    expect(changes.changed).toEqual([
      '.gitignore',
      'src/app.js',
      'src/new.js',
      'src/old.js',
      'src/untracked.js',
    ]);
    expect(changes.now).toEqual([
      '.gitignore',
      'package.json',
      'src/app.js',
      'src/new.js',
      'src/untracked.js',
    ]);
    expect(changes.before).toEqual(['package.json', 'src/app.js', 'src/old.js']);
    const blobs = changes.readBefore(['src/app.js', 'src/new.js', 'package.json']);
    expect([...blobs.keys()]).toEqual(['src/app.js', 'package.json']);
    expect(blobs.get('src/app.js')?.toString()).toBe("import express from 'express';\n");
    expect(changes.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('hashes only the files the caller wants', () => {
    writeFileSync(join(repo, 'src/app.js'), "import chalk from 'chalk';\n");
    writeFileSync(join(repo, 'README.md'), 'new\n');
    expect(gitChanges(repo, 'HEAD', process.env, (path) => path.endsWith('.js')).changed).toEqual([
      'src/app.js',
    ]);
  });

  it('sees an edit that keeps the size and puts the modification time back', () => {
    const app = join(repo, 'src/app.js');
    const written = new Date(2020, 0, 1);
    utimesSync(app, written, written);
    git('add', 'src/app.js'); // the index now holds the stat data above
    writeFileSync(app, "import express from 'EXPRESS';\n"); // same length
    utimesSync(app, written, written);
    expect(gitChanges(repo, 'HEAD', process.env).changed).toEqual(['src/app.js']);
  });

  it('never runs what the repository configures: fsmonitor, hooks, filters, textconv, external diff', () => {
    const fsmonitor = trap('fsmonitor');
    const hook = trap('hook');
    const clean = trap('clean');
    const textconv = trap('textconv');
    const external = trap('external');
    mkdirSync(join(repo, 'hooks'));
    for (const name of ['post-checkout', 'post-index-change', 'reference-transaction', 'pre-auto-gc'])
      writeFileSync(join(repo, 'hooks', name), `#!/bin/sh\ntouch '${hook.marker}'\n`, { mode: 0o755 });
    git('config', 'core.fsmonitor', fsmonitor.path);
    git('config', 'core.hooksPath', join(repo, 'hooks'));
    git('config', 'filter.evil.clean', clean.path);
    git('config', 'filter.evil.smudge', clean.path);
    git('config', 'diff.evil.textconv', textconv.path);
    git('config', 'diff.external', external.path);
    writeFileSync(join(repo, '.gitattributes'), '* filter=evil diff=evil\n');
    // Stat-dirty but unchanged: git porcelain would hash it, through the clean filter.
    utimesSync(join(repo, 'package.json'), new Date(2030, 1, 1), new Date(2030, 1, 1));
    writeFileSync(join(repo, 'src/app.js'), "import chalk from 'chalk';\n");

    const changes = gitChanges(repo, 'HEAD', process.env);
    expect(changes.changed).toContain('src/app.js');
    changes.readBefore(['src/app.js']);
    for (const t of [fsmonitor, hook, clean, textconv, external])
      expect(existsSync(t.marker), t.path).toBe(false);
  });

  it('never runs a "git" from inside the repository or a relative PATH entry', () => {
    const bin = join(repo, 'node_modules/.bin');
    mkdirSync(bin, { recursive: true });
    const marker = join(repo, 'fake-git.ran');
    writeFileSync(join(bin, 'git'), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    const PATH = [bin, 'node_modules/.bin', dirname(realGit)].join(delimiter);
    expect(trustedGit({ PATH }, [repo])).toBe(realGit);
    gitChanges(repo, 'HEAD', { ...process.env, PATH });
    expect(existsSync(marker)).toBe(false);
    expect(() => trustedGit({ PATH: bin }, [repo])).toThrow(
      /none was found on PATH outside the scanned repository/,
    );
  });

  it('says clearly when the ref is unknown, not a ref, or the folder is no repository', () => {
    expect(() => gitChanges(repo, 'no-such-branch', process.env)).toThrow(
      /--changed-since no-such-branch: git rev-parse failed/,
    );
    expect(() => gitChanges(repo, '--output=/tmp/x', process.env)).toThrow(/is not a git ref/);
    const plain = mkdtempSync(join(tmpdir(), 'vouch-nogit-'));
    try {
      expect(() => gitChanges(plain, 'HEAD', process.env)).toThrow(/is not inside a git repository/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
