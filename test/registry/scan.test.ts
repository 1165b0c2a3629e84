import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import { PopularNames } from '../../src/model/popular.js';
import type { ScanResult } from '../../src/model/result.js';
import { type ScanOptions, scan } from '../../src/pipeline/scan.js';
import type { RegistryOptions } from '../../src/registry/resolve.js';
import { importOsv } from '../../src/vulndb/import.js';
import { fixturePath } from '../helpers.js';
import { NOW, packument, pypiProject, serveDemo } from './documents.js';
import { type FakeRegistry, startFakeRegistry } from './fake-registry.js';

const PROJECT = fixturePath('registry/scan/project');
const ANSWERS = fixturePath('registry/scan/answers');

const POPULAR = {
  npm: new PopularNames('npm', 'test list', [
    'lodash',
    'express',
    'react',
    'debug',
    'request',
    'body-parser',
    'cors',
  ]),
  PyPI: new PopularNames(
    'PyPI',
    'test list',
    ['requests', 'numpy', 'flask', 'urllib3'],
    [900, 800, 700, 600],
  ),
};

let registry: FakeRegistry;
let home: string;

beforeAll(async () => {
  registry = await startFakeRegistry();
  serveDemo(registry);
});
afterAll(() => registry.close());
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'vouch-registry-'));
  registry.requests.length = 0;
  registry.misbehave.clear();
  registry.downAfter = undefined;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function options(extra: Partial<RegistryOptions> = {}, scanExtra: Partial<ScanOptions> = {}): ScanOptions {
  return {
    cwd: PROJECT,
    database: false,
    ...scanExtra,
    registry: {
      npmRegistry: registry.npmUrl,
      pypiIndex: registry.pypiIndex,
      cache: join(home, 'registry.sqlite'),
      env: { HOME: home },
      now: NOW,
      popular: POPULAR,
      http: { retries: 1, backoffMs: 1, timeoutMs: 2000 },
      ...extra,
    },
  };
}

function kinds(result: ScanResult, name: string): string[] {
  return result.findings
    .filter((f) => f.name === name)
    .map((f) => f.kind)
    .sort();
}

function finding(result: ScanResult, kind: string, name: string): Finding {
  const found = result.findings.find((f) => f.kind === kind && f.name === name);
  if (!found)
    throw new Error(
      `no ${kind} finding for ${name}: ${JSON.stringify(result.findings.map((f) => [f.kind, f.name]))}`,
    );
  return found;
}

