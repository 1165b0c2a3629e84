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
