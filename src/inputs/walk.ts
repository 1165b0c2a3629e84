import {
  closeSync,
  type Dirent,
  existsSync,
  constants as fsConstants,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { SkippedFile, SkippedKind } from '../model/result.js';

/**
 * Folders that hold other people's code or generated state, never the project's own: dependencies,
 * virtualenvs, VCS metadata, caches, vendored trees.
 */
const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.pnpm-store',
  '.yarn',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  'site-packages',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'vendor',
  'third_party',
]);

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** What an extractor would read a file as; the walker only passes it on to what it reports. */
export type WantedKind = Exclude<SkippedKind, 'folder'>;

export interface WalkOptions {
  maxFileSize: number;
  gitignore: boolean;
  /** What an extractor would read the file at this path as, if any wants it (decided from the path alone). */
  wants(path: string): WantedKind | undefined;
  /** Called with every file met (wanted or not): what exists in the tree, for imports of local folders. */
  seen?(path: string): void;
  /**
   * Called for a node_modules folder committed into the tree (not ignored, written by no package manager),
   * with the folder it sits in and the packages it holds.
   */
  committed?(dir: string, names: string[]): void;
  /**
   * The files git tracks in the repository around the walked folder (absolute paths), or undefined when git
   * cannot tell. A tracked manifest or lockfile is read even where .gitignore matches it: git ignores only
   * untracked files, and a package manager installs from the committed file whatever .gitignore says.
   */
  trackedIn?(root: string): string[] | undefined;
}

/** Files a package manager leaves in the node_modules it installs: a folder without one was committed. */
const INSTALL_MARKERS = ['.package-lock.json', '.modules.yaml', '.yarn-state.yml', '.yarn-integrity', '.bin'];
const MAX_COMMITTED_PACKAGES = 1000;

export interface FoundFile {
  /** Absolute path. */
  abs: string;
  /** The path the user sees: relative to the working directory when inside it. */
  path: string;
  kind: WantedKind;
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  const shown = rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
  return shown.split(sep).join('/');
}

