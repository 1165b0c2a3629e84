import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PopularNames } from '../../src/model/popular.js';
import { scan } from '../../src/pipeline/scan.js';
import { matureVersions, NOW, packument } from './documents.js';
import { type FakeRegistry, startFakeRegistry } from './fake-registry.js';

/** A project whose imports name aliases, local and virtual modules beside real registry packages. */
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'shop',
    version: '1.0.0',
    dependencies: {
      zod3: 'npm:zod@^4.0.0',
      'local-lib': 'file:./vendor/local-lib',
      linked: 'link:../linked',
      'portal-pkg': 'portal:../portal-pkg',
      gitdep: 'github:acme/gitdep#v1.0.0',
      tarball: 'https://files.example.org/tarball-1.0.0.tgz',
      cors: '^4.0.0',
      '@tinyhttp/cors': '^4.0.0',
    },
  }),
  'tsconfig.json': '{"compilerOptions": {"baseUrl": "src"}}',
  'docusaurus.config.js': 'module.exports = { title: "Shop" };',
  'src/components/Button.js': 'export default () => null;',
  'src/index.js': [
    "import { z } from 'zod3';",
    "import local from 'local-lib';",
    "import linked from 'linked';",
    "import portal from 'portal-pkg';",
    "import gitdep from 'gitdep';",
    "import tarball from 'tarball';",
    "import cors from 'cors';",
    "import tinyCors from '@tinyhttp/cors';",
    "import Layout from '@theme/Layout';",
    "import Button from 'components/Button';",
    "import { Server } from 'SERVER';",
    'export { z, local, linked, portal, gitdep, tarball, cors, tinyCors, Layout, Button, Server };',
  ].join('\n'),
};

let registry: FakeRegistry;
let dir: string;

beforeAll(async () => {
  registry = await startFakeRegistry();
  for (const name of ['zod', 'cors', '@tinyhttp/cors'])
    registry.npm.set(name, packument(name, { versions: matureVersions(4) }));
  dir = mkdtempSync(join(tmpdir(), 'vouch-eligible-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
});
afterAll(async () => {
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what reaches the registry', () => {
  it('asks about registry packages only: aliases by their target, never local, linked, git, URL or virtual names', async () => {
    const result = await scan(['.'], {
      cwd: dir,
      database: false,
      registry: {
        npmRegistry: registry.npmUrl,
        cache: false,
        env: { HOME: dir },
        now: NOW,
        popular: { npm: new PopularNames('npm', 'test list', ['cors', 'express', 'zod']) },
        http: { retries: 0, timeoutMs: 2000 },
      },
    });
    const asked = [...new Set(registry.requests.map((r) => decodeURIComponent(r.path)))].sort();
    expect(asked).toEqual(['/npm/@tinyhttp/cors', '/npm/cors', '/npm/zod']);
    // No high finding: nothing is nonexistent, and @tinyhttp/cors is no typosquat of cors.
    expect(result.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([]);
    // The import of the alias is the package it installs.
    expect(result.packages.find((p) => p.importName === 'zod3')).toMatchObject({ name: 'zod' });
    // An undeclared capitalised name is the project's own module as far as anyone can tell: a guess, not asked.
    expect(result.findings.map((f) => `${f.kind} ${f.name}${f.inferred ? ' (inferred)' : ''}`)).toEqual([
      'undeclared SERVER (inferred)',
    ]);
  });
});

/** Type references and type-only imports, each provided by a package of another name than the one written. */
const TYPED: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'site',
    version: '1.0.0',
    devDependencies: {
      'react-scripts': '5.0.1',
      '@types/estree': '^1.0.0',
      '@docusaurus/module-type-aliases': '^3.0.0',
      'react.js': '^7.0.0',
    },
  }),
  'tsconfig.json': '{"compilerOptions": {"types": ["@docusaurus/module-type-aliases"]}}',
  'src/react-app-env.d.ts': '/// <reference types="react-scripts" />\n',
  'src/lint.ts': [
    "import type { Identifier } from 'estree';",
    "import type { Made } from 'made-up-types';",
    'export type Both = Identifier | Made;',
  ].join('\n'),
};

describe('names a package of another name provides', () => {
  let typedDir: string;
  beforeAll(() => {
    typedDir = mkdtempSync(join(tmpdir(), 'vouch-eligible-types-'));
    for (const [path, text] of Object.entries(TYPED)) {
      mkdirSync(dirname(join(typedDir, path)), { recursive: true });
      writeFileSync(join(typedDir, path), text);
    }
    for (const name of ['react-scripts', '@types/estree', '@docusaurus/module-type-aliases'])
      registry.npm.set(name, packument(name, { versions: matureVersions(4) }));
    // A mirror that strips publish dates: seven releases, no way to tell whether they span years or minutes.
    registry.npm.set('react.js', packument('react.js', { versions: matureVersions(7), withoutTime: true }));
  });
  afterAll(() => rmSync(typedDir, { recursive: true, force: true }));

  it('a type reference to a package with its own types, or a type-only import @types provides, is no hallucination; an undated look-alike stays high and says why', async () => {
    registry.requests.length = 0;
    const result = await scan(['.'], {
      cwd: typedDir,
      database: false,
      registry: {
        npmRegistry: registry.npmUrl,
        cache: false,
        env: { HOME: typedDir },
        now: NOW,
        popular: { npm: new PopularNames('npm', 'test list', ['react', 'express']) },
        http: { retries: 0, timeoutMs: 2000 },
      },
    });
    // `types: ["x"]` and `/// <reference types="x" />` mean @types/x or x's own types; `import type … from
    // 'estree'` means @types/estree. Only the name neither way provides is nonexistent.
    expect(
      result.findings
        .filter((f) => f.severity === 'high' || f.severity === 'critical')
        .map((f) => `${f.kind} ${f.name} ${f.location?.file}`),
    ).toEqual(['typosquat react.js package.json', 'nonexistent made-up-types src/lint.ts']);
    // A look-alike with many releases and no dates stays high, and the message says what would lower it.
    expect(result.findings.find((f) => f.kind === 'typosquat')?.message).toMatch(
      /its 7 releases could make it an established package, but the registry's document has no trustworthy publish dates/,
    );
    const asked = new Set(registry.requests.map((r) => decodeURIComponent(r.path)));
    // The provider is asked only when the name as written is missing.
    expect(asked.has('/npm/@types/made-up-types')).toBe(true);
    expect(asked.has('/npm/@types/react-scripts')).toBe(true);
  });
});
