import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PopularNames } from '../../src/model/popular.js';
import { checkInstallCommand } from '../../src/pipeline/install.js';
import { checkManifestEdit } from '../../src/pipeline/manifest-edit.js';
import { checkPackages, type PackageCheckOptions, safeVersion } from '../../src/pipeline/packages.js';
import { fixturePath } from '../helpers.js';
import { HALLUCINATED, type PackageWorld, startPackageWorld } from './package-world.js';

let world: PackageWorld;
beforeAll(async () => {
  world = await startPackageWorld();
});
afterAll(() => world.close());

function options(extra: Partial<PackageCheckOptions> = {}): PackageCheckOptions {
  return {
    cwd: world.home,
    database: world.database,
    registry: {
      npmRegistry: world.registry.npmUrl,
      pypiIndex: world.registry.pypiIndex,
      cache: join(world.home, 'registry.sqlite'),
      env: { HOME: world.home },
      popular: { npm: new PopularNames('npm', 'test list', ['express', 'lodash', 'cross-env', 'request']) },
      http: { retries: 0, timeoutMs: 2000 },
    },
    ...extra,
  };
}

describe('checkPackages', () => {
  it('tells existence, latest, advisories with fixes, malice, deprecation and a verdict per package', async () => {
    const { packages } = await checkPackages(
      [
        { ecosystem: 'npm', name: HALLUCINATED },
        { ecosystem: 'npm', name: 'lodash', version: '4.17.15' },
        { ecosystem: 'npm', name: 'express' },
        { ecosystem: 'npm', name: 'crossenv' },
        { ecosystem: 'npm', name: 'request' },
      ],
      options(),
    );
    const [fake, lodash, express, crossenv, request] = packages;
    expect(fake).toMatchObject({ name: HALLUCINATED, exists: 'no', verdict: 'block' });
    expect(fake!.reasons.join()).toMatch(/does not exist|no package/i);
    expect(lodash).toMatchObject({ exists: 'yes', latest: '4.17.21', version: '4.17.15', verdict: 'block' });
    expect(lodash!.advisories.map((a) => a.id)).toContain('CVE-2021-23337');
    expect(lodash!.advisories.find((a) => a.id === 'CVE-2021-23337')?.fixed).toEqual(['4.17.21']);
    expect(lodash!.upgrade).toBe('4.17.21');
    // A bare name installs 5.1.0, which no advisory affects: older advisories do not block it.
    expect(express).toMatchObject({ exists: 'yes', installs: '5.1.0', verdict: 'warn' });
    expect(express!.advisories).toEqual([]);
    expect(crossenv).toMatchObject({ malicious: true, verdict: 'block' });
    expect(request).toMatchObject({ deprecated: 'request has been deprecated', verdict: 'warn' });
  });

  it('says a package is unchecked, never nonexistent, when the registry cannot be asked', async () => {
    const { packages } = await checkPackages(
      [{ ecosystem: 'npm', name: 'left-pad-missing-too' }],
      options({
        registry: {
          npmRegistry: 'http://127.0.0.1:9/',
          cache: false,
          env: { HOME: world.home },
          http: { retries: 0, timeoutMs: 500 },
        },
      }),
    );
    expect(packages[0]).toMatchObject({ exists: 'unknown', verdict: 'warn' });
    expect(packages[0]!.reasons.join()).toMatch(/not checked/);
  });

  it('refuses an unknown ecosystem and a name that is not one, naming them', async () => {
    await expect(checkPackages([{ ecosystem: 'cpan', name: 'x' }], options())).rejects.toThrow(
      /unknown ecosystem "cpan"/,
    );
    await expect(checkPackages([{ ecosystem: 'npm', name: 'a b' }], options())).rejects.toThrow(
      /not a package name/,
    );
  });

  it('follows the configured threshold: failOn none blocks nothing', async () => {
    const { packages } = await checkPackages(
      [{ ecosystem: 'npm', name: HALLUCINATED }],
      options({ gate: { failOn: 'none' } }),
    );
    expect(packages[0]!.verdict).toBe('warn');
  });
});

describe('safeVersion', () => {
  it('is the newest version with no advisory, passing over affected ones', async () => {
    const found = await safeVersion({ ecosystem: 'npm', name: 'lodash', range: '<4.17.21' }, options());
    expect(found.version).toBeUndefined();
    expect(found.passedOver.map((p) => p.version)).toEqual(['4.17.20', '4.17.15', '4.17.11']);
    const any = await safeVersion({ ecosystem: 'npm', name: 'lodash' }, options());
    expect(any).toMatchObject({ version: '4.17.21', latest: '4.17.21' });
  });

  it('passes over deprecated versions and says why there is none', async () => {
    const found = await safeVersion({ ecosystem: 'npm', name: 'request' }, options());
    expect(found.version).toBeUndefined();
    expect(found.reason).toMatch(/deprecated/);
    const missing = await safeVersion({ ecosystem: 'npm', name: HALLUCINATED }, options());
    expect(missing).toMatchObject({ exists: 'no' });
    expect(missing.reason).toMatch(/does not exist/);
  });
});