interface IgnoreLayer {
  dir: string;
  rules: Ignore;
  /** `.gitattributes` patterns marked `linguist-vendored` or `linguist-generated`: not the project's code. */
  vendored?: boolean;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The entries of a folder whose names are not valid UTF-8 (Node hands them over with U+FFFD in them). */
function undecodableNames(dir: string, entries: Dirent[]): Set<string> {
  const out = new Set<string>();
  if (!entries.some((e) => e.name.includes('\uFFFD'))) return out;
  for (const raw of readdirSync(dir, { encoding: 'buffer' })) {
    try {
      strictUtf8.decode(raw);
    } catch {
      out.add(raw.toString('utf8'));
    }
  }
  return out;
}

/** A folder's identity, so that one reached again through a link (or a bind mount) is walked once. */
function folderKey(path: string): string | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Every wanted file under `root`: honours .gitignore files (each relative to its own folder), skips the
 * folders above and any virtualenv (a folder with pyvenv.cfg), follows symlinks only while they stay inside
 * the root. Every folder is walked once, by identity (device and inode), so links back up the tree cost
 * nothing: the real folders are walked first and a linked folder only when nothing reached it before.
 * Files that cannot be read as files (FIFOs, devices) and names that are not UTF-8 are listed as skipped.
 */
export function walk(root: string, cwd: string, options: WalkOptions, skipped: SkippedFile[]): FoundFile[] {
  const realRoot = realpathSync.native(root);
  const visited = new Set<string>();
  const found: FoundFile[] = [];
  const links: { abs: string; layers: IgnoreLayer[] }[] = [];
  const rootLayers: IgnoreLayer[] = options.gitignore ? gitRepoLayers(root) : [];
  const tracked = trackedManifests(root, cwd, options);

  /** `ignoredAbove`: a folder .gitignore matches, walked only for the tracked manifests and lockfiles in it. */
  const visit = (dir: string, layers: IgnoreLayer[], ignoredAbove = false) => {
    const key = folderKey(dir);
    if (key !== undefined) {
      if (visited.has(key)) return;
      visited.add(key);
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      skipped.push({ file: displayPath(dir, cwd), reason: 'unreadable', kind: 'folder' });
      return;
    }
    if (entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile()) && dir !== root) return;
    const here = withGitattributes(dir, options.gitignore ? withLocalGitignore(dir, layers) : layers);
    const undecodable = undecodableNames(dir, entries);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const shown = displayPath(abs, cwd);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync.native(abs);
          const stat = statSync(real);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue; // a dangling link points at nothing to scan
        }
        if (real !== realRoot && !real.startsWith(realRoot + sep)) {
          const kind = isDir ? 'folder' : options.wants(shown);
          if (kind) skipped.push({ file: shown, reason: 'symlink-outside-root', kind });
          continue;
        }
        if (isDir) {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && !isIgnored(here, abs, true))
            links.push({ abs, layers: here });
          continue;
        }
      }
      if (isDir) {
        if (ignoredAbove || isIgnored(here, abs, true)) {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && !undecodable.has(entry.name) && tracked.holds(abs))
            visit(abs, here, true);
          continue;
        }
        if (entry.name === 'node_modules' && options.gitignore && options.committed) {
          const names = committedPackages(abs);
          if (names.length > 0) options.committed(displayPath(dir, cwd), names);
        }
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
        if (undecodable.has(entry.name))
          skipped.push({ file: shown, reason: 'undecodable-name', kind: 'folder' });
        else visit(abs, here);
        continue;
      }
      if (isFile && !ignoredAbove) options.seen?.(shown);
      const kind = options.wants(shown);
      if (!kind) continue;
      if ((ignoredAbove || isIgnored(here, abs, false)) && !(isFile && tracked.has(abs))) continue;
      // A package manager installs from a manifest or lockfile whatever linguist thinks of it (lockfiles
      // are commonly marked generated): only code is left out as vendored.
      if (kind !== 'manifest' && kind !== 'lockfile' && isIgnored(here, abs, false, true)) {
        skipped.push({ file: shown, reason: 'vendored', kind });
        continue;
      }
      if (undecodable.has(entry.name)) skipped.push({ file: shown, reason: 'undecodable-name', kind });
      else if (isFile) found.push({ abs, path: shown, kind });
      else skipped.push({ file: shown, reason: 'not-a-regular-file', kind });
    }
  };

  visit(root, rootLayers);
  // Linked folders last, in the order met: one that leads to a folder already walked is reported, not walked.
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    const key = folderKey(link.abs);
    if (key !== undefined && visited.has(key)) {
      skipped.push({ file: displayPath(link.abs, cwd), reason: 'symlink-loop', kind: 'folder' });
      continue;
    }
    visit(link.abs, link.layers);
  }
  return found;
}

/**
 * The manifests and lockfiles git tracks under a walked folder, asked of git only when .gitignore first
 * matches something (most folders it matches hold none).
 */
function trackedManifests(
  root: string,
  cwd: string,
  options: WalkOptions,
): { has(abs: string): boolean; holds(dir: string): boolean } {
  let sorted: string[] | undefined;
  const list = (): string[] => {
    if (sorted === undefined) {
      const installsFrom = (abs: string) => {
        const kind = options.wants(displayPath(abs, cwd));
        return kind === 'manifest' || kind === 'lockfile';
      };
      sorted = (options.trackedIn?.(root) ?? []).filter(installsFrom).sort();
    }
    return sorted;
  };
  /** The index of the first tracked path not before `path`. */
  const lowerBound = (path: string): number => {
    const paths = list();
    let low = 0;
    let high = paths.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (paths[mid]! < path) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return {
    has: (abs) => list()[lowerBound(abs)] === abs,
    holds: (dir) => list()[lowerBound(dir + sep)]?.startsWith(dir + sep) ?? false,
  };
}

/** The packages in a node_modules folder nobody installed (no package manager's marker in it). */
function committedPackages(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  if (entries.some((name) => INSTALL_MARKERS.includes(name))) return [];
  const names: string[] = [];
  for (const name of entries) {
    if (name.startsWith('.') || names.length >= MAX_COMMITTED_PACKAGES) continue;
    if (!name.startsWith('@')) {
      names.push(name);
      continue;
    }
    try {
      for (const inner of readdirSync(join(dir, name)))
        if (!inner.startsWith('.')) names.push(`${name}/${inner}`);
    } catch {
      // an unreadable scope holds nothing we can name
    }
  }
  return names.slice(0, MAX_COMMITTED_PACKAGES);
}

function withLocalGitignore(dir: string, layers: IgnoreLayer[]): IgnoreLayer[] {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return layers;
  try {
    return [...layers, { dir, rules: ignore().add(readFileSync(file, 'utf8')) }];
  } catch {
    return layers;
  }
}

/**
 * A `.gitattributes` with `linguist-vendored` / `linguist-generated` patterns: the project's own statement
 * that those files are someone else's code or generated output (GitHub's linguist leaves them out too).
 */
function withGitattributes(dir: string, layers: IgnoreLayer[]): IgnoreLayer[] {
  const file = join(dir, '.gitattributes');
  if (!existsSync(file)) return layers;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return layers;
  }
  const patterns: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [pattern, ...attributes] = line.trim().split(/\s+/);
    if (!pattern || pattern.startsWith('#')) continue;
    const marked = attributes.some((a) => /^linguist-(?:vendored|generated)(?:=(?:true|1))?$/.test(a));
    if (marked) patterns.push(pattern);
  }
  return patterns.length === 0 ? layers : [...layers, { dir, rules: ignore().add(patterns), vendored: true }];
}

