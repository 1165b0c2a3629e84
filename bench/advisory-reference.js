// Benchmark: Vouch's advisory matching against an independent reference matcher, on real lockfiles of
// public projects at pinned commits (bench/advisory-reference/lockfiles.json), with the OSV records of
// ../shared/data/osv.
//
// The reference shares no code with Vouch: its own lockfile readers (JSON, smol-toml, yaml and a few
// regular expressions), its own SemVer 2.0 and RubyGems orderings, @renovatebot/pep440's `compare` for
// PyPI (Vouch orders PyPI versions with its own key), and the OSV schema's evaluation of sorted range
// events. Both sides are compared on the packages each extracted and on every affected
// (package, version, advisory) pair; each disagreement is printed, and README "Advisory matching against
// a reference" explains every one.
//
// The lockfiles never enter this repository: VOUCH_REFERENCE_LOCKFILES (default
// /work/bench-cache/lockfiles) holds one folder per entry, each file at its path in the repository.
// `node bench/advisory-reference.js --fetch` downloads the missing ones from raw.githubusercontent.com at
// the pinned commits.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import pep440 from '@renovatebot/pep440';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OSV = resolve(ROOT, '../shared/data/osv');
const LOCKFILES = resolve(process.env.VOUCH_REFERENCE_LOCKFILES ?? '/work/bench-cache/lockfiles');
const LIST = JSON.parse(readFileSync(join(ROOT, 'bench/advisory-reference/lockfiles.json'), 'utf8'));
const WORK = join(ROOT, 'bench/.work/advisory-reference');

// ---------------------------------------------------------------------------------------------------
// Version orders, written for this benchmark.

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]*)?$/;

