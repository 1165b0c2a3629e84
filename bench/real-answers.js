// Benchmark: accuracy of the `nonexistent` finding on real model answers that nobody here wrote
// (bench/real-answers/README.md). Each labelled answer is read from the public datasets it comes from,
// checked with `vouch check` against a fake registry on 127.0.0.1 that knows exactly the names labelled
// real (an oracle built from the labels), and the `nonexistent` findings are scored against the labels:
// precision and recall overall, per answer shape and per language, with every false positive and false
// negative listed by answer id.
//
// The answers themselves never enter this repository: VOUCH_REAL_ANSWERS names the folder holding the
// datasets at their pinned commits (default /work/bench-cache/answers). Without them, this prints how to
// get them and exits 0.
//
// Environment: VOUCH_REAL_ANSWERS (datasets folder), BENCH_ANSWERS_BATCH (answers per `vouch check`
// process, default 50; 1 runs one process per answer), BENCH_ANSWERS_ONLY (a regular expression: only the
// answers whose id matches), BENCH_ANSWERS_JSON (write the full result there), BENCH_ANSWERS_WRAP=1 (a
// diagnostic: hand Vouch every answer labelled unfenced-whole wrapped in a fence of its language, which
// shows what a reader that finds unfenced code could reach), BENCH_PYPI_NAMES (a file of PyPI project names,
// one per line, first tab-separated column: the oracle then also knows every listed name not labelled
// hallucinated, so that the distribution names Vouch guesses for unknown import names get a real answer).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const LABELS = join(here, 'real-answers', 'labels.json');
const DATA = resolve(process.env.VOUCH_REAL_ANSWERS ?? '/work/bench-cache/answers');
const BATCH = Math.max(1, Number(process.env.BENCH_ANSWERS_BATCH ?? 50));
const OUT = process.env.BENCH_ANSWERS_JSON;
const WRAP = process.env.BENCH_ANSWERS_WRAP === '1';
const PYPI_NAMES = process.env.BENCH_PYPI_NAMES;
const ONLY = process.env.BENCH_ANSWERS_ONLY ? new RegExp(process.env.BENCH_ANSWERS_ONLY) : undefined;

/** PEP 503 normalisation: how PyPI compares project names. */
const pep503 = (name) => name.replace(/[-_.]+/g, '-').toLowerCase();
const keyOf = (ecosystem, name) => `${ecosystem}:${ecosystem === 'PyPI' ? pep503(name) : name}`;

/** The folder of each dataset under DATA: its repository's name. */
const folderOf = (dataset) => join(DATA, dataset.repository.split('/')[1]);

function howToGet(datasets) {
  const lines = [
    `The answers are not here (${DATA}). They stay outside the project; to get them, for each dataset:`,
  ];
  for (const d of Object.values(datasets)) {
    lines.push(
      `  git clone https://github.com/${d.repository} ${folderOf(d)} && git -C ${folderOf(d)} checkout ${d.commit}`,
    );
  }
  lines.push('or point VOUCH_REAL_ANSWERS at a folder that holds those checkouts. Nothing was measured.');
  return lines.join('\n');
}

/** The text of every labelled answer, read from the datasets; undefined when a dataset is missing. */
function loadAnswers(labels) {
  const files = new Map();
  const read = (dataset, path) => {
    const file = join(folderOf(labels.datasets[dataset]), path);
    if (!files.has(file)) {
      if (!existsSync(file)) return undefined;
      const text = readFileSync(file, 'utf8');
      files.set(file, file.endsWith('.jsonl') ? text.split('\n').filter(Boolean) : JSON.parse(text));
    }
    return files.get(file);
  };
  const texts = new Map();
  for (const answer of labels.answers) {
    const doc = read(answer.dataset, answer.path);
    if (doc === undefined) return undefined;
    let text;
    if (answer.key) text = doc[answer.key[0]]?.[answer.key[1]];
    else if (answer.line !== undefined) text = JSON.parse(doc[answer.line] ?? 'null')?.[answer.field];
    if (typeof text !== 'string') throw new Error(`${answer.id}: no answer at ${answer.path} in the dataset`);
    texts.set(answer.id, text);
  }
  return texts;
}

// The oracle ------------------------------------------------------------------------------------------

/** The names a real registry would know, from the labels: every name labelled real, and for Python the
 * import name too where that name is itself a PyPI project (sklearn, bs4). */
