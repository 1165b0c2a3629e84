import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { fixturePath } from '../helpers.js';

function findingsOf(result: ScanResult): string[] {
  return result.findings
    .map((f) => `${f.kind} ${f.severity} ${f.name} ${f.location.file}:${f.location.line}`)
    .sort();
}

const scanFixture = (name: string) => scan(['.'], { cwd: fixturePath(`project/phantom/${name}`) });

describe('phantom imports resolve the way Node and the package manager do', () => {
  it('counts the packages an enclosing manifest declares (Node looks them up in the node_modules above)', async () => {
    const result = await scanFixture('enclosing-manifest');
    // left-pad is a devDependency of the package.json two folders up: not a phantom.
    expect(findingsOf(result)).toEqual(['undeclared medium chalk fixtures/pkg/index.js:2']);
  });

  it('pnpm: chains start from the file’s own workspace; a sibling’s dependency does not load (medium)', async () => {
    const result = await scanFixture('pnpm-siblings');
    expect(findingsOf(result)).toEqual([
      'transitive-only low eslint-plugin-acme packages/app/src/index.js:5',
      'transitive-only medium form-data packages/app/src/index.js:2',
      'undeclared medium @rollup/plugin-commonjs packages/app/src/index.js:3',
      'undeclared medium estraverse packages/app/src/index.js:4',
    ]);
    const commonjs = result.findings.find((f) => f.name === '@rollup/plugin-commonjs');
    expect(commonjs?.evidence).toMatchObject({
      declaredBy: ['packages/lib/package.json'],
      fix: 'pnpm add @rollup/plugin-commonjs --filter app',
    });
    // The merged roots once made this `app → @rollup/plugin-commonjs`: the chain is app's own.
    expect(result.findings.find((f) => f.name === 'form-data')?.evidence).toMatchObject({
      chain: ['app', 'axios', 'form-data'],
      via: 'axios',
      lockedVersion: '4.0.1',
      fix: 'pnpm add form-data@^4.0.1 --filter app',
    });
    // pnpm hoists lint plugins publicly (its default public-hoist-pattern): they load from the root.
    expect(result.findings.find((f) => f.name === 'eslint-plugin-acme')?.evidence).toMatchObject({
      chain: ['lib', 'eslint-config-acme', 'eslint-plugin-acme'],
    });
  });

  it('npm workspaces: what another workspace declares loads by hoisting (low), with that workspace’s chain', async () => {
    const result = await scanFixture('npm-siblings');
    expect(findingsOf(result)).toEqual([
      'transitive-only low eslint-plugin-acme packages/app/src/index.js:5',
      'transitive-only low estraverse packages/app/src/index.js:4',
      'transitive-only low form-data packages/app/src/index.js:2',
      'undeclared low @rollup/plugin-commonjs packages/app/src/index.js:3',
    ]);
    expect(result.findings.find((f) => f.name === 'estraverse')?.evidence).toMatchObject({
      chain: ['lib', '@rollup/plugin-commonjs', 'estraverse'],
      fix: 'npm install estraverse@^5.3.0 --workspace app',
    });
    expect(result.findings.find((f) => f.name === '@rollup/plugin-commonjs')?.message).toContain(
      'packages/lib/package.json declares it; it loads here only because the install hoists it',
    );
  });

  it("yarn berry: Plug'n'Play (the default) is strict, the node-modules linker of .yarnrc.yml hoists", async () => {
    expect(findingsOf(await scanFixture('yarn-pnp'))).toEqual([
      'transitive-only medium form-data packages/app/src/index.js:2',
      'undeclared medium @rollup/plugin-commonjs packages/app/src/index.js:3',
      'undeclared medium eslint-plugin-acme packages/app/src/index.js:5',
      'undeclared medium estraverse packages/app/src/index.js:4',
    ]);
    const hoisted = await scanFixture('yarn-node-modules');
    expect(findingsOf(hoisted)).toEqual([
      'transitive-only low eslint-plugin-acme packages/app/src/index.js:5',
      'transitive-only low estraverse packages/app/src/index.js:4',
      'transitive-only low form-data packages/app/src/index.js:2',
      'undeclared low @rollup/plugin-commonjs packages/app/src/index.js:3',
    ]);
    expect(hoisted.findings.find((f) => f.name === 'form-data')?.evidence).toMatchObject({
      fix: 'yarn workspace app add form-data@^4.0.1',
    });
  });
});