/** SemVer 2.0 precedence (semver.org §11); undefined when either side is no SemVer. */
function compareSemver(a, b) {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return undefined;
  for (let i = 1; i <= 3; i++) {
    const d = BigInt(x[i]) - BigInt(y[i]);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  if (x[4] === undefined || y[4] === undefined) return x[4] === y[4] ? 0 : x[4] === undefined ? 1 : -1;
  const p = x[4].split('.');
  const q = y[4].split('.');
  for (let i = 0; i < Math.max(p.length, q.length); i++) {
    if (p[i] === undefined) return -1;
    if (q[i] === undefined) return 1;
    const pn = /^\d+$/.test(p[i]);
    const qn = /^\d+$/.test(q[i]);
    if (pn && qn) {
      const d = BigInt(p[i]) - BigInt(q[i]);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (pn !== qn) return pn ? -1 : 1;
    else if (p[i] !== q[i]) return p[i] < q[i] ? -1 : 1;
  }
  return 0;
}

/** Gem::Version#<=>: segments split at dots and at digit/letter boundaries; a letter segment is a pre-release. */
function compareGem(a, b) {
  const segments = (v) => {
    const text = v.trim().replace(/-/g, '.pre.');
    if (!/^[0-9]+(\.[0-9a-zA-Z]+)*$/.test(text)) return undefined;
    return text.match(/[0-9]+|[a-zA-Z]+/g).map((s) => (/^\d+$/.test(s) ? BigInt(s) : s));
  };
  const x = segments(a);
  const y = segments(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0n;
    const q = y[i] ?? 0n;
    if (p === q) continue;
    const ps = typeof p === 'string';
    const qs = typeof q === 'string';
    if (ps && !qs) return -1;
    if (!ps && qs) return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

function comparePep440(a, b) {
  if (!pep440.valid(a) || !pep440.valid(b)) return undefined;
  return Math.sign(pep440.compare(a, b));
}

const ORDER = {
  npm: compareSemver,
  'crates.io': compareSemver,
  Go: compareSemver,
  PyPI: comparePep440,
  RubyGems: compareGem,
};

function normalName(ecosystem, name) {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

// ---------------------------------------------------------------------------------------------------
// OSV matching as the schema describes it: events sorted by version, the last one at or below the
// version decides (introduced: affected; fixed, or limit: not; last_affected: not above it).

function loadAdvisories() {
  const index = new Map();
  const add = (record) => {
    if (record.withdrawn) return;
    for (const affected of record.affected ?? []) {
      const ecosystem = affected.package?.ecosystem;
      if (!(ecosystem in ORDER)) continue;
      const key = `${ecosystem}\0${normalName(ecosystem, affected.package.name)}`;
      if (!index.has(key)) index.set(key, []);
      index.get(key).push({ record, affected });
    }
  };
  for (const file of readdirSync(OSV)) {
    if (file.endsWith('.jsonl.gz'))
      for (const line of gunzipSync(readFileSync(join(OSV, file)))
        .toString('utf8')
        .split('\n'))
        if (line) add(JSON.parse(line));
  }
  const ghsa = join(OSV, 'ghsa');
  if (existsSync(ghsa))
    for (const file of readdirSync(ghsa))
      if (file.endsWith('.json')) add(JSON.parse(readFileSync(join(ghsa, file), 'utf8')));
  return index;
}

function affects(ecosystem, affected, version) {
  const cmp = ORDER[ecosystem];
  const bare = ecosystem === 'Go' ? version.replace(/^v/, '') : version;
  if ((affected.versions ?? []).some((v) => v === bare || cmp(v, bare) === 0)) return true;
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') continue;
    // RetireJS and some GitHub records write short bounds (`13.0`): read as `13.0.0`, as OSV tools do.
    const short = ecosystem !== 'PyPI' && ecosystem !== 'RubyGems';
    const events = range.events.map((e) => {
      const [kind, at] = Object.entries(e)[0];
      return {
        kind,
        at:
          short && /^\d+(\.\d+)?$/.test(at) && at !== '0' ? `${at}.0.0`.split('.').slice(0, 3).join('.') : at,
      };
    });
    if (events.some((e) => e.at !== '0' && cmp(e.at, e.at) !== 0)) return false;
    events.sort((p, q) => (p.at === '0' ? -1 : q.at === '0' ? 1 : cmp(p.at, q.at)));
    let state = false;
    for (const { kind, at } of events) {
      const c = at === '0' ? 1 : cmp(bare, at);
      if (c === undefined) return false;
      if (kind === 'introduced' && c >= 0) state = true;
      else if ((kind === 'fixed' || kind === 'limit') && c >= 0) state = false;
      else if (kind === 'last_affected' && c > 0) state = false;
    }
    if (state) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Lockfile readers, written for this benchmark.

function fromPackageLock(text) {
  const lock = JSON.parse(text);
  const out = [];
  if (lock.packages) {
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || entry.link || !entry.version || entry.version.startsWith('file:')) continue;
      // A workspace's own folder (`packages/foo`) is named by its package.json, or by its last segment.
      const at = path.lastIndexOf('node_modules/');
      const name =
        entry.name ?? (at === -1 ? path.split('/').pop() : path.slice(at + 'node_modules/'.length));
      out.push(['npm', name, entry.version]);
    }
    return out;
  }
  const walk = (deps) => {
    for (const [key, entry] of Object.entries(deps ?? {})) {
      const aliased = /^npm:(.+)@([^@]+)$/.exec(entry.version ?? '');
      if (aliased) out.push(['npm', aliased[1], aliased[2]]);
      else if (entry.version && !entry.version.startsWith('file:')) out.push(['npm', key, entry.version]);
      walk(entry.dependencies);
    }
  };
  walk(lock.dependencies);
  return out;
}

function fromYarnLock(text) {
  const out = [];
  let name;
  for (const line of text.split('\n')) {
    if (line && !line.startsWith(' ') && !line.startsWith('#') && line.endsWith(':')) {
      const first = line.slice(0, -1).split(', ')[0].replace(/^"|"$/g, '');
      const alias = first.indexOf('@npm:');
      const spec = alias > 0 ? first.slice(alias + 5) : first;
      name = spec.slice(0, spec.lastIndexOf('@') > 0 ? spec.lastIndexOf('@') : undefined);
      continue;
    }
    const version = /^ {2}version "?([^"]+)"?$/.exec(line);
    if (version && name) out.push(['npm', name, version[1]]);
  }
  return out;
}

/** Keys: `/name/1.0.0_peer@2.0.0` up to lockfile 5.4, `/name@1.0.0(peer@2.0.0)` in 6, `name@1.0.0` in 9. */
function fromPnpmLock(text) {
  const lock = parseYaml(text);
  const slashes = Number.parseFloat(String(lock.lockfileVersion)) < 6;
  const out = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (entry?.name && entry?.version) {
      out.push(['npm', entry.name, entry.version]);
      continue;
    }
    const bare = key.replace(/^\//, '').replace(/\(.*$/, '');
    if (slashes) {
      const plain = bare.replace(/_.*$/, '');
      const slash = plain.lastIndexOf('/');
      out.push(['npm', plain.slice(0, slash), plain.slice(slash + 1)]);
    } else {
      const at = bare.lastIndexOf('@');
      out.push(['npm', bare.slice(0, at), bare.slice(at + 1)]);
    }
  }
  return out;
}

function fromRequirements(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s;#\\]+)/.exec(line);
    if (m) out.push(['PyPI', m[1], m[2]]);
  }
  return out;
}

const fromPoetryLock = (text) => parseToml(text).package.map((p) => ['PyPI', p.name, p.version]);
const fromCargoLock = (text) => parseToml(text).package.map((p) => ['crates.io', p.name, p.version]);

function fromPipfileLock(text) {
  const lock = JSON.parse(text);
  const out = [];
  for (const section of ['default', 'develop'])
    for (const [name, entry] of Object.entries(lock[section] ?? {}))
      if (entry.version?.startsWith('==')) out.push(['PyPI', name, entry.version.slice(2)]);
  return out;
}

/**
 * go.sum lists every module version whose go.mod was read, and those whose code was downloaded (a hash
 * of the tree, no `/go.mod` suffix); the build uses go.mod's requirement, else the highest downloaded.
 */
function fromGo(mod, sum) {
  const required = new Map();
  for (const m of mod.matchAll(/^(?:require\s+|\t)(\S+)\s+(v\S+)/gm)) required.set(m[1], m[2]);
  const seen = new Map();
  for (const line of sum.split('\n')) {
    const [path, v] = line.split(' ');
    if (!v || v.endsWith('/go.mod')) continue;
    const best = seen.get(path);
    if (!best || compareSemver(v, best) > 0) seen.set(path, v);
  }
  return [...seen].map(([path, v]) => ['Go', path, required.get(path) ?? v]);
}

function fromGemfileLock(text) {
  const out = [];
  for (const m of text.matchAll(/^ {4}([^\s(]+) \(([^)]+)\)$/gm))
    out.push(['RubyGems', m[1], m[2].replace(/-(x86|x64|arm|java|universal|aarch|mingw|mswin).*$/, '')]);
  return out;
}

function referencePackages(dir, files) {
  const read = (f) => readFileSync(join(dir, f), 'utf8');
  const base = (f) => f.split('/').pop();
  const names = files.map(base);
  if (names.includes('go.sum')) return fromGo(read('go.mod'), read('go.sum'));
  const file = files[0];
  switch (base(file)) {
    case 'package-lock.json':
      return fromPackageLock(read(file));
    case 'yarn.lock':
      return fromYarnLock(read(file));
    case 'pnpm-lock.yaml':
      return fromPnpmLock(read(file));
    case 'poetry.lock':
      return fromPoetryLock(read(file));
    case 'Pipfile.lock':
      return fromPipfileLock(read(file));
    case 'Cargo.lock':
      return fromCargoLock(read(file));
    case 'Gemfile.lock':
      return fromGemfileLock(read(file));
    default:
      return fromRequirements(read(file));
  }
}

// ---------------------------------------------------------------------------------------------------

const pkgKey = (ecosystem, name, version) =>
  `${ecosystem}:${normalName(ecosystem, name)}@${ecosystem === 'Go' ? version.replace(/^v/, '') : version}`;

function fetchMissing(entry, dir) {
  for (const file of entry.files) {
    const path = join(dir, file);
    if (existsSync(path)) continue;
    const url = `https://raw.githubusercontent.com/${entry.repo}/${entry.commit}/${file}`;
    mkdirSync(dirname(path), { recursive: true });
    execFileSync('curl', ['-fsSL', '-o', path, url], { stdio: 'inherit' });
  }
}

function vouch(args) {
  return execFileSync(process.execPath, [join(ROOT, 'bin/vouch.js'), ...args], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    env: { ...process.env, VOUCH_CACHE_DIR: join(WORK, 'cache'), NO_COLOR: '1' },
  });
}