function knownNames(labels) {
  const known = { npm: new Set(), PyPI: new Set() };
  for (const answer of labels.answers) {
    for (const n of answer.names) {
      if (n.label !== 'real') continue;
      known[n.ecosystem].add(n.ecosystem === 'PyPI' ? pep503(n.name) : n.name);
      if (n.ecosystem === 'PyPI' && n.import && n.registryKnowsImport) known.PyPI.add(pep503(n.import));
    }
  }
  if (PYPI_NAMES) {
    // Labels win: a name labelled hallucinated stays unknown even if the list has it.
    const hallucinated = new Set();
    for (const answer of labels.answers)
      for (const n of answer.names)
        if (n.ecosystem === 'PyPI' && n.label === 'hallucinated') {
          hallucinated.add(pep503(n.name));
          if (n.import) hallucinated.add(pep503(n.import));
        }
    for (const line of readFileSync(PYPI_NAMES, 'utf8').split('\n')) {
      const name = pep503(line.split('\t', 1)[0] ?? '');
      if (name !== '' && !hallucinated.has(name)) known.PyPI.add(name);
    }
  }
  return known;
}

const OLD = '2019-05-01T00:00:00.000Z';
const RECENT = '2024-03-01T00:00:00.000Z';

function packument(name) {
  const version = (v) => ({
    name,
    version: v,
    dependencies: {},
    dist: { tarball: `http://127.0.0.1/${v}.tgz` },
  });
  return JSON.stringify({
    _id: name,
    name,
    'dist-tags': { latest: '2.0.0' },
    versions: { '1.0.0': version('1.0.0'), '2.0.0': version('2.0.0') },
    time: { created: OLD, modified: RECENT, '1.0.0': OLD, '2.0.0': RECENT },
    maintainers: [{ name: 'oracle' }],
  });
}

function pypiProject(name) {
  const file = (v, at) => [{ filename: `${name}-${v}.tar.gz`, upload_time_iso_8601: at, yanked: false }];
  return JSON.stringify({
    info: { name, version: '2.0.0', requires_dist: null, project_urls: null },
    releases: { '1.0.0': file('1.0.0', OLD), '2.0.0': file('2.0.0', RECENT) },
  });
}

/** npm packuments at /npm/<name>, the PyPI JSON API at /pypi/pypi/<name>/json and the Simple API at
 * /pypi/simple/<name>/ for the names the oracle knows; 404 for every other name. */
/** What the oracle answers for one request path: a document and its type, or undefined (a 404). */
function oracleAnswer(known, path) {
  const npm = /^\/npm\/(.+)$/.exec(path);
  if (npm) return known.npm.has(npm[1]) ? { type: 'application/json', body: packument(npm[1]) } : undefined;
  const json = /^\/pypi\/pypi\/([^/]+)\/(?:[^/]+\/)?json$/.exec(path);
  if (json)
    return known.PyPI.has(pep503(json[1]))
      ? { type: 'application/json', body: pypiProject(json[1]) }
      : undefined;
  const simple = /^\/pypi\/simple\/([^/]+)\/?$/.exec(path);
  if (simple && known.PyPI.has(pep503(simple[1]))) {
    const name = pep503(simple[1]);
    return {
      type: 'application/vnd.pypi.simple.v1+json',
      body: JSON.stringify({
        meta: { 'api-version': '1.1' },
        name,
        versions: ['1.0.0', '2.0.0'],
        files: [{ filename: `${name}-2.0.0.tar.gz`, url: 'x', hashes: {}, 'upload-time': RECENT }],
      }),
    };
  }
  return undefined;
}

