// biome-ignore-all lint/suspicious/noTemplateCurlyInString: npm's ${VAR} syntax, literally
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  expandEnv,
  findNpmInstall,
  npmAuthHeader,
  npmConfig,
  npmDefaultRegistry,
  npmRegistryFor,
  parsePipConf,
  pipConfig,
  pypiEndpoints,
} from '../../src/registry/config.js';
import { scanTrust } from '../../src/registry/trust.js';
import { itWith, prerequisite } from '../prerequisites.js';

/**
 * An npm install at `<root>/<prefix>` (bin/npm → lib/node_modules/npm, or the folder itself when the prefix
 * ends in node_modules/npm) whose config definitions declare `registry`'s default; `extra` is prepended.
 */
function fakeNpm(prefix: string, registry: string, extra = ''): string {
  const nested = prefix.endsWith('node_modules/npm');
  const npmDir = join(root, nested ? prefix : `${prefix}/lib/node_modules/npm`);
  write(join(npmDir, 'package.json').slice(root.length + 1), '{"name":"npm","version":"11.0.0"}');
  write(join(npmDir, 'bin/npm-cli.js').slice(root.length + 1), extra);
  const definitions = join(npmDir, 'node_modules/@npmcli/config/lib/definitions');
  write(
    join(definitions, 'definitions.js').slice(root.length + 1),
    `${extra}const definitions = {\n  registry: new Definition('registry', {\n    default: '${registry}',\n    type: url,\n  }),\n}\nmodule.exports = definitions\n`,
  );
  write(
    join(definitions, 'index.js').slice(root.length + 1),
    `${extra}module.exports = { definitions: { registry: { default: '${registry}' } } };\n`,
  );
  if (!nested) {
    mkdirSync(join(root, prefix, 'bin'), { recursive: true });
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, prefix, 'bin/npm'));
  }
  return npmDir;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vouch-config-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const abs = join(root, path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return abs;
}

