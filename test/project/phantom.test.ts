import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { type FileFacts, ProjectIndex } from '../../src/project/index.js';
import { type DeclaredDependencies, PhantomResolver } from '../../src/project/phantom.js';
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

  it('an import only an enclosing manifest declares says which one: in the package list, and in the finding where it fails', async () => {
    const hoisted = await scanFixture('enclosing-manifest');
    expect(
      hoisted.packages.find((p) => p.importName === 'left-pad' && p.source === 'imported'),
    ).toMatchObject({ declaredByEnclosing: 'package.json' });
    // Under yarn's Plug'n'Play a workspace loads only what its own manifest declares.
    const pnp = await scanFixture('enclosing-pnp');
    expect(findingsOf(pnp)).toEqual(['undeclared medium left-pad packages/app/src/index.js:2']);
    const finding = pnp.findings[0];
    expect(finding?.message).toContain(
      "declared by the enclosing package.json, but yarn's Plug'n'Play lets app load only what packages/app/package.json declares",
    );
    expect(finding?.evidence).toMatchObject({
      declaredBy: ['package.json'],
      fix: 'yarn workspace app add left-pad',
    });
  });

  it('a type-only import in the published code of a package that ships types is a dependency of its users; in its tests a dev one', async () => {
    const result = await scanFixture('published-types');
    const fix = (name: string) => result.findings.find((f) => f.name === name)?.evidence?.fix;
    expect(fix('undici-types')).toBe('npm install undici-types');
    expect(fix('vitest-mocks')).toBe('npm install --save-dev vitest-mocks');
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

  it('Python: a nested project sees only its own manifest, a PEP 723 script only its block', async () => {
    const result = await scanFixture('python-projects');
    expect(findingsOf(result)).toEqual([
      // IPython runs only inside IPython (get_ipython() answered): a note, never a failure.
      'undeclared info IPython tool/pretty.py:15',
      // rich/emoji.py-style: a module inside a package is no top-level module; the handler re-raises.
      'undeclared medium emoji tools/make_emoji.py:2',
      // The example is a project of its own: the root's requests is not installed with it.
      'undeclared medium requests examples/app/app.py:2',
      // The script runs in an environment made from its block (fonttools, brotli) alone.
      'undeclared medium requests scripts/build_font.py:10',
    ]);
    // Neither setup.py's setuptools (the build front end's) nor a TYPE_CHECKING typing_extensions (the
    // checker's own) is a finding; fontTools and brotli are declared by the script's block.
    expect(result.findings.find((f) => f.location.file === 'scripts/build_font.py')?.evidence).toMatchObject({
      fix: 'uv add --script scripts/build_font.py requests',
    });
    expect(
      result.packages
        .filter((r) => r.source === 'declared')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['brotli', 'fonttools', 'poetry-core', 'requests', 'flask'].sort());
    // A uv workspace shares one environment: the member sees the root's httpx.
    expect(findingsOf(await scanFixture('python-uv-workspace'))).toEqual([]);
  });

  it('a workspace package imported by published code that does not declare it is undeclared; tests, examples and private packages may use the link', async () => {
    const result = await scanFixture('workspace-published');
    expect(findingsOf(result)).toEqual([
      'undeclared low @acme/sheet packages/react/src/types.ts:1',
      'undeclared medium @acme/sheet packages/react/src/global.js:1',
    ]);
    expect(result.findings.find((f) => f.severity === 'medium')?.message).toContain(
      '@acme/react is published without it, so its users do not get it',
    );
  });
});

/**
 * The resolver over a hand-built index: what a finding says (declared or not, the chain, the fix's target)
 * for the shapes a fixture scan rarely meets (answers, type-only scoped imports, alternatives, Java, an
 * unreachable lockfile entry).
 */
