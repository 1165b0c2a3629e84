import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import {
  addRegistryScanOptions,
  type RegistryFlags,
  registryArguments,
  registryScanOptions,
} from '../../src/cli/registry-options.js';
import { fixturePath } from '../helpers.js';
import { serveDemo } from '../registry/documents.js';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.js';

const PROJECT = fixturePath('registry/scan/project');

let registry: FakeRegistry;
let home: string;
beforeAll(async () => {
  registry = await startFakeRegistry();
  serveDemo(registry);
});
afterAll(() => registry.close());
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'vouch-cli-registry-'));
  registry.requests.length = 0;
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    // Only the temporary home and cache: no npm on PATH, no user configuration of this machine.
    env: { HOME: home, VOUCH_CACHE_DIR: join(home, 'cache'), ...options.env },
    cwd: options.cwd ?? PROJECT,
    readStdin: async () => '',
  };
  const exit = await main(args, io);
  return { exit, stdout, stderr };
}

const JSON_SCAN = ['scan', '--format', 'json', '--no-database'];

describe('vouch scan with registry checks', () => {
  it('asks the registries named on the command line and reports their findings', async () => {
    const out = await run([
      ...JSON_SCAN,
      '--npm-registry',
      registry.npmUrl,
      '--pypi-index',
      registry.pypiIndex,
    ]);
    expect(out.exit).toBe(1);
    const result = JSON.parse(out.stdout);
    const kinds = new Set(result.findings.map((f: { kind: string }) => f.kind));
    for (const kind of ['nonexistent', 'unknown-version', 'deprecated', 'yanked', 'outdated'])
      expect(kinds).toContain(kind);
    expect(result.checks.find((c: { id: string }) => c.id === 'nonexistent')).toEqual({
      id: 'nonexistent',
      status: 'ran',
    });
  });

  it('reads the registry from the project .npmrc and the index from PIP_INDEX_URL', async () => {
    const project = mkdtempSync(join(home, 'project-'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ dependencies: { 'react-dom-helpers-pro': '1.0.0' } }),
    );
    writeFileSync(join(project, '.npmrc'), `registry=${registry.npmUrl}\n`);
    writeFileSync(join(project, 'requirements.txt'), 'huggingface-cli==0.1.0\n');
    const out = await run(JSON_SCAN, { cwd: project, env: { PIP_INDEX_URL: registry.pypiIndex } });
    const names = JSON.parse(out.stdout)
      .findings.filter((f: { kind: string }) => f.kind === 'nonexistent')
      .map((f: { name: string }) => f.name);
    expect(names.sort()).toEqual(['huggingface-cli', 'react-dom-helpers-pro']);
  });

  it('without a configured registry, every package is listed as not checked, with the reason', async () => {
    const out = await run(['scan', '--no-database']);
    // Only the name-similarity check needs no registry: it works from the popular-names lists alone.
    expect(out.exit).toBe(1);
    expect(out.stdout).toMatch(/typosquat\s+npm:lodahs/);
    expect(out.stdout).not.toMatch(/nonexistent/);
    expect(out.stdout).toMatch(/Not checked/);
    expect(out.stdout).toMatch(
      /npm:express\s+registry: no npm registry configured \(set registry in \.npmrc or npm_config_registry\)/,
    );
    expect(registry.requests).toEqual([]);
  });

  it('--offline never touches the network; --no-registry skips the checks', async () => {
    await run([...JSON_SCAN, '--npm-registry', registry.npmUrl, '--pypi-index', registry.pypiIndex]);
    const asked = registry.requests.length;
    const offline = await run([
      ...JSON_SCAN,
      '--offline',
      '--npm-registry',
      registry.npmUrl,
      '--pypi-index',
      registry.pypiIndex,
    ]);
    expect(registry.requests.length).toBe(asked);
    expect(JSON.parse(offline.stdout).findings.some((f: { kind: string }) => f.kind === 'nonexistent')).toBe(
      true,
    );
    const off = JSON.parse(
      (await run([...JSON_SCAN, '--no-registry', '--npm-registry', registry.npmUrl])).stdout,
    );
    expect(off.checks.find((c: { id: string }) => c.id === 'typosquat')).toMatchObject({ status: 'skipped' });
    expect(registry.requests.length).toBe(asked);
  });

  it('a registry answering nonsense (an empty object, a status document, a captive portal) proves no name missing', async () => {
    const project = mkdtempSync(join(home, 'project-'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ dependencies: { 'empty-answer': '1.0.0', 'status-answer': '2.0.0' } }),
    );
    writeFileSync(join(project, 'requirements.txt'), 'portal-answer==1.0\n');
    registry.misbehave.set('/npm/empty-answer', { body: '{}', contentType: 'application/json' });
    registry.misbehave.set('/npm/status-answer', {
      body: '{"status":"ok"}',
      contentType: 'application/json',
    });
    const portal = {
      body: '<html><body><h1>Sign in to the guest network</h1><a href="/login">Log in</a></body></html>',
      contentType: 'text/html',
    };
    // No JSON API (as on mirrors without one): the Simple page is the evidence, and it is a login page.
    registry.misbehave.set('/pypi/portal-answer/json', { status: 404 });
    registry.misbehave.set('/simple/portal-answer/', portal);
    try {
      const out = await run(
        [...JSON_SCAN, '--no-config', '--npm-registry', registry.npmUrl, '--pypi-index', registry.pypiIndex],
        { cwd: project },
      );
      const result = JSON.parse(out.stdout);
      // Every name was asked about, and none came back as evidence either way.
      expect(registry.requests.map((r) => r.path)).toEqual(
        expect.arrayContaining(['/npm/empty-answer', '/npm/status-answer', '/simple/portal-answer/']),
      );
      expect(result.findings.filter((f: { kind: string }) => f.kind === 'nonexistent')).toEqual([]);
      const reasons = Object.fromEntries(
        result.unchecked
          .filter((u: { check: string }) => u.check === 'registry')
          .map((u: { name: string; reason: string }) => [u.name, u.reason]),
      );
      expect(reasons).toEqual({
        'empty-answer': `${registry.npmUrl}: the registry answered with a document that names no package`,
        'status-answer': `${registry.npmUrl}: the registry answered with a document that names no package`,
        'portal-answer': expect.stringContaining(
          'the index answered with an HTML page that is not a Simple API',
        ),
      });
      // The table says so too, and the gate does not fail on a name it could not look up.
      const table = await run(
        [
          'scan',
          '--no-database',
          '--no-config',
          '--npm-registry',
          registry.npmUrl,
          '--pypi-index',
          registry.pypiIndex,
        ],
        { cwd: project },
      );
      expect(table.stdout).not.toMatch(/nonexistent/);
      expect(table.stdout).toMatch(/npm:empty-answer\s+registry: .*names no package/);
    } finally {
      registry.misbehave.clear();
    }
  });

  it('rejects an unknown registry mode', async () => {
    const out = await run(['scan', '--registry-mode', 'sometimes']);
    expect(out.exit).toBe(2);
    expect(out.stderr).toMatch(/Allowed choices are offline, prefer-offline, default, prefer-online/);
  });
});