/** The .gitignore files of the folders above the root, up to the repository's top (where .git is). */
function gitRepoLayers(root: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let dir = dirname(resolve(root));
  let previous = resolve(root);
  if (existsSync(join(previous, '.git'))) return layers;
  while (dir !== previous) {
    const file = join(dir, '.gitignore');
    if (existsSync(file)) {
      try {
        layers.unshift({ dir, rules: ignore().add(readFileSync(file, 'utf8')) });
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    if (existsSync(join(dir, '.git'))) return layers;
    previous = dir;
    dir = dirname(dir);
  }
  return []; // not inside a repository: the folders above are not the project's
}

function isIgnored(layers: IgnoreLayer[], abs: string, isDir: boolean, vendored = false): boolean {
  for (const layer of layers) {
    if ((layer.vendored ?? false) !== vendored) continue;
    const rel = relative(layer.dir, abs).split(sep).join('/');
    if (rel.startsWith('..') || rel === '') continue;
    if (layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

export type ReadOutcome = { text: string } | { skip: SkippedFile['reason'] };

const READ_CHUNK = 1 << 16;

/**
 * Reads a regular file as UTF-8 text, unless it is over the size limit or binary (a NUL in its first 8 KiB).
 * The file is opened without blocking and checked once open, so a FIFO or a device (`/dev/zero`) put in its
 * place is refused rather than read forever; at most `maxFileSize + 1` bytes are read whatever its size claims.
 */
export function readTextFile(abs: string, maxFileSize: number): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(abs, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch {
    return { skip: 'unreadable' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { skip: 'not-a-regular-file' };
    if (stat.size > maxFileSize) return { skip: 'too-large' };
    // Read into one buffer of the size the file says it has (one byte more, to see it grow); a file that
    // grows past that while it is read goes on in chunks, still bounded by the size limit.
    const chunks: Buffer[] = [Buffer.allocUnsafe(stat.size + 1)];
    let length = 0;
    let filled = 0;
    for (;;) {
      let chunk = chunks.at(-1)!;
      if (filled === chunk.length) {
        chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, maxFileSize + 1 - length));
        chunks.push(chunk);
        filled = 0;
      }
      const n = readSync(fd, chunk, filled, chunk.length - filled, null);
      if (n === 0) break;
      filled += n;
      length += n;
      if (length > maxFileSize) return { skip: 'too-large' };
    }
    chunks[chunks.length - 1] = chunks.at(-1)!.subarray(0, filled);
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
    if (bytes.subarray(0, 8192).includes(0)) return { skip: 'binary' };
    return { text: stripBom(bytes.toString('utf8')) };
  } catch {
    return { skip: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether a path (relative, `/`-separated) lies in a folder a walk never enters (`node_modules/`, `.venv/`, …). */
export function inSkippedFolder(path: string): boolean {
  const parts = path.split('/');
  return parts.slice(0, -1).some((part) => SKIPPED_DIRECTORIES.has(part));
}