describe('registry checks in a scan', () => {
  it('reports what the registry says about each declared package', async () => {
    const result = await scan(['.'], options());
    expect(result.errors).toEqual([]);
    // npm and PyPI names are compared with popular ones: no warning that they were not.
    expect(result.warnings ?? []).not.toContainEqual(expect.stringMatching(/^typosquat/));

    const missing = finding(result, 'nonexistent', 'react-dom-helpers-pro');
    expect(missing.severity).toBe('high');
    expect(missing.location).toMatchObject({ file: 'package.json', line: 11 });
    expect(missing.evidence).toMatchObject({ why: 'not-found', registry: registry.npmUrl, via: 'network' });

    const holder = finding(result, 'nonexistent', 'discord-selfbot-v14');
    expect(holder.severity).toBe('critical');
    expect(holder.message).toMatch(/malicious package of this name was removed/);

    expect(finding(result, 'nonexistent', 'unpublished-pkg').message).toMatch(
      /every version .* was unpublished .*2023-02-02.*free for anyone to claim/,
    );
    expect(finding(result, 'nonexistent', 'huggingface-cli').location).toMatchObject({
      file: 'requirements.txt',
      line: 3,
    });

    expect(finding(result, 'unknown-version', 'debug').message).toMatch(
      /no version 2\.6\.99 .*latest is 4\.4\.0/,
    );
    expect(finding(result, 'unknown-version', 'left-pad').message).toMatch(/satisfies \^9\.0\.0/);

    const dep = finding(result, 'deprecated', 'request');
    expect(dep.message).toContain(
      '"request has been deprecated, see https://git.example.org/request/request/issues/3142"',
    );
    expect(dep.evidence).toMatchObject({ wholePackage: true, version: '2.88.2' });

    const yank = finding(result, 'yanked', 'requests');
    expect(yank.message).toMatch(
      /2\.32\.0 was yanked: "Yanked due to conflicts with CVE-2024-35195 mitigation"/,
    );

    const old = finding(result, 'outdated', 'express');
    expect(old.evidence).toMatchObject({
      version: '4.17.1',
      published: '2019-05-26T10:00:00.000Z',
      latest: '5.1.0',
      latestPublished: '2025-03-31T10:00:00.000Z',
      majorsBehind: 1,
    });
    expect(finding(result, 'outdated', 'flask').message).toMatch(
      /0\.12 \(2016-12-21\) is behind the latest 3\.1\.0 \(2024-11-13\) by 3 major versions and 7\.9 years/,
    );

    const squat = finding(result, 'typosquat', 'lodahs');
    expect(squat.evidence).toMatchObject({
      lookalikes: [{ name: 'lodash', confusion: 'transposed-letters' }],
    });
    expect(squat.message).toMatch(/did you mean lodash/);
    expect(finding(result, 'typosquat', 'reqeusts').severity).toBe('high');

    const fresh = finding(result, 'suspicious-new', 'lodahs');
    expect(fresh.severity).toBe('medium');
    expect(fresh.evidence).toMatchObject({ thin: true, ageDays: 11, versions: 1 });
    expect(finding(result, 'suspicious-new', 'brand-new-lib').message).toMatch(
      /first published 2026-05-25, 6 days ago/,
    );

    // Healthy packages are quiet: the range installs a current version, the package is established.
    expect(
      result.findings.filter((f) => ['@acme/widgets', 'numpy', 'simple-only-pkg'].includes(f.name)),
    ).toEqual([]);
    // Not asked about: it comes from a folder, not the registry.
    expect(registry.requests.some((r) => r.path.includes('local-thing'))).toBe(false);
  });

  it('never turns a trimmed document into a dated finding', async () => {
    const result = await scan(['.'], options());
    expect(kinds(result, 'trimmed-mirror')).toEqual([]);
    expect(result.unchecked).toContainEqual({
      ecosystem: 'npm',
      name: 'trimmed-mirror',
      check: 'suspicious-new',
      reason: expect.stringMatching(/no trustworthy publish dates/),
    });
  });

  it('reports a major version behind without dates, and says the dates are unknown', async () => {
    const result = await scan(['.'], options());
    const behind = finding(result, 'outdated', 'trimmed-major');
    expect(behind.message).toBe(
      "'trimmed-major' 1.0.0 is behind the latest 2.0.0 by 1 major version (publish dates unknown)",
    );
    // Without trusted dates nobody can tell whether the 1.x line is still maintained: no risk to disclose.
    expect(behind.evidence).toMatchObject({
      version: '1.0.0',
      latest: '2.0.0',
      majorsBehind: 1,
      lineMaintained: null,
    });
    expect(behind.evidence).not.toHaveProperty('published');
  });

  it('says "did you mean" for every missing name, from its stems and the registry\'s search, or that nothing is close', async () => {
    registry.npmSearch.set('react dom helpers pro', ['react-dom', 'react-dom-helpers', 'unrelated-thing']);
    const result = await scan(['.'], options());
    const missing = finding(result, 'nonexistent', 'react-dom-helpers-pro');
    expect(missing.message).toMatch(/; did you mean react-dom-helpers, react-dom, react\?$/);
    expect(missing.evidence?.suggestions).toEqual(['react-dom-helpers', 'react-dom', 'react']);
    expect(registry.requests.map((r) => r.path)).toContain('/npm/-/v1/search?text=react dom helpers pro');
    // An unpublished name gets the same help; here there is none to give, and the message says so.
    const unpublished = finding(result, 'nonexistent', 'unpublished-pkg');
    expect(unpublished.message).toMatch(
      /; no good candidate among popular npm names or the registry's search$/,
    );
    expect(unpublished.evidence?.suggestions).toEqual([]);
    // PyPI has no search to ask: only the popular names are.
    expect(finding(result, 'nonexistent', 'huggingface-cli').message).toMatch(
      /; (?:did you mean|no good candidate among popular PyPI names$)/,
    );
    // A security placeholder's name belonged to malware: nothing is suggested in its place.
    expect(finding(result, 'nonexistent', 'discord-selfbot-v14').evidence).not.toHaveProperty('suggestions');
  });

  it('asks for scoped names URL-encoded and for each package once', async () => {
    await scan(['.'], options());
    const paths = registry.requests.map((r) => r.path);
    expect(paths).toContain('/npm/@acme/widgets');
    const raw = registry.requests.length;
    expect(new Set(paths).size).toBe(raw);
  });

  it('resolves an answer’s undeclared import through the declared package’s dependencies', async () => {
    const result = await scan(['express-app.md'], options({}, { cwd: ANSWERS }));
    const chain = finding(result, 'transitive-only', 'body-parser');
    expect(chain.evidence).toMatchObject({ chain: ['express', 'body-parser'] });
    expect(chain.message).toMatch(
      /the answer installs it only as a dependency of express \(express → body-parser, per the registry\)/,
    );
    expect(finding(result, 'undeclared', 'cors').location.line).toBe(12);
    expect(result.findings.some((f) => f.kind === 'undeclared' && f.name === 'body-parser')).toBe(false);
  });

  it('asks about a capitalised name an answer imports: an answer has no modules of its own', async () => {
    registry.npm.set(
      'JSONStream',
      packument('JSONStream', { versions: [{ version: '1.3.5', published: '2018-10-08T10:00:00.000Z' }] }),
    );
    const result = await scan(['capitalised.md'], options({}, { cwd: ANSWERS }));
    // One finding for the made-up name, never a guess left unasked.
    expect(kinds(result, 'cocoaDialog')).toEqual(['nonexistent', 'undisclosed-risk']);
    expect(finding(result, 'nonexistent', 'cocoaDialog').location.line).toBe(4);
    expect(result.unchecked.filter((u) => u.name === 'cocoaDialog')).toEqual([]);
    // npm still serves names from before it refused capitals.
    expect(kinds(result, 'JSONStream')).toEqual(['undeclared']);
  });

  it('asks the usual distribution names of an import name the index lacks, and names the one found', async () => {
    const release = { releases: [{ version: '1.0.0', uploaded: '2020-01-01T00:00:00Z' }] };
    registry.pypi.set('quuxlib-py', pypiProject('quuxlib-py', release));
    registry.pypi.set('scikit-wobble', pypiProject('scikit-wobble', release));
    registry.pypi.set('acme-widgets-core', pypiProject('acme-widgets-core', release));
    const result = await scan(['import-names.md'], options({}, { cwd: ANSWERS }));
    // The answer installs quuxlib-py and scikit-wobble: importing them under their module names is right.
    expect(kinds(result, 'quuxlib')).toEqual([]);
    expect(kinds(result, 'skwobble')).toEqual([]);
    // acme.widgets.core is published as acme-widgets-core, which the answer never installs: a softer
    // finding that names it, not a hallucination.
    const acme = finding(result, 'import-name', 'acme');
    expect(acme.severity).toBe('low');
    expect(acme.message).toMatch(
      /^import name 'acme\.widgets\.core' is not a distribution in .*; probably 'acme-widgets-core' .*: nothing installs or declares it/,
    );
    expect(acme.evidence).toMatchObject({ distribution: 'acme-widgets-core', asked: ['acme-widgets-core'] });
    expect(kinds(result, 'acme')).toEqual(['import-name']);
    // No usual name exists for a made-up module: it stays nonexistent, after a bounded number of requests.
    expect(finding(result, 'nonexistent', 'flurbnicator').severity).toBe('low');
    const asked = registry.requests
      .map((r) => /^\/pypi\/([^/]*flurbnicator[^/]*)\/json$/.exec(r.path)?.[1])
      .filter((name) => name !== undefined);
    expect(asked).toEqual([
      'flurbnicator',
      'flurbnicator-py',
      'pyflurbnicator',
      'python-flurbnicator',
      'flurbnicator-python',
      'py-flurbnicator',
    ]);
  });

  it('without registry options the library asks no registry', async () => {
    const result = await scan(['.'], { cwd: PROJECT, database: false });
    expect(registry.requests).toEqual([]);
    expect(result.checks).toContainEqual({
      id: 'nonexistent',
      status: 'skipped',
      reason: 'registry checks are off',
    });
  });
});

