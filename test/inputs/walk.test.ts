import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTextFile, type WantedKind, walk } from '../../src/inputs/walk.js';
import type { SkippedFile } from '../../src/model/result.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function tempDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'vouch-walk-'));
  return dir;
}

const wants = (path: string): WantedKind | undefined =>
  path.endsWith('requirements.txt') ? 'manifest' : path.endsWith('.js') ? 'source' : undefined;

function walkAll(root: string): { found: string[]; skipped: SkippedFile[] } {
  const skipped: SkippedFile[] = [];
  const found = walk(root, root, { maxFileSize: 1 << 20, gitignore: false, wants }, skipped);
  return { found: found.map((f) => f.path), skipped };
}

describe('walk', () => {
  it('walks each folder once however many links lead back up the tree', () => {
    const root = tempDir();
    writeFileSync(join(root, 'requirements.txt'), 'flask\n');
    // a/up -> .., a/a/up -> .., … : every link leads to a folder already walked. Followed naively, each
    // level walks everything above it again (the requirements file once per level, time quadratic or worse).
    let here = root;
    for (let i = 0; i < 150; i++) {
      here = join(here, 'a');
      mkdirSync(here);
      symlinkSync('..', join(here, 'up'));
    }
    writeFileSync(join(here, 'app.js'), "require('x')");
    const { found, skipped } = walkAll(root);
    expect(found).toEqual([`${'a/'.repeat(150)}app.js`, 'requirements.txt']);
    expect(skipped).toHaveLength(150);
    expect(skipped.every((s) => s.reason === 'symlink-loop' && s.kind === 'folder')).toBe(true);
  });

  it('reads a folder by its real path when a link to it comes first', () => {
    const root = tempDir();
    mkdirSync(join(root, 'real'));
    writeFileSync(join(root, 'real', 'requirements.txt'), 'flask\n');
    symlinkSync('real', join(root, 'alias')); // sorts before `real`
    const { found, skipped } = walkAll(root);
    expect(found).toEqual(['real/requirements.txt']);
    expect(skipped).toEqual([{ file: 'alias', reason: 'symlink-loop', kind: 'folder' }]);
  });

  it('lists FIFOs and devices that an extractor wants as skipped, without opening them', () => {
    const root = tempDir();
    execFileSync('mkfifo', [join(root, 'requirements.txt')]);
    symlinkSync('/dev/zero', join(root, 'zero.js'));
    mkdirSync(join(root, 'sub'));
    symlinkSync('/dev/null', join(root, 'sub', 'requirements.txt'));
    const { found, skipped } = walkAll(root);
    expect(found).toEqual([]);
    // /dev/zero and /dev/null are outside the tree; the FIFO inside it is not a regular file.
    expect(skipped).toEqual([
      { file: 'requirements.txt', reason: 'not-a-regular-file', kind: 'manifest' },
      { file: 'sub/requirements.txt', reason: 'symlink-outside-root', kind: 'manifest' },
      { file: 'zero.js', reason: 'symlink-outside-root', kind: 'source' },
    ]);
  });

  it('reports folders and wanted files whose names are not UTF-8', () => {
    const root = tempDir();
    const rootBytes = Buffer.from(root);
    const bad = Buffer.concat([rootBytes, Buffer.from('/pkg-'), Buffer.from([0xff, 0xfe])]);
    mkdirSync(bad);
    writeFileSync(Buffer.concat([bad, Buffer.from('/requirements.txt')]), 'flask\n');
    writeFileSync(Buffer.concat([rootBytes, Buffer.from('/x\xff.js', 'latin1')]), "require('x')");
    writeFileSync(join(root, 'ok.js'), "require('ok')");
    const { found, skipped } = walkAll(root);
    expect(found).toEqual(['ok.js']);
    expect(skipped).toEqual([
      { file: 'pkg-\uFFFD\uFFFD', reason: 'undecodable-name', kind: 'folder' },
      { file: 'x\uFFFD.js', reason: 'undecodable-name', kind: 'source' },
    ]);
  });
});

describe('readTextFile', () => {
  it('refuses a FIFO and a device instead of blocking or reading forever', () => {
    const root = tempDir();
    const fifo = join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(readTextFile(fifo, 1 << 20)).toEqual({ skip: 'not-a-regular-file' });
    expect(readTextFile('/dev/zero', 1 << 20)).toEqual({ skip: 'not-a-regular-file' });
  });

  it('reads a regular file, and refuses one over the limit or with a NUL byte', () => {
    const root = tempDir();
    writeFileSync(join(root, 'a'), '\uFEFFflask\n');
    writeFileSync(join(root, 'big'), 'x'.repeat(2000));
    writeFileSync(join(root, 'bin'), Buffer.from([0x66, 0x00]));
    expect(readTextFile(join(root, 'a'), 1000)).toEqual({ text: 'flask\n' });
    expect(readTextFile(join(root, 'big'), 1000)).toEqual({ skip: 'too-large' });
    expect(readTextFile(join(root, 'bin'), 1000)).toEqual({ skip: 'binary' });
    expect(readTextFile(join(root, 'missing'), 1000)).toEqual({ skip: 'unreadable' });
  });
});