async function startOracle(known) {
  const server = createServer((req, res) => {
    const answer = oracleAnswer(known, decodeURIComponent((req.url ?? '/').split('?')[0]));
    if (!answer) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    npm: `${base}/npm/`,
    pypi: `${base}/pypi/simple/`,
    close: () => new Promise((done) => server.close(done)),
  };
}

// Running Vouch -----------------------------------------------------------------------------------------

function runCheck(files, oracle, work) {
  const args = [
    join(root, 'bin', 'vouch.js'),
    'check',
    ...files,
    '--format',
    'json',
    '--fail-on',
    'none',
    '--no-database',
    '--npm-registry',
    oracle.npm,
    '--pypi-index',
    oracle.pypi,
  ];
  // A home, configuration and cache of its own: no user .npmrc/pip.conf, no cached registry answers.
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    XDG_CACHE_HOME: join(work, 'cache'),
    XDG_CONFIG_HOME: join(work, 'config'),
    PIP_CONFIG_FILE: '/dev/null',
    npm_config_userconfig: join(work, 'npmrc'),
    npm_config_globalconfig: join(work, 'npmrc'),
    NO_COLOR: '1',
  };
  return new Promise((done, fail) => {
    // Asynchronously: the oracle answers from this very process.
    const child = spawn(process.execPath, args, { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The `nonexistent` findings (and the softer `import-name` ones, listed apart) of one JSON report, by answer file. */
function nonexistentByFile(report, work) {
  const out = new Map();
  for (const finding of report.findings ?? []) {
    if (finding.kind !== 'nonexistent' && finding.kind !== 'import-name') continue;
    const pkg = finding.package ?? finding.ref ?? finding;
    const file = resolve(work, finding.location?.file ?? pkg.location?.file ?? '');
    const entry = {
      ecosystem: pkg.ecosystem,
      name: pkg.name,
      severity: finding.severity,
      kind: finding.kind,
    };
    if (!out.has(file)) out.set(file, []);
    out.get(file).push(entry);
  }
  return out;
}

// Scoring -----------------------------------------------------------------------------------------------

const scored = (n) => n.via.includes('import') || n.via.includes('install');

function score(labels, found) {
  const cases = [];
  for (const answer of labels.answers) {
    const byKey = new Map();
    for (const n of answer.names) {
      byKey.set(keyOf(n.ecosystem, n.name), n);
      if (n.import) byKey.set(keyOf(n.ecosystem, n.import), n);
    }
    const hit = new Set();
    for (const f of found.get(answer.id) ?? []) {
      const n = byKey.get(keyOf(f.ecosystem, f.name));
      let outcome;
      // An import-name finding says the name is no distribution but a usual one exists: not scored as
      // nonexistent (a hallucinated name it lands on is a false negative), listed apart.
      if (f.kind === 'import-name') outcome = `import-name-${n?.label ?? 'unlabelled'}`;
      else if (!n) outcome = 'fp-unlabelled';
      else if (n.label === 'unsure' || !scored(n)) outcome = 'ignored';
      else if (n.label === 'real') outcome = 'fp-real';
      else outcome = 'tp';
      if (n && outcome === 'tp') {
        if (hit.has(n)) continue; // the same label met twice (import name and project name)
        hit.add(n);
      }
      cases.push({ answer, outcome, ecosystem: f.ecosystem, name: f.name, label: n });
    }
    for (const n of answer.names) {
      if (n.label === 'hallucinated' && scored(n) && !hit.has(n))
        cases.push({ answer, outcome: 'fn', ecosystem: n.ecosystem, name: n.name, label: n });
    }
  }
  return cases;
}

function figures(cases, answers) {
  const ids = new Set(answers.map((a) => a.id));
  const mine = cases.filter((c) => ids.has(c.answer.id));
  const count = (o) =>
    mine.filter((c) => (Array.isArray(o) ? o.includes(c.outcome) : c.outcome === o)).length;
  const tp = count('tp');
  const fp = count(['fp-real', 'fp-unlabelled']);
  const fn = count('fn');
  const labelled = answers.reduce(
    (sum, a) => sum + a.names.filter((n) => n.label === 'hallucinated' && scored(n)).length,
    0,
  );
  return {
    answers: answers.length,
    hallucinated: labelled,
    tp,
    fp,
    fn,
    precision: tp + fp ? tp / (tp + fp) : undefined,
    recall: tp + fn ? tp / (tp + fn) : undefined,
  };
}

const f2 = (x) => (x === undefined ? '  n/a' : x.toFixed(2));

function printTable(title, rows) {
  console.log(title);
  console.log('  group                     answers  halluc.   TP   FP   FN  precision  recall');
  for (const [name, f] of rows) {
    console.log(
      `  ${name.padEnd(24)} ${String(f.answers).padStart(8)} ${String(f.hallucinated).padStart(8)} ${String(f.tp).padStart(4)} ${String(f.fp).padStart(4)} ${String(f.fn).padStart(4)}  ${f2(f.precision).padStart(9)}  ${f2(f.recall).padStart(6)}`,
    );
  }
}

export async function run() {
  const labels = JSON.parse(readFileSync(LABELS, 'utf8'));
  // The answers the reader was tuned on carry no set; the held-out ones were labelled after it was done.
  for (const answer of labels.answers) answer.set ??= 'tuning';
  if (ONLY) labels.answers = labels.answers.filter((a) => ONLY.test(a.id));
  const texts = loadAnswers(labels);
  if (!texts) {
    console.log(howToGet(labels.datasets));
    return undefined;
  }
  if (!existsSync(join(root, 'dist', 'vouch.js'))) {
    console.log('dist/vouch.js is missing: run `npm run build` first. Nothing was measured.');
    return undefined;
  }
  const oracle = await startOracle(knownNames(labels));
  const work = mkdtempSync(join(tmpdir(), 'vouch-bench-answers-'));
  const started = performance.now();
  const found = new Map();
  const errors = [];
  const failed = new Set(); // answers Vouch reported a per-file error for (a syntax error, mostly)
  try {
    writeFileSync(join(work, 'npmrc'), '');
    if (process.env.BENCH_ANSWERS_KEEP) console.log(`work folder: ${work}`);
    const dir = join(work, 'answers');
    mkdirSync(dir);
    const byFile = new Map();
    for (const answer of labels.answers) {
      const file = join(dir, `${answer.id}.md`);
      const text = texts.get(answer.id);
      const wrap = WRAP && answer.shape === 'unfenced-whole';
      writeFileSync(file, wrap ? `\`\`\`${answer.language}\n${text.trim()}\n\`\`\`\n` : text);
      byFile.set(file, answer.id);
    }
    const all = [...byFile.keys()];
    for (let i = 0; i < all.length; i += BATCH) {
      const batch = all.slice(i, i + BATCH);
      const result = await runCheck(batch, oracle, work);
      let report;
      try {
        report = JSON.parse(result.stdout);
      } catch {
        errors.push(
          `answers ${i + 1}–${i + batch.length}: exit ${result.status}, no JSON report: ${result.stderr.slice(0, 300)}`,
        );
        continue;
      }
      for (const [file, list] of nonexistentByFile(report, work)) {
        const id = byFile.get(file);
        if (!id) {
          errors.push(`a finding in ${file}, which is no answer of this batch`);
          continue;
        }
        found.set(id, [...(found.get(id) ?? []), ...list]);
      }
      for (const e of report.errors ?? []) {
        const id = byFile.get(resolve(work, e.file ?? ''));
        if (id) failed.add(id);
        errors.push(`${id ?? e.file}: ${e.message ?? JSON.stringify(e)}`);
      }
    }
  } finally {
    await oracle.close();
    rmSync(work, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;

  const cases = score(labels, found);
  const answers = labels.answers;
  const groups = (key) => {
    const values = [...new Set(answers.map((a) => a[key]))].sort();
    return values.map((v) => [
      `${key} ${v}`,
      figures(
        cases,
        answers.filter((a) => a[key] === v),
      ),
    ]);
  };
  const overall = figures(cases, answers);
  const datasets = Object.entries(labels.datasets)
    .map(([k, d]) => `${k} = ${d.repository}@${d.commit.slice(0, 8)}`)
    .join(', ');
  console.log(
    `${answers.length} labelled real answers (${datasets}); vouch check against the label oracle, ${seconds.toFixed(0)} s`,
  );
  printTable('nonexistent findings scored against the labels', [
    ['all', overall],
    ...groups('set'),
    ...groups('shape'),
    ...groups('language'),
  ]);
  const ignored = cases.filter((c) => c.outcome === 'ignored').length;
  console.log(
    `  (${ignored} findings on names labelled unsure or only imported dynamically were not scored)`,
  );
  const perShape = new Map();
  for (const a of answers) if (failed.has(a.id)) perShape.set(a.shape, (perShape.get(a.shape) ?? 0) + 1);
  const errorShapes = [...perShape].map(([shape, n]) => `${shape} ${n}`);
  console.log(
    `answers with a per-file error (exit code 2): ${failed.size} of ${answers.length}${errorShapes.length ? ` (${errorShapes.join(', ')})` : ''}`,
  );
  const list = (outcomes, title) => {
    const rows = cases.filter((c) => outcomes.includes(c.outcome));
    console.log(`${title}: ${rows.length}`);
    for (const c of rows) {
      const why =
        c.outcome === 'fp-unlabelled'
          ? ' (no label: not a package the answer names)'
          : c.outcome === 'fp-real'
            ? ' (labelled real)'
            : '';
      console.log(`  ${c.answer.id.padEnd(40)} ${c.answer.shape.padEnd(15)} ${c.ecosystem} ${c.name}${why}`);
    }
  };
  list(['fp-real', 'fp-unlabelled'], 'false positives');
  const importNames = cases.filter((c) => c.outcome.startsWith('import-name-'));
  console.log(`import-name findings (not scored; the label of the name): ${importNames.length}`);
  for (const c of importNames)
    console.log(
      `  ${c.answer.id.padEnd(40)} ${c.answer.shape.padEnd(15)} ${c.ecosystem} ${c.name} (${c.outcome.slice(12)})`,
    );
  list(['fn'], 'false negatives');
  if (errors.length) {
    console.log(`per-file errors: ${errors.length}${errors.length > 20 ? ' (the first 20)' : ''}`);
    for (const e of errors.slice(0, 20)) console.log(`  ${e}`);
  }
  const result = {
    overall,
    bySet: Object.fromEntries(groups('set')),
    byShape: Object.fromEntries(groups('shape')),
    byLanguage: Object.fromEntries(groups('language')),
    cases: cases
      .filter((c) => c.outcome !== 'tp')
      .map((c) => ({
        id: c.answer.id,
        shape: c.answer.shape,
        outcome: c.outcome,
        ecosystem: c.ecosystem,
        name: c.name,
      })),
    failed: [...failed],
    errors,
  };
  if (OUT) writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