describe('a registry that fails', () => {
  it('makes packages unchecked with the reason, never nonexistent', async () => {
    for (const path of ['/npm/express', '/npm/lodahs']) registry.misbehave.set(path, { status: 500 });
    registry.misbehave.set('/npm/request', { invalidJson: true });
    registry.misbehave.set('/npm/debug', { truncate: true });
    registry.misbehave.set('/pypi/requests/json', { status: 429, retryAfter: '3600' });
    registry.misbehave.set('/pypi/flask/json', { delayMs: 3000 });
    const result = await scan(['.'], options({ http: { retries: 1, backoffMs: 1, timeoutMs: 300 } }));
    const reasons = Object.fromEntries(
      result.unchecked.filter((u) => u.check === 'registry').map((u) => [u.name, u.reason]),
    );
    expect(reasons.express).toMatch(/HTTP 500 \(after 2 attempts\)/);
    expect(reasons.lodahs).toMatch(/HTTP 500/);
    expect(reasons.request).toMatch(/invalid JSON/);
    expect(reasons.debug).toMatch(/truncated answer|connection reset|network error/);
    expect(reasons.requests).toMatch(/rate limited \(HTTP 429\): the registry asks to wait 3600 s/);
    expect(reasons.flask).toMatch(/timed out/);
    for (const name of ['express', 'lodahs', 'request', 'debug', 'requests', 'flask'])
      expect(result.findings.filter((f) => f.name === name && f.kind !== 'typosquat')).toEqual([]);
    expect(result.warnings?.join('\n')).toMatch(/could not be asked about 4 packages/);
  });

  it('retries a 429 after the Retry-After it asks for, and a 503, and then answers', async () => {
    registry.misbehave.set('/npm/express', { status: 429, retryAfter: '1', times: 1 });
    registry.misbehave.set('/npm/request', { status: 503, times: 1 });
    const started = Date.now();
    const result = await scan(['.'], options({ http: { retries: 2, backoffMs: 1 } }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.unchecked.filter((u) => u.check === 'registry')).toEqual([]);
    expect(kinds(result, 'express')).toEqual(['outdated']);
    expect(kinds(result, 'request')).toEqual(['deprecated']);
  });

  it('going down mid-scan leaves the rest unchecked, each with its reason', async () => {
    registry.downAfter = 5;
    const result = await scan(['.'], options({ concurrency: 1 }));
    const unchecked = result.unchecked.filter((u) => u.check === 'registry');
    const answered = new Set(result.findings.map((f) => f.name));
    // 11 npm + 6 PyPI names; 5 requests answered, the rest could not be asked.
    expect(unchecked.length).toBeGreaterThanOrEqual(10);
    for (const u of unchecked) {
      expect(u.reason).toMatch(/HTTP 503/);
      expect(result.findings.filter((f) => f.name === u.name && f.kind === 'nonexistent')).toEqual([]);
    }
    expect(answered.size).toBeGreaterThan(0);
  });

  it('stops at the scan-wide deadline however slowly the registry trickles, and says so', async () => {
    for (const path of ['/npm/express', '/npm/debug', '/npm/request', '/pypi/flask/json'])
      registry.misbehave.set(path, { trickle: true });
    const started = performance.now();
    // Neither the idle timeout (each byte comes within it) nor the per-request deadline fire first.
    const result = await scan(
      ['.'],
      options({ deadlineMs: 500, http: { retries: 2, backoffMs: 1, timeoutMs: 5000, deadlineMs: 60_000 } }),
    );
    expect(performance.now() - started).toBeLessThan(15_000);
    const reasons = Object.fromEntries(
      result.unchecked.filter((u) => u.check === 'registry').map((u) => [u.name, u.reason]),
    );
    for (const name of ['express', 'debug', 'request', 'flask']) {
      expect(reasons[name]).toMatch(/the registry checks ran out of time \(0\.5 s for the whole scan/);
      expect(result.findings.filter((f) => f.name === name && f.kind === 'nonexistent')).toEqual([]);
    }
  });

  it('a registry nobody listens on is unchecked: connection refused', async () => {
    const result = await scan(
      ['.'],
      options({
        npmRegistry: 'http://127.0.0.1:9/npm/',
        pypiIndex: 'http://127.0.0.1:9/simple/',
        http: { retries: 0 },
      }),
    );
    expect(result.findings.filter((f) => f.kind === 'nonexistent')).toEqual([]);
    const reasons = result.unchecked.filter((u) => u.check === 'registry');
    expect(reasons.length).toBe(18);
    expect(reasons[0]!.reason).toMatch(/^http:\/\/127\.0\.0\.1:9\/(npm|simple)\/: connection refused/);
  });
});

describe('offline', () => {
  it('answers from the cache only, and says what it could not check', async () => {
    const empty = await scan(['.'], options({}, { offline: true }));
    expect(registry.requests).toEqual([]);
    expect(empty.findings.filter((f) => f.kind === 'nonexistent')).toEqual([]);
    expect(empty.unchecked.find((u) => u.name === 'express')?.reason).toMatch(
      /offline, and the registry cache has no answer/,
    );

    await scan(['.'], options());
    const online = registry.requests.length;
    const cached = await scan(['.'], options({}, { offline: true }));
    expect(registry.requests.length).toBe(online);
    expect(kinds(cached, 'express')).toEqual(['outdated']);
    expect(kinds(cached, 'react-dom-helpers-pro')).toEqual(['nonexistent']);
  });
});

describe('the registry cache', () => {
  it('keeps a found package for 24 hours and a missing one for 1 hour, then asks again', async () => {
    const project = join(home, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ dependencies: { express: '4.17.1', 'react-dom-helpers-pro': '2.1.0' } }),
    );
    const HOUR = 60 * 60 * 1000;
    /** The registry paths one scan asks for, `after` ms past the first scan. */
    const asked = async (after: number) => {
      registry.requests.length = 0;
      await scan(['.'], options({ now: new Date(NOW.getTime() + after) }, { cwd: project }));
      return registry.requests.map((r) => r.path).sort();
    };
    // The missing name is also searched for ("did you mean"); the search's answer is kept like a found one.
    const search = '/npm/-/v1/search?text=react dom helpers pro';
    expect(await asked(0)).toEqual([search, '/npm/express', '/npm/react-dom-helpers-pro']);
    expect(await asked(HOUR - 1)).toEqual([]);
    expect(await asked(HOUR)).toEqual(['/npm/react-dom-helpers-pro']);
    // The 404 asked again at 1 h is stale again from 2 h; the found package stays fresh until 24 h.
    expect(await asked(24 * HOUR - 1)).toEqual(['/npm/react-dom-helpers-pro']);
    expect(await asked(24 * HOUR)).toEqual([search, '/npm/express']);
  });
});

