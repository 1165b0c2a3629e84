import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PopularNames } from '../../src/model/popular.js';
import { checkInstallCommand } from '../../src/pipeline/install.js';
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
