import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { fixturePath } from '../helpers.js';

function findingsOf(result: ScanResult): string[] {
  return result.findings
    .map((f) => `${f.kind} ${f.severity} ${f.name} ${f.location.file}:${f.location.line}`)
    .sort();
}

describe('names the project itself resolves are not packages', () => {
  it('tsconfig baseUrl/paths/types, package.json imports/browser, bundler, jest and babel aliases, Docusaurus, declare module', async () => {
    const result = await scan(['.'], { cwd: fixturePath('project/aliases') });
    // What is left is what a package manager must install: left-pad, vite, and the types tsconfig names.
    expect(findingsOf(result)).toEqual([
      'undeclared low @types/node tsconfig.json:6',
      'undeclared low vite tsconfig.json:6',
      'undeclared medium left-pad src/index.tsx:15',
      'undeclared medium vite vite.config.ts:2',
    ]);
    const imported = result.packages.filter((p) => p.source === 'imported').map((p) => p.name);
    for (const local of [
      '@theme/Layout',
      '@docusaurus/Link',
      'types',
      'shared',
      'virtual-thing',
      'helpers',
      'jsdom',
    ])
      expect(imported).not.toContain(local);
    expect(result.errors).toEqual([]);
    expect(result.findings.find((f) => f.name === '@types/node')?.evidence).toMatchObject({
      typeOnly: true,
      fix: 'npm install --save-dev @types/node',
    });
  });

  it('says once that an alias map it cannot read statically was not read, and does not guess', async () => {
    const result = await scan(['.'], { cwd: fixturePath('project/unread-alias') });
    expect(result.warnings).toEqual([
      'webpack.config.js:5: `alias` is not written as literal names: the aliases it defines were not read',
    ]);
    expect(findingsOf(result)).toEqual(['undeclared medium components src/index.js:1']);
    expect(result.errors).toEqual([]);
  });

  it("in an answer, a known framework's virtual modules are not hallucinations", async () => {
    const answer = [
      'Swizzle the layout:',
      '',
      '```jsx',
      "import Layout from '@theme/Layout';",
      "import Link from '@docusaurus/Link';",
      "import { useLocation } from '@docusaurus/router';",
      "import { Helmet } from 'react-helmet-ultra';",
      '```',
    ].join('\n');
    const result = await scan([], { documents: [{ path: 'answer.md', text: answer }] });
    expect(result.findings.map((f) => `${f.kind} ${f.name}`)).toEqual(['undeclared react-helmet-ultra']);
  });

  describe('a package committed into the tree', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('resolves for the files beside its node_modules; an installed node_modules says nothing', async () => {
      dir = mkdtempSync(join(tmpdir(), 'vouch-committed-'));
      writeFileSync(join(dir, 'package.json'), '{"name":"tool","version":"1.0.0"}');
      mkdirSync(join(dir, 'tools/plugin/node_modules/prettier-plugin-dummy'), { recursive: true });
      writeFileSync(
        join(dir, 'tools/plugin/node_modules/prettier-plugin-dummy/index.js'),
        'module.exports = {};',
      );
      writeFileSync(
        join(dir, 'tools/plugin/index.js'),
        "require('prettier-plugin-dummy');\nrequire('chalk');\n",
      );
      // Installed by a package manager (its marker file is there): its packages are no part of the project.
      mkdirSync(join(dir, 'app/node_modules/chalk'), { recursive: true });
      writeFileSync(join(dir, 'app/node_modules/.package-lock.json'), '{}');
      writeFileSync(join(dir, 'app/index.js'), "require('chalk');\n");
      const result = await scan(['.'], { cwd: dir });
      expect(findingsOf(result)).toEqual([
        'undeclared medium chalk app/index.js:1',
        'undeclared medium chalk tools/plugin/index.js:2',
      ]);
    });
  });
});