describe('checkInstallCommand', () => {
  it('checks the packages a shell command installs, and nothing for other commands', async () => {
    const blocked = await checkInstallCommand(`cd app && npm install ${HALLUCINATED} express`, options());
    expect(blocked).toMatchObject({ installs: true, verdict: 'block' });
    expect(blocked.blocked.map((p) => p.name)).toEqual([HALLUCINATED]);
    const other = await checkInstallCommand('git status && ls -la', options());
    expect(other).toMatchObject({ installs: false, verdict: 'ok', packages: [] });
  });

  it('reads the lockfile a bare npm install would install from', async () => {
    const project = fixturePath('pipeline/install/locked-vulnerable');
    const result = await checkInstallCommand(['npm', 'ci'], options({ cwd: project }));
    expect(result.projectFiles).toEqual(['package-lock.json']);
    expect(result.blocked.map((p) => `${p.name}@${p.version}`)).toEqual(['lodash@4.17.15']);
    expect(result.blocked[0]!.location?.file).toBe('package-lock.json');
  });

  it('an argv is quoted word by word: nothing in it is read as shell syntax again', async () => {
    const result = await checkInstallCommand(['npm', 'install', 'express; npm install crossenv'], options());
    // One odd word, not a second command that installs the malicious crossenv.
    expect(result.packages.map((p) => p.name)).not.toContain('crossenv');
    expect(result.verdict).not.toBe('block');
  });
});

describe('checkInstallCommand beyond npm', () => {
  it('reads the packages of pip, uv, poetry, cargo, go, gem and composer installs', async () => {
    const commands: [string, string][] = [
      ['pip install requests==2.32.3', 'PyPI requests'],
      ['python3 -m pip install --user requests', 'PyPI requests'],
      ['uv add requests', 'PyPI requests'],
      ['poetry add requests@^2.32', 'PyPI requests'],
      ['cargo add serde --features derive', 'crates.io serde'],
      ['go get github.com/gorilla/mux@v1.8.1', 'Go github.com/gorilla/mux'],
      ['gem install rails -v 7.1.3', 'RubyGems rails'],
      ['composer require monolog/monolog:^3.0', 'Packagist monolog/monolog'],
    ];
    for (const [command, named] of commands) {
      const result = await checkInstallCommand(command, options({ offline: true }));
      expect({
        command,
        installs: result.installs,
        packages: result.packages.map((p) => `${p.ecosystem} ${p.name}`),
      }).toEqual({
        command,
        installs: true,
        packages: [named],
      });
    }
  });

  it('decides a PyPI install by the index: a hallucinated name is blocked, a real one is not', async () => {
    expect((await checkInstallCommand('pip install requests', options())).verdict).toBe('ok');
    const blocked = await checkInstallCommand(`uv add ${HALLUCINATED}`, options());
    expect(blocked.blocked.map((p) => `${p.ecosystem} ${p.name}`)).toEqual([`PyPI ${HALLUCINATED}`]);
  });

  it('reads the requirement files pip install -r installs from, and says which it could not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-pip-r-'));
    try {
      writeFileSync(join(dir, 'requirements.txt'), `requests==2.32.3\n${HALLUCINATED}==1.0.0\n`);
      writeFileSync(join(dir, 'deps.lst'), 'requests\n');
      const result = await checkInstallCommand('pip install -r requirements.txt', options({ cwd: dir }));
      expect(result.projectFiles).toEqual(['requirements.txt']);
      expect(result.blocked.map((p) => `${p.name} (${p.location?.file})`)).toEqual([
        `${HALLUCINATED} (requirements.txt)`,
      ]);
      const other = await checkInstallCommand(
        'pip install -r missing.txt -r deps.lst',
        options({ cwd: dir }),
      );
      expect(other.projectFiles).toEqual([]);
      expect(other.problems).toEqual([
        `pip would install from missing.txt, which is not in ${dir}`,
        'deps.lst was not checked: Vouch reads requirement files named like requirements*.txt',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkManifestEdit', () => {
  const manifest = (deps: Record<string, string>) =>
    JSON.stringify({ name: 'app', dependencies: deps }, null, 2);

  it('checks only the dependencies an edit adds or changes', async () => {
    const before = manifest({ lodash: '4.17.15' });
    const added = await checkManifestEdit(
      '/work/app/package.json',
      before,
      manifest({ lodash: '4.17.15', [HALLUCINATED]: '^1.0.0', express: '^4.21.2' }),
      options(),
    );
    // lodash@4.17.15 has an advisory, but the edit did not add it: not this edit's doing.
    expect(added.packages.map((p) => p.name)).toEqual([HALLUCINATED, 'express']);
    expect(added).toMatchObject({ installs: true, verdict: 'block' });
    expect(added.blocked.map((p) => p.name)).toEqual([HALLUCINATED]);
    const pinned = await checkManifestEdit(
      'package.json',
      manifest({ lodash: '^4.17.21' }),
      before,
      options(),
    );
    expect(pinned.blocked.map((p) => `${p.name}@${p.version ?? p.spec}`)).toEqual(['lodash@4.17.15']);
    const created = await checkManifestEdit('requirements.txt', undefined, `${HALLUCINATED}\n`, options());
    expect(created.blocked.map((p) => `${p.ecosystem} ${p.name}`)).toEqual([`PyPI ${HALLUCINATED}`]);
  });

  it('installs nothing for an edit that adds no dependency, or of a file that is no manifest', async () => {
    const before = manifest({ lodash: '4.17.21' });
    const reordered = await checkManifestEdit('package.json', before, `${before}\n`, options());
    expect(reordered).toMatchObject({ installs: false, verdict: 'ok', packages: [] });
    const source = await checkManifestEdit('src/app.js', '', `import x from '${HALLUCINATED}';`, options());
    expect(source).toMatchObject({ installs: false, verdict: 'ok', packages: [] });
  });

  it('a broken manifest is a problem named by file and line, never a crash (empty and broken)', async () => {
    const empty = await checkManifestEdit('package.json', undefined, '', options());
    expect(empty.installs).toBe(false);
    const broken = await checkManifestEdit('package.json', undefined, '{ "dependencies": { "a": ', options());
    expect(broken.installs).toBe(false);
    expect(broken.problems[0]).toMatch(/^package\.json:1: /);
  });
});