describe('PhantomResolver', () => {
  type Fact = FileFacts['facts'][number];
  const at = (file: string, line = 1) => ({ file, line });
  const imported = (ecosystem: Ecosystem, name: string, file: string, extra: Partial<PackageRef> = {}) =>
    ({
      ecosystem,
      name,
      source: 'imported',
      extractor: 'test',
      location: at(file, 3),
      ...extra,
    }) as PackageRef;
  const declared = (ecosystem: Ecosystem, name: string, file: string, extra: Partial<PackageRef> = {}) =>
    ({ ecosystem, name, source: 'declared', extractor: 'test', location: at(file), ...extra }) as PackageRef;
  const locked = (ecosystem: Ecosystem, name: string, version: string, file: string) =>
    ({ ecosystem, name, version, source: 'locked', extractor: 'test', location: at(file) }) as PackageRef;
  const resolver = (refs: PackageRef[], facts: FileFacts[] = [], dependenciesOf?: DeclaredDependencies) =>
    new PhantomResolver(new ProjectIndex(refs, facts, []), dependenciesOf);

  describe('an answer (a self-contained document) is judged by its own declarations', () => {
    const answer = { scope: 'answer.md' };

    it('an import the answer installs is declared; one it does not is undeclared, with no manifest to name', () => {
      const phantom = resolver([declared('PyPI', 'requests', 'answer.md', answer)]);
      expect(phantom.status(imported('PyPI', 'requests', 'answer.md', answer))).toEqual({
        status: 'declared',
      });
      expect(phantom.status(imported('PyPI', 'flask', 'answer.md', answer))).toEqual({
        status: 'undeclared',
        manifests: [],
      });
    });

    it('an import whose other possible distributions include the installed one is declared', () => {
      const phantom = resolver([declared('PyPI', 'pyyaml', 'answer.md', answer)]);
      const yaml = imported('PyPI', 'yaml', 'answer.md', { ...answer, alternatives: ['PyYAML'] });
      expect(phantom.status(yaml)).toEqual({ status: 'declared' });
      expect(phantom.status(imported('PyPI', 'yaml', 'answer.md', answer))?.status).toBe('undeclared');
    });

    it('a type-only import of a scoped package is declared by its @types package, a value import is not', () => {
      const phantom = resolver([declared('npm', '@types/acme__widgets', 'answer.md', answer)]);
      const typeOnly = imported('npm', '@acme/widgets', 'answer.md', { ...answer, typeOnly: true });
      expect(phantom.status(typeOnly)).toEqual({ status: 'declared' });
      expect(phantom.status(imported('npm', '@acme/widgets', 'answer.md', answer))?.status).toBe(
        'undeclared',
      );
    });

    it('a package the installed one depends on (per the registry) is transitive-only, through the first such', () => {
      const deps: Record<string, string[]> = { requests: ['urllib3', 'idna'], boto3: ['urllib3'], flask: [] };
      const calls: string[] = [];
      const dependenciesOf: DeclaredDependencies = (scope, ecosystem, key) => {
        calls.push(`${scope} ${ecosystem} ${key}`);
        return deps[key];
      };
      const refs = ['requests', 'flask', 'boto3'].map((name) => declared('PyPI', name, 'answer.md', answer));
      const phantom = resolver(refs, [], dependenciesOf);
      expect(phantom.status(imported('PyPI', 'urllib3', 'answer.md', answer))).toEqual({
        status: 'transitive-only',
        manifests: [],
        chain: ['boto3', 'urllib3'],
      });
      expect(calls[0]).toBe('answer.md PyPI boto3');
      expect(phantom.status(imported('PyPI', 'idna', 'answer.md', answer))).toMatchObject({
        chain: ['requests', 'idna'],
      });
      // Nothing the answer installs brings it: undeclared.
      expect(phantom.status(imported('PyPI', 'numpy', 'answer.md', answer))?.status).toBe('undeclared');
      // Without registry answers, or with none for the declared packages, nothing is known to bring it.
      expect(resolver(refs).status(imported('PyPI', 'urllib3', 'answer.md', answer))?.status).toBe(
        'undeclared',
      );
      expect(
        resolver(refs, [], () => undefined).status(imported('PyPI', 'urllib3', 'answer.md', answer))?.status,
      ).toBe('undeclared');
    });

    it('Java: an answer that declares any dependency is trusted, one that declares none is undeclared', () => {
      const withDependency = resolver([declared('Maven', 'com.google.guava:guava', 'answer.md', answer)]);
      const gson = imported('Maven', 'com.google.gson', 'answer.md', answer);
      expect(withDependency.status(gson)).toEqual({ status: 'declared' });
      expect(resolver([]).status(gson)).toEqual({ status: 'undeclared', manifests: [] });
      // A Java import in a project names a package no table maps to an artifact: not judged.
      expect(resolver([]).status(imported('Maven', 'com.google.gson', 'src/Main.java'))).toBeUndefined();
    });
  });

  it('only imports are judged, and never the project’s own packages', () => {
    const facts: FileFacts[] = [
      { file: 'package.json', facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'app' }] },
    ];
    const phantom = resolver([], facts);
    expect(phantom.status(declared('npm', 'left-pad', 'package.json'))).toBeUndefined();
    expect(phantom.status(imported('npm', 'app', 'src/index.js'))).toBeUndefined();
    expect(phantom.status(imported('npm', 'left-pad', 'src/index.js'))?.status).toBe('undeclared');
  });

  describe('a Python project with a lockfile', () => {
    const graph = (extra: Partial<Extract<Fact, { kind: 'dependency-graph' }>> = {}): FileFacts => ({
      file: 'poetry.lock',
      facts: [
        {
          kind: 'dependency-graph',
          ecosystem: 'PyPI',
          roots: ['flask'],
          edges: { flask: ['werkzeug'], werkzeug: ['markupsafe'], orphan: [] },
          ...extra,
        },
      ],
    });
    const facts = [
      { file: 'pyproject.toml', facts: [{ kind: 'manifest', ecosystem: 'PyPI', name: 'shop' } as Fact] },
      graph(),
    ];
    const refs = [
      declared('PyPI', 'flask', 'pyproject.toml'),
      locked('PyPI', 'flask', '3.0.0', 'poetry.lock'),
      locked('PyPI', 'werkzeug', '3.0.1', 'poetry.lock'),
      locked('PyPI', 'markupsafe', '2.1.5', 'poetry.lock'),
      locked('PyPI', 'orphan', '1.0.0', 'poetry.lock'),
    ];

    it('a dependency of a dependency is transitive-only, with the chain from the project and the version to pin', () => {
      const status = resolver(refs, facts).status(imported('PyPI', 'markupsafe', 'shop/app.py'));
      expect(status).toEqual({
        status: 'transitive-only',
        manifests: ['pyproject.toml'],
        lockfile: 'poetry.lock',
        chain: ['shop', 'flask', 'werkzeug', 'markupsafe'],
        install: {
          workspaceMember: false,
          manifest: expect.objectContaining({ file: 'pyproject.toml' }),
          via: 'poetry.lock',
          version: '2.1.5',
        },
      });
    });

    it('a locked package no declared dependency leads to gets a chain with a gap, not a made-up path', () => {
      expect(resolver(refs, facts).status(imported('PyPI', 'orphan', 'shop/app.py'))).toMatchObject({
        status: 'transitive-only',
        chain: ['shop', '…', 'orphan'],
      });
    });

    it('a package the lockfile does not hold is undeclared; the fix goes through the manifest when there is no lockfile', () => {
      expect(resolver(refs, facts).status(imported('PyPI', 'numpy', 'shop/app.py'))).toMatchObject({
        status: 'undeclared',
        manifests: ['pyproject.toml'],
        install: { via: 'poetry.lock' },
      });
      const noLock = resolver(
        [declared('PyPI', 'flask', 'requirements.txt')],
        [{ file: 'requirements.txt', facts: [{ kind: 'manifest', ecosystem: 'PyPI' }] }],
      ).status(imported('PyPI', 'numpy', 'app.py'));
      expect(noLock).toEqual({
        status: 'undeclared',
        manifests: ['requirements.txt'],
        install: {
          workspaceMember: false,
          manifest: expect.objectContaining({ file: 'requirements.txt' }),
          via: 'requirements.txt',
        },
      });
    });

    it('introducedBy: the chain that brings a locked package, none for a direct or unreachable one', () => {
      const phantom = resolver(refs, facts);
      expect(phantom.introducedBy(locked('PyPI', 'markupsafe', '2.1.5', 'poetry.lock'))).toEqual([
        'shop',
        'flask',
        'werkzeug',
        'markupsafe',
      ]);
      expect(phantom.introducedBy(locked('PyPI', 'flask', '3.0.0', 'poetry.lock'))).toBeUndefined();
      expect(phantom.introducedBy(locked('PyPI', 'orphan', '1.0.0', 'poetry.lock'))).toBeUndefined();
      expect(phantom.introducedBy(locked('PyPI', 'absent', '1.0.0', 'poetry.lock'))).toBeUndefined();
      expect(phantom.introducedBy(declared('PyPI', 'werkzeug', 'pyproject.toml'))).toBeUndefined();
    });
  });

  it('crates.io and Go: a crate the lockfile holds only for others is as undeclared as an absent one (the build refuses it)', () => {
    const facts: FileFacts[] = [
      { file: 'Cargo.toml', facts: [{ kind: 'manifest', ecosystem: 'crates.io', name: 'tool' }] },
      {
        file: 'Cargo.lock',
        facts: [
          {
            kind: 'dependency-graph',
            ecosystem: 'crates.io',
            roots: ['serde_json'],
            edges: { serde_json: ['itoa'] },
          },
        ],
      },
    ];
    const refs = [
      declared('crates.io', 'serde_json', 'Cargo.toml'),
      locked('crates.io', 'itoa', '1.0.11', 'Cargo.lock'),
    ];
    expect(resolver(refs, facts).status(imported('crates.io', 'itoa', 'src/main.rs'))).toMatchObject({
      status: 'undeclared',
      install: { via: 'Cargo.lock', version: '1.0.11' },
    });
  });

  describe('npm layouts', () => {
    const workspace = (manager: 'npm' | 'pnpm', layout?: Fact): FileFacts[] => [
      {
        file: 'package.json',
        facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'root', workspaces: ['packages/*'] }],
      },
      { file: 'packages/app/package.json', facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'app' }] },
      {
        file: 'lock.yaml',
        facts: [
          {
            kind: 'dependency-graph',
            ecosystem: 'npm',
            manager,
            edges: { express: ['body-parser'], 'body-parser': [], 'stray-tool': [] },
            importers: { '.': [], 'packages/app': ['express'] },
          },
        ],
      },
      ...(layout ? [{ file: '.npmrc', facts: [layout] }] : []),
    ];
    const refs = [
      declared('npm', 'express', 'packages/app/package.json'),
      locked('npm', 'express', '4.19.2', 'lock.yaml'),
      locked('npm', 'body-parser', '1.20.2', 'lock.yaml'),
      locked('npm', 'stray-tool', '2.0.0', 'lock.yaml'),
    ];
    const app = (name: string) => imported('npm', name, 'packages/app/src/index.js');

    it('the fix targets the workspace member with the manager that wrote the lockfile, at the locked version', () => {
      expect(resolver(refs, workspace('pnpm')).status(app('body-parser'))).toMatchObject({
        status: 'transitive-only',
        chain: ['app', 'express', 'body-parser'],
        severity: 'medium',
        note: 'pnpm does not let a package load what it does not declare',
        install: {
          manager: 'pnpm',
          workspaceMember: true,
          manifest: expect.objectContaining({ file: 'packages/app/package.json' }),
          version: '1.20.2',
          via: 'lock.yaml',
        },
      });
    });

    it('a locked package nothing of this project brings: loads by hoisting with npm, refused by pnpm', () => {
      expect(resolver(refs, workspace('npm')).status(app('stray-tool'))).toMatchObject({
        status: 'transitive-only',
        chain: ['app', '…', 'stray-tool'],
      });
      const strict = resolver(refs, workspace('pnpm')).status(app('stray-tool'));
      expect(strict).toMatchObject({
        status: 'undeclared',
        note: 'lock.yaml installs it only for other packages, and pnpm does not let this one load it',
      });
      expect(strict).not.toHaveProperty('severity');
    });

    it('pnpm public-hoist-pattern: a matching package loads from the root, others stay strict', () => {
      const hoist = (pattern: string) =>
        resolver(
          refs,
          workspace('pnpm', { kind: 'install-layout', ecosystem: 'npm', publicHoistPattern: [pattern] }),
        ).status(app('stray-tool'))?.status;
      expect(hoist('stray-*')).toBe('transitive-only');
      expect(hoist('*-tool')).toBe('transitive-only');
      expect(hoist('s*y-t*l')).toBe('transitive-only');
      expect(hoist('stray-tool')).toBe('transitive-only');
      expect(hoist('*tool-*')).toBe('undeclared');
      expect(hoist('stray')).toBe('undeclared');
      expect(hoist('*-tools')).toBe('undeclared');
      expect(hoist('other-*')).toBe('undeclared');
      expect(hoist('stray-tool-*')).toBe('undeclared');
    });
  });
});