/** An environment that sees only files under the temporary root. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: join(root, 'home'),
    XDG_CONFIG_DIRS: join(root, 'etc-xdg'),
    npm_config_globalconfig: join(root, 'global-npmrc'),
    ...extra,
  };
}

describe('npm configuration', () => {
  it('expands ${VAR} as npm does, keeping unset ones and honouring ${VAR?} and escapes', () => {
    expect(expandEnv('${TOKEN}', { TOKEN: 'abc' })).toBe('abc');
    expect(expandEnv('${MISSING}', {})).toBe('${MISSING}');
    expect(expandEnv('${MISSING?}', {})).toBe('');
    expect(expandEnv('\\${TOKEN}', { TOKEN: 'abc' })).toBe('${TOKEN}');
  });

  it('layers the user, project and environment settings, the later winning', () => {
    write('home/.npmrc', 'registry=https://user.example.org/npm\n@acme:registry=https://acme.example.org/\n');
    write('project/package.json', '{}');
    write('project/.npmrc', 'registry=https://project.example.org/npm/\n');
    mkdirSync(join(root, 'project/src'), { recursive: true });
    const fromProject = npmConfig(join(root, 'project/src'), env());
    expect(fromProject.registry).toBe('https://project.example.org/npm/');
    expect(fromProject.source).toBe(join(root, 'project/.npmrc'));
    expect(npmRegistryFor(fromProject, '@acme/widgets')).toBe('https://acme.example.org/');
    expect(npmRegistryFor(fromProject, 'express')).toBe('https://project.example.org/npm/');

    const fromEnv = npmConfig(join(root, 'project'), env({ NPM_CONFIG_REGISTRY: 'https://env.example.org' }));
    expect(fromEnv.registry).toBe('https://env.example.org/');
    expect(fromEnv.source).toBe('NPM_CONFIG_REGISTRY');

    const userOnly = npmConfig(join(root, 'elsewhere'), env());
    expect(userOnly.registry).toBe('https://user.example.org/npm/');
  });

  it('finds credentials by the most specific //host/path/ key, with ${VAR} tokens', () => {
    write(
      'home/.npmrc',
      [
        'registry=https://npm.example.org/repository/npm-group/',
        '//npm.example.org/:_authToken=${HOST_TOKEN}',
        '//npm.example.org/repository/npm-group/:_authToken=${GROUP_TOKEN}',
        '//basic.example.org/:_auth=dXNlcjpwYXNz',
        '//legacy.example.org/:username=alice',
        `//legacy.example.org/:_password=${Buffer.from('secret').toString('base64')}`,
      ].join('\n'),
    );
    const config = npmConfig(root, env({ HOST_TOKEN: 'host-token', GROUP_TOKEN: 'group-token' }));
    expect(npmAuthHeader(config, 'https://npm.example.org/repository/npm-group/')).toBe('Bearer group-token');
    expect(npmAuthHeader(config, 'https://npm.example.org/other/')).toBe('Bearer host-token');
    expect(npmAuthHeader(config, 'https://basic.example.org/')).toBe('Basic dXNlcjpwYXNz');
    expect(npmAuthHeader(config, 'https://legacy.example.org/')).toBe(
      `Basic ${Buffer.from('alice:secret').toString('base64')}`,
    );
    expect(npmAuthHeader(config, 'https://nobody.example.org/')).toBeUndefined();
  });

  it("takes npm's built-in default from the installed npm's config definitions, found through PATH", () => {
    const npmDir = fakeNpm('prefix', 'https://default.example.org/');
    const withPath = env({ PATH: join(root, 'prefix/bin') });
    const cwd = join(root, 'project');
    expect(findNpmInstall(withPath, scanTrust(cwd, withPath))).toBe(npmDir);
    expect(npmDefaultRegistry(npmDir)).toBe('https://default.example.org/');
    const config = npmConfig(cwd, withPath);
    expect(config.registry).toBe('https://default.example.org/');
    expect(config.source).toBe(`npm's built-in default (${npmDir})`);
    // Without npm on PATH and without configuration there is no registry: the checks say so.
    expect(npmConfig(cwd, env({ PATH: join(root, 'empty') })).registry).toBeUndefined();
  });

  it('never runs an npm found on PATH: the definitions are parsed, and npms inside the scanned code are not used', () => {
    const marker = join(root, 'pwned');
    // A repository's own "npm" whose definitions would write a file if anything loaded them as code.
    const planted = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
    const repoNpm = fakeNpm('repo/node_modules/npm', 'https://attacker.example.org/', planted);
    mkdirSync(join(root, 'repo/node_modules/.bin'), { recursive: true });
    symlinkSync(join(repoNpm, 'bin/npm-cli.js'), join(root, 'repo/node_modules/.bin/npm'));
    const userNpm = fakeNpm('prefix', 'https://default.example.org/', planted);
    const repo = join(root, 'repo');
    // direnv's PATH_add (absolute), then a relative entry as `PATH=./node_modules/.bin:$PATH` leaves it.
    for (const first of [join(repo, 'node_modules/.bin'), 'node_modules/.bin']) {
      const path = env({ PATH: [first, join(root, 'prefix/bin')].join(delimiter) });
      const config = npmConfig(repo, path);
      expect(config.registry).toBe('https://default.example.org/');
      expect(config.source).toBe(`npm's built-in default (${userNpm})`);
      // Scanning the repository from elsewhere: the scanned folder is untrusted too.
      const fromHome = npmConfig(join(root, 'home'), path, scanTrust(join(root, 'home'), path, [repo]));
      expect(fromHome.registry).toBe('https://default.example.org/');
    }
    // npm_execpath pointing into the repository is not trusted either.
    const execpath = env({ npm_execpath: join(repoNpm, 'bin/npm-cli.js'), PATH: join(root, 'empty') });
    expect(npmConfig(repo, execpath).registry).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  const machineNpm = findNpmInstall(process.env);
  itWith(
    prerequisite('npm on PATH', machineNpm === undefined ? 'no npm installation found on PATH' : undefined),
    "reads the default registry of this machine's npm",
    () => {
      expect(npmDefaultRegistry(machineNpm!)).toMatch(/^https:\/\/[^/]+\/$/);
    },
  );
});

describe('pip configuration', () => {
  it('reads configparser files: sections, both separators, continued values, comments', () => {
    const sections = parsePipConf(
      [
        '# comment',
        '[global]',
        'index_url = https://a.example.org/simple',
        'extra-index-url =',
        '    https://b.example.org/simple',
        '    https://c.example.org/simple',
        '; another',
        '[install]',
        'timeout: 60',
      ].join('\n'),
    );
    expect(sections.global).toEqual({
      'index-url': 'https://a.example.org/simple',
      'extra-index-url': 'https://b.example.org/simple\nhttps://c.example.org/simple',
    });
    expect(sections.install).toEqual({ timeout: '60' });
  });

  it('takes index-url from the user file, [install] over [global], PIP_INDEX_URL over both', async () => {
    write(
      'home/.config/pip/pip.conf',
      '[global]\nindex-url = https://global.example.org/simple\n[install]\nindex-url = https://install.example.org/simple\nextra-index-url = https://extra.example.org/simple\n',
    );
    const fromFile = await pipConfig(env({ PATH: '' }));
    expect(fromFile).toEqual({
      index: 'https://install.example.org/simple',
      source: join(root, 'home/.config/pip/pip.conf'),
      extra: ['https://extra.example.org/simple'],
    });
    const fromEnv = await pipConfig(env({ PATH: '', PIP_INDEX_URL: 'https://env.example.org/simple' }));
    expect(fromEnv.index).toBe('https://env.example.org/simple');
    expect(fromEnv.source).toBe('PIP_INDEX_URL');
  });

  it("takes pip's built-in default from the installed pip's source, read with the Python grammar", async () => {
    write(
      'py/lib/python3.12/site-packages/pip/_internal/models/index.py',
      [
        'import urllib.parse',
        '',
        'class PackageIndex:',
        '    def __init__(self, url: str, file_storage_domain: str) -> None:',
        '        self.url = url',
        '',
        'PyPI = PackageIndex("https://index.example.org/", file_storage_domain="files.example.org")',
        'TestPyPI = PackageIndex("https://test.example.org/", file_storage_domain="test-files.example.org")',
      ].join('\n'),
    );
    write('py/bin/pip', '#!/bin/sh\n');
    chmodSync(join(root, 'py/bin/pip'), 0o755);
    const config = await pipConfig(env({ PATH: join(root, 'py/bin') }));
    expect(config.index).toBe('https://index.example.org/simple/');
    expect(config.source).toBe(
      `pip's built-in default (${join(root, 'py/lib/python3.12/site-packages/pip')})`,
    );
    expect((await pipConfig(env({ PATH: join(root, 'nothing') }))).index).toBeUndefined();
  });

  it('derives the JSON API from an index laid out like PyPI, and only then', () => {
    expect(pypiEndpoints('https://pypi.example.org/simple')).toEqual({
      simple: 'https://pypi.example.org/simple/',
      json: 'https://pypi.example.org/pypi/',
    });
    expect(pypiEndpoints('https://repo.example.org/artifactory/api/pypi/remote/simple/')).toEqual({
      simple: 'https://repo.example.org/artifactory/api/pypi/remote/simple/',
      json: 'https://repo.example.org/artifactory/api/pypi/remote/pypi/',
    });
    expect(pypiEndpoints('https://devpi.example.org/root/pypi/+simple/')).toEqual({
      simple: 'https://devpi.example.org/root/pypi/+simple/',
    });
  });
});