/** A version as a lockfile or a pin writes it, not a range. */
const EXACT = /^v?\d[^\s<>=!~^*,|]*$/;

/** What Vouch says: the locked packages, and per package version the ids of every advisory group. */
function vouchSide(dir, database) {
  let out;
  try {
    out = vouch(['scan', '--no-registry', '--offline', '--database', database, '--format', 'json', dir]);
  } catch (error) {
    // Exit 1 (findings) still writes the report.
    out = error.stdout;
  }
  const result = JSON.parse(out);
  const packages = new Set(
    result.packages
      .filter((p) => (p.source === 'locked' || p.source === 'declared') && EXACT.test(p.version ?? ''))
      .map((p) => pkgKey(p.ecosystem, p.name, p.version)),
  );
  const groups = new Map();
  const kinds = new Set(['vulnerable', 'malicious', 'unmaintained', 'unsound', 'notice']);
  for (const f of result.findings) {
    if (!kinds.has(f.kind) || !f.version) continue;
    const key = pkgKey(f.ecosystem, f.name, f.version);
    if (!groups.has(key)) groups.set(key, new Map());
    for (const a of f.evidence.advisories) groups.get(key).set(a.id, { ids: a.ids, kind: f.kind });
  }
  return { packages, groups, errors: result.errors };
}

