/**
 * What changed in a git repository since a ref, read with plumbing only, for changed-only scans.
 *
 * The scanned repository is untrusted, and so is its `.git/config`: nothing here may run a command it
 * names. Only plumbing that reads objects and the index is used (`rev-parse`, `ls-tree`, `ls-files`,
 * `cat-file --batch`): none runs hooks, pagers, external diffs, textconv or clean/smudge filters. Git is
 * never asked to compare the working tree (`diff-index`, `status`, `diff` hash "racily clean" files, through
 * the repository's clean filter): Vouch applies git's own test itself. A file whose size, inode and times
 * are those the index recorded (`ls-files --debug`), and that was last modified before the index was
 * written, holds the index's blob; every other file is read and hashed as a git blob, without filters.
 * Either blob is compared with the ref's tree. Every call also sets `core.hooksPath=/dev/null` and
 * `core.fsmonitor=false` (a repository's fsmonitor setting is a command git would run), ignores the system
 * configuration (`GIT_CONFIG_NOSYSTEM`), never prompts, takes no optional locks (it never writes the index),
 * and the `git` binary itself comes from an absolute PATH entry outside the repository and the working
 * directory (a repository's `node_modules/.bin` on PATH could hold a "git").
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { VouchError } from '../core/errors.js';

export interface GitChanges {
  /** The repository's top folder (absolute). */
  root: string;
  /** The commit the ref names. */
  commit: string;
  /** Wanted paths (relative to `root`, `/`-separated) whose content differs from the ref's: modified, added, deleted. */
  changed: string[];
  /** Paths in the working tree now: tracked and untracked files that are not ignored. */
  now: string[];
  /** Paths in the ref's tree. */
  before: string[];
  /** The ref's version of each path that it has (paths it lacks are left out). */
  readBefore(paths: readonly string[]): Map<string, Buffer>;
}

/** Files larger than this are not hashed: they count as changed (the scan skips them as too large anyway). */
const MAX_HASHED = 64 * 1024 * 1024;

type Env = Record<string, string | undefined>;

/** Git output is bounded like any input: a listing or a blob over this is refused. */
const MAX_OUTPUT = 512 * 1024 * 1024;