describe('vouch registry', () => {
  it('snapshot imports every name so that existence is checked offline', async () => {
    const list = join(home, 'npm-names.txt');
    writeFileSync(
      list,
      [
        'express',
        'request',
        'left-pad',
        'debug',
        'lodahs',
        '@acme/widgets',
        'brand-new-lib',
        'trimmed-mirror',
      ].join('\n'),
    );
    const pypi = join(home, 'simple.json');
    writeFileSync(
      pypi,
      JSON.stringify({
        meta: { 'api-version': '1.1' },
        projects: [{ name: 'requests' }, { name: 'Flask' }, { name: 'numpy' }],
      }),
    );
    expect(await run(['registry', 'snapshot', 'npm', list])).toMatchObject({
      exit: 0,
      stdout: expect.stringMatching(/^8 npm names imported into /),
    });
    expect((await run(['registry', 'snapshot', 'pypi', pypi])).stdout).toMatch(/^3 PyPI names imported/);
    const out = await run([...JSON_SCAN, '--offline']);
    const result = JSON.parse(out.stdout);
    const missing = result.findings
      .filter((f: { kind: string }) => f.kind === 'nonexistent')
      .map((f: { name: string }) => f.name);
    expect(missing).toContain('react-dom-helpers-pro');
    expect(missing).toContain('huggingface-cli');
    expect(missing).not.toContain('express');
    expect(missing).not.toContain('flask');
    expect(result.findings.find((f: { name: string }) => f.name === 'react-dom-helpers-pro').message).toMatch(
      /imported list of npm names/,
    );
    expect(registry.requests).toEqual([]);
  });

  it('snapshot refuses a file that is not a list of names', async () => {
    const bad = join(home, 'bad.json');
    writeFileSync(bad, '{"projects": 3}');
    const out = await run(['registry', 'snapshot', 'pypi', bad]);
    expect(out.exit).toBe(2);
    expect(out.stderr).toMatch(/expected \{"projects": \[\{"name": …\}\]\}/);
  });

  it("config names the registries and where they come from, never the token; a project's variables only with --trust-project-config", async () => {
    const project = mkdtempSync(join(home, 'project-'));
    writeFileSync(join(project, 'package.json'), '{}');
    writeFileSync(
      join(project, '.npmrc'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: npm's ${VAR} syntax in an .npmrc, literally
      'registry=https://npm.example.org/\n//npm.example.org/:_authToken=${NPM_TOKEN}\n@acme:registry=https://acme.example.org/\n',
    );
    const out = await run(['registry', 'config'], {
      cwd: project,
      env: { NPM_TOKEN: 'super-secret', PIP_INDEX_URL: 'https://bob:hunter2@pypi.example.org/simple' },
    });
    expect(out.stdout).toMatch(
      /npm registry: https:\/\/npm\.example\.org\/ \(from .*\.npmrc\)\n {2}credentials: none/,
    );
    expect(out.stdout).toMatch(
      /note: .*\.npmrc: ignored \/\/npm\.example\.org\/:_authToken \(.*--trust-project-config/,
    );
    const trusted = await run(['registry', 'config', '--trust-project-config'], {
      cwd: project,
      env: { NPM_TOKEN: 'super-secret' },
    });
    expect(trusted.stdout).toMatch(/\.npmrc\)\n {2}credentials: configured/);
    expect(trusted.stdout).not.toMatch(/super-secret|note:/);
    expect(out.stdout).toMatch(/@acme: https:\/\/acme\.example\.org\//);
    expect(out.stdout).toMatch(/PyPI index: {3}https:\/\/pypi\.example\.org\/simple \(from PIP_INDEX_URL\)/);
    expect(out.stdout).not.toMatch(/super-secret|hunter2|bob/);
  });
});

describe('registry flags', () => {
  const parse = (args: string[]) => {
    const command = addRegistryScanOptions(new Command().exitOverride());
    command.parse(args, { from: 'user' });
    const flags = command.opts() as RegistryFlags;
    return { flags, options: registryScanOptions(flags, { env: {}, cwd: '/work' } as unknown as CliIO) };
  };

  it('are printed back as the words that give them (a command Vouch prints must work)', () => {
    const given = [
      '--offline',
      '--trust-project-config',
      '--npm-registry',
      'http://registry.example.org/npm/',
      '--pypi-index',
      'http://registry.example.org/simple/',
      '--new-package-days',
      '10',
    ];
    expect(registryArguments(parse(given).flags)).toEqual(given);
    expect(registryArguments(parse(['--no-registry']).flags)).toEqual(['--no-registry']);
    expect(registryArguments(parse([]).flags)).toEqual([]);
  });

  it('--offline wins over --registry-mode, and --trust-project-config changes neither', () => {
    expect(parse(['--offline', '--registry-mode', 'prefer-online']).options).toMatchObject({
      mode: 'offline',
    });
    expect(parse(['--trust-project-config', '--registry-mode', 'prefer-online']).options).toMatchObject({
      mode: 'prefer-online',
      trustProjectConfig: true,
    });
  });
});