function referenceSide(dir, files, advisories) {
  const packages = new Set();
  const matched = new Map();
  const unordered = new Set();
  for (const [ecosystem, name, version] of referencePackages(dir, files)) {
    const key = pkgKey(ecosystem, name, version);
    packages.add(key);
    for (const { record, affected } of advisories.get(`${ecosystem}\0${normalName(ecosystem, name)}`) ?? []) {
      if (ORDER[ecosystem](version.replace(/^v/, ''), version.replace(/^v/, '')) === undefined) {
        unordered.add(key);
        continue;
      }
      if (!affects(ecosystem, affected, version)) continue;
      if (!matched.has(key)) matched.set(key, new Set());
      matched.get(key).add(record.id);
    }
  }
  return { packages, matched, unordered };
}

function compare(reference, vouchSays) {
  const onlyReference = [...reference.packages].filter((p) => !vouchSays.packages.has(p));
  const onlyVouch = [...vouchSays.packages].filter((p) => !reference.packages.has(p));
  let pairs = 0;
  let agreed = 0;
  const missed = [];
  const extra = [];
  for (const [pkg, ids] of reference.matched) {
    const groups = [...(vouchSays.groups.get(pkg)?.values() ?? [])];
    for (const id of ids) {
      pairs++;
      if (groups.some((g) => g.ids.includes(id))) agreed++;
      else missed.push(`${pkg} ${id}`);
    }
  }
  let vouchPairs = 0;
  for (const [pkg, groups] of vouchSays.groups)
    for (const [id, group] of groups) {
      vouchPairs++;
      const ids = reference.matched.get(pkg) ?? new Set();
      if (!group.ids.some((other) => ids.has(other))) extra.push(`${pkg} ${id} (${group.kind})`);
    }
  return { onlyReference, onlyVouch, pairs, agreed, vouchPairs, missed, extra };
}

export async function run() {
  const fetch = process.argv.includes('--fetch');
  if (!existsSync(OSV)) {
    console.log(`advisory-reference: ${OSV} is absent (../shared/data/osv); nothing was measured.`);
    return;
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const database = join(WORK, 'osv.sqlite');
  let t = performance.now();
  vouch(['db', 'import', OSV, '--database', database]);
  const importMs = performance.now() - t;
  t = performance.now();
  const advisories = loadAdvisories();
  const loadMs = performance.now() - t;

  const rows = [];
  const explanations = [];
  let vouchMs = 0;
  let referenceMs = 0;
  for (const entry of LIST) {
    const dir = join(LOCKFILES, entry.name);
    if (fetch) fetchMissing(entry, dir);
    if (!entry.files.every((f) => existsSync(join(dir, f)))) {
      rows.push([entry.name, entry.format, 'absent: run with --fetch']);
      continue;
    }
    t = performance.now();
    const v = vouchSide(dir, database);
    vouchMs += performance.now() - t;
    t = performance.now();
    const r = referenceSide(dir, entry.files, advisories);
    referenceMs += performance.now() - t;
    const c = compare(r, v);
    rows.push([
      entry.name,
      entry.format,
      `${r.packages.size}/${v.packages.size}`,
      `${c.onlyReference.length}/${c.onlyVouch.length}`,
      `${c.agreed}/${c.pairs}`,
      String(c.vouchPairs),
      String(c.missed.length + c.extra.length),
    ]);
    const lines = [
      ...c.onlyReference.map((p) => `package only the reference reads: ${p}`),
      ...c.onlyVouch.map((p) => `package only Vouch reads: ${p}`),
      ...c.missed.map((p) => `affected pair Vouch does not report: ${p}`),
      ...c.extra.map((p) => `affected pair only Vouch reports: ${p}`),
      ...[...r.unordered].map((p) => `version the reference cannot order: ${p}`),
      ...v.errors.map((e) => `Vouch error: ${e.file}: ${e.message}`),
    ];
    if (lines.length > 0)
      explanations.push(
        `${entry.name} (${entry.repo}@${entry.commit.slice(0, 10)}):`,
        ...lines.map((l) => `  ${l}`),
      );
  }
  const header = [
    'lockfile',
    'format',
    'packages ref/vouch',
    'only ref/only vouch',
    'pairs agreed/ref',
    'vouch groups',
    'disagreements',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  for (const row of [header, ...rows])
    console.log(row.map((cell, i) => (cell ?? '').padEnd(widths[i])).join('  '));
  console.log(explanations.length > 0 ? `\n${explanations.join('\n')}` : '\nNo disagreement.');
  console.log(
    `\nVouch: database import ${(importMs / 1000).toFixed(1)} s, scans ${(vouchMs / 1000).toFixed(1)} s (one process per lockfile); ` +
      `reference: loading the records ${(loadMs / 1000).toFixed(1)} s, matching ${(referenceMs / 1000).toFixed(1)} s; ` +
      `scans / matching ${(vouchMs / Math.max(referenceMs, 1)).toFixed(2)}×`,
  );
  writeFileSync(join(WORK, 'disagreements.txt'), `${explanations.join('\n')}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