function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The nearest folder from `dir` up that holds `.git`. */
function repositoryAbove(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** `git` from the first absolute PATH folder that is not inside the scanned code. */
export function trustedGit(env: Env, untrusted: readonly string[]): string {
  const name = process.platform === 'win32' ? 'git.exe' : 'git';
  const roots = untrusted.map(real);
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    if (roots.some((root) => within(real(dir), root) || within(resolve(dir), root))) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  throw new VouchError(
    'INPUT',
    '--changed-since needs git: none was found on PATH outside the scanned repository and the working directory',
  );
}

/** A file's git blob id, computed as git would without filters; undefined when it cannot be read. */
function blobId(abs: string, algorithm: 'sha1' | 'sha256'): string | undefined {
  try {
    const stat = lstatSync(abs);
    if (stat.size > MAX_HASHED) return undefined; // changed, as far as anyone can tell cheaply
    const bytes = stat.isSymbolicLink() ? Buffer.from(readlinkSync(abs)) : readFileSync(abs);
    return createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  } catch {
    return undefined;
  }
}

type Stat = NonNullable<ReturnType<typeof statOf>>;

/** `lstat`; undefined when the path is gone or cannot be read. */
function statOf(abs: string) {
  try {
    return lstatSync(abs, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * What the index records of a file: its blob, and the stat data it had when the blob was taken. Times are in
 * milliseconds computed as Node computes `mtimeMs` from the same seconds and nanoseconds, so that equal
 * times compare equal.
 */
interface IndexEntry {
  id: string;
  ctimeMs: number;
  mtimeMs: number;
  ino: number;
  size: number;
}

/** A count from git's output; NaN unless it is all digits. */
function count(text: string): number {
  return text !== '' && text.length < 16 && /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

/** `<seconds>:<nanoseconds>` in milliseconds, as Node's stat computes them. */
function timeMs(text: string): number {
  const colon = text.indexOf(':');
  return count(text.slice(0, colon)) * 1e3 + count(text.slice(colon + 1)) / 1e6;
}

/**
 * The index's entries from `ls-files -z --stage --debug` (`<mode> <id> <stage>\t<path>\0` then five lines
 * of stat data: ctime, mtime, dev and ino, uid and gid, size and flags). A path in conflict, a submodule, or
 * an entry whose stat data cannot be read maps to undefined (it is hashed); output that cannot be followed
 * gives an empty map (everything is hashed).
 */
function indexEntries(buffer: Buffer): Map<string, IndexEntry | undefined> {
  const entries = new Map<string, IndexEntry | undefined>();
  const text = buffer.toString('utf8');
  let at = 0;
  while (at < text.length) {
    const nul = text.indexOf('\0', at);
    if (nul < 0) return new Map();
    const header = text.slice(at, nul);
    const tab = header.indexOf('\t');
    const [mode = '', id = '', stage = ''] = header.slice(0, Math.max(tab, 0)).split(' ');
    const lines: string[] = [];
    let from = nul + 1;
    for (let i = 0; i < 5; i++) {
      const end = text.indexOf('\n', from);
      if (end < 0 || !text.startsWith('  ', from)) return new Map();
      lines.push(text.slice(from + 2, end));
      from = end + 1;
    }
    if (tab < 0 || mode === '' || id === '') return new Map();
    const [ctime = '', mtime = '', devIno = '', , sizeFlags = ''] = lines;
    const entry: IndexEntry = {
      id,
      ctimeMs: ctime.startsWith('ctime: ') ? timeMs(ctime.slice(7)) : Number.NaN,
      mtimeMs: mtime.startsWith('mtime: ') ? timeMs(mtime.slice(7)) : Number.NaN,
      ino: count(devIno.slice(devIno.indexOf('\tino: ') + 6)),
      size: sizeFlags.startsWith('size: ') ? count(sizeFlags.slice(6, sizeFlags.indexOf('\t'))) : Number.NaN,
    };
    const path = header.slice(tab + 1);
    const usable = stage === '0' && mode !== '160000' && !entries.has(path) && devIno.includes('\tino: ');
    entries.set(path, usable ? entry : undefined);
    at = from;
  }
  return entries;
}

/**
 * git's racy-clean rule: a file whose size, inode, change and modification times are those the index
 * recorded, and that was modified before the index was written, still holds the index's blob. A file
 * modified in the same instant as the index (or after) may have changed unseen, and is hashed. (NaN, an
 * unreadable field, equals nothing.)
 */
function cleanAgainstIndex(stat: Stat, entry: IndexEntry, index: Stat): boolean {
  return (
    stat.size === entry.size &&
    stat.ino === entry.ino &&
    stat.mtimeMs === entry.mtimeMs &&
    stat.ctimeMs === entry.ctimeMs &&
    entry.mtimeMs < index.mtimeMs
  );
}

function gitEnv(env: Env): Env {
  const out: Env = { ...env };
  for (const key of ['GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'GIT_ASKPASS', 'SSH_ASKPASS']) delete out[key];
  return {
    ...out,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_LAZY_FETCH: '1',
  };
}

const SAFE_CONFIG = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.untrackedCache=false',
];

/** One git plumbing command in the repository `top`, with the repository's commands and hooks turned off. */
function runGit(git: string, top: string, env: Env, args: string[], input?: string): Buffer {
  return execFileSync(git, [...SAFE_CONFIG, '-C', top, ...args], {
    env: gitEnv(env),
    input,
    maxBuffer: MAX_OUTPUT,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
}

/**
 * The files git tracks in the repository around `dir` (absolute paths, joined to the repository's folder as
 * found from `dir`), read from the index; undefined when `dir` is in no repository or git cannot tell (no
 * trusted git, a repository git refuses). `untrusted`: folders whose PATH entries may not supply git.
 */
export function trackedFiles(dir: string, env: Env, untrusted: readonly string[]): string[] | undefined {
  const top = repositoryAbove(resolve(dir));
  if (!top) return undefined;
  try {
    const git = trustedGit(env, [top, ...untrusted]);
    return runGit(git, top, env, ['ls-files', '-z', '--cached', '--full-name'])
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((path) => join(top, ...path.split('/')));
  } catch {
    return undefined;
  }
}

/** Reads what changed since `ref` in the repository around `cwd`. */
export function gitChanges(
  cwd: string,
  ref: string,
  env: Env,
  wanted: (path: string) => boolean = () => true,
): GitChanges {
  if (ref === '' || ref.startsWith('-'))
    throw new VouchError('USAGE', `--changed-since: "${ref}" is not a git ref`);
  const top = repositoryAbove(resolve(cwd));
  if (!top) throw new VouchError('INPUT', `--changed-since: ${cwd} is not inside a git repository`);
  const git = trustedGit(env, [top, cwd]);
  const run = (args: string[], input?: string): Buffer => {
    try {
      return runGit(git, top, env, args, input);
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim().split('\n')[0];
      throw new VouchError(
        'INPUT',
        `--changed-since ${ref}: git ${args[0]} failed${stderr ? `: ${stderr}` : ''}`,
        {
          cause: error,
        },
      );
    }
  };
  // One process for the repository's folder, its index file and the commit (each process costs).
  const revParse = run([
    'rev-parse',
    '--show-toplevel',
    '--git-path',
    'index',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${ref}^{commit}`,
  ])
    .toString('utf8')
    .split('\n');
  // The commit is the last line; a folder name may hold line breaks of its own.
  const commit = revParse.at(-2) ?? '';
  const indexPath = revParse.at(-3) ?? '';
  const root = revParse.slice(0, -3).join('\n');
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commit))
    throw new VouchError('INPUT', `--changed-since ${ref}: git rev-parse did not name one commit`);
  const list = (buffer: Buffer) => buffer.toString('utf8').split('\0').filter(Boolean);
  // `<mode> <type> <object>\t<path>`: the ref's tree with each file's blob id.
  const beforeIds = new Map<string, string>();
  for (const entry of list(run(['ls-tree', '-r', '-z', '--full-tree', commit]))) {
    const tab = entry.indexOf('\t');
    const [, type, id] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && id) beforeIds.set(entry.slice(tab + 1), id);
  }
  const algorithm = commit.length === 64 ? 'sha256' : 'sha1';
  const index = indexEntries(run(['ls-files', '-z', '--cached', '--stage', '--debug']));
  const indexWritten = indexPath === '' ? undefined : statOf(resolve(top, indexPath));
  const untracked = list(run(['ls-files', '-z', '--others', '--exclude-standard']));
  const now: string[] = [];
  const changed = new Set<string>();
  for (const path of new Set([...index.keys(), ...untracked])) {
    const abs = join(root, path);
    const stat = statOf(abs);
    if (!stat) continue; // deleted from the working tree
    now.push(path);
    if (!wanted(path)) continue;
    const before = beforeIds.get(path);
    if (before === undefined) {
      changed.add(path);
      continue;
    }
    // git's own test: a file whose stat data match its index entry, written before the index was, holds
    // the index's blob; only the others are read and hashed.
    const entry = index.get(path);
    const current =
      entry && indexWritten && cleanAgainstIndex(stat, entry, indexWritten)
        ? entry.id
        : blobId(abs, algorithm);
    if (current !== before) changed.add(path);
  }
  now.sort();
  const nowSet = new Set(now);
  for (const path of beforeIds.keys()) if (!nowSet.has(path) && wanted(path)) changed.add(path);
  return {
    root,
    commit,
    changed: [...changed].sort(),
    now,
    before: [...beforeIds.keys()],
    readBefore(paths) {
      const blobs = new Map<string, Buffer>();
      if (paths.length === 0) return blobs;
      const out = run(['cat-file', '--batch'], paths.map((path) => `${commit}:${path}\n`).join(''));
      let offset = 0;
      for (const path of paths) {
        const end = out.indexOf(10, offset);
        if (end < 0) break;
        const header = out.subarray(offset, end).toString('utf8').split(' ');
        offset = end + 1;
        if (header[1] === 'missing' || header.length < 3) continue;
        const size = Number(header[2]);
        if (header[1] === 'blob') blobs.set(path, out.subarray(offset, offset + size));
        offset += size + 1;
      }
      return blobs;
    },
  };
}