describe('the vulnerability check of a range', () => {
  it('is made at the version a fresh install picks today, per the registry', async () => {
    const record = (id: string, name: string, events: Record<string, string>[]) => ({
      id,
      modified: '2025-01-01T00:00:00Z',
      published: '2025-01-01T00:00:00Z',
      summary: `${name} flaw`,
      affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events }] }],
    });
    const osv = join(home, 'osv');
    mkdirSync(osv);
    writeFileSync(
      join(osv, 'a.json'),
      JSON.stringify(record('GHSA-test-0001', 'express', [{ introduced: '4.0.0' }, { fixed: '4.21.0' }])),
    );
    writeFileSync(
      join(osv, 'b.json'),
      JSON.stringify(record('GHSA-test-0002', 'debug', [{ introduced: '0' }])),
    );
    const database = join(home, 'osv.sqlite');
    await importOsv([osv], database);
    const project = join(home, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ dependencies: { express: '^4.0.0', debug: '^4.0.0' } }, null, 2),
    );
    const result = await scan(['.'], { ...options(), cwd: project, database });
    const express = finding(result, 'range-allows-vulnerable', 'express');
    expect(express.message).toMatch(/a fresh install gets 4\.21\.2 today, which is not affected/);
    expect(express.evidence).toMatchObject({ installsToday: { version: '4.21.2', advisories: [] } });
    const debug = finding(result, 'range-allows-vulnerable', 'debug');
    expect(debug.message).toMatch(
      /a fresh install gets 4\.4\.0 today, which is affected \(GHSA-test-0002 \[severity unknown\]\)/,
    );
    expect(express.severity).toBe('info');
    expect(debug.severity).toBe('medium');
  });
});
