/**
 * What changed in a git repository since a ref, read with plumbing only, for changed-only scans.
 *
 * The scanned repository is untrusted, and so is its `.git/config`: nothing here may run a command it
 * names. Only plumbing that reads objects and the index is used (`rev-parse`, `ls-tree`, `ls-files`,
 * `cat-file --batch`): none runs hooks, pagers, external diffs, textconv or clean/smudge filters. Git is
 * never asked to compare the working tree (`diff-index`, `status`, `diff` hash "racily clean" files, through
 * the repository's clean filter): Vouch hashes the working-tree files itself, as git blobs, and compares
 * them with the ref's tree. Every call also sets `core.hooksPath=/dev/null` and `core.fsmonitor=false` (a
 * repository's fsmonitor setting is a command git would run), ignores the system configuration
 * (`GIT_CONFIG_NOSYSTEM`), never prompts, takes no optional locks (it never writes the index), and the `git`
 * binary itself comes from an absolute PATH entry outside the repository and the working directory (a
 * repository's `node_modules/.bin` on PATH could hold a "git").
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
  const root = run(['rev-parse', '--show-toplevel']).toString('utf8').trim();
  const commit = run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
    .toString('utf8')
    .trim();
  const list = (buffer: Buffer) => buffer.toString('utf8').split('\0').filter(Boolean);
  // `<mode> <type> <object>\t<path>`: the ref's tree with each file's blob id.
  const beforeIds = new Map<string, string>();
  for (const entry of list(run(['ls-tree', '-r', '-z', '--full-tree', commit]))) {
    const tab = entry.indexOf('\t');
    const [, type, id] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && id) beforeIds.set(entry.slice(tab + 1), id);
  }
  const now = [...new Set(list(run(['ls-files', '-z', '--cached', '--others', '--exclude-standard'])))]
    .filter((path) => existsSync(join(root, path)))
    .sort();
  const algorithm = commit.length === 64 ? 'sha256' : 'sha1';
  const changed = new Set<string>();
  for (const path of now) {
    if (!wanted(path)) continue;
    const id = beforeIds.get(path);
    if (id === undefined || blobId(join(root, path), algorithm) !== id) changed.add(path);
  }
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
