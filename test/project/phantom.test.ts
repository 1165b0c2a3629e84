import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import type { ScanResult } from '../../src/model/result.js';
import type { NodeLinker, PackageManager } from '../../src/model/source.js';
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
      expect(phantom.introducedBy(locked('PyPI', 'werkzeug', '3.0.1', 'poetry.lock'))).toEqual([
        'shop',
        'flask',
        'werkzeug',
      ]);
      // No lockfile around it: nothing to follow.
      expect(resolver([]).introducedBy(locked('PyPI', 'flask', '3.0.0', 'pylock.toml'))).toBeUndefined();
    });

    it('introducedBy: a package the manifest declares is direct even where a stale lockfile does not name it a root; the lockfile’s roots decide the chains', () => {
      // requirements.txt beside it declares nothing of these: one covering manifest that declares is enough.
      const phantom = resolver(
        [...refs, declared('PyPI', 'werkzeug', 'pyproject.toml')],
        [...facts, { file: 'requirements.txt', facts: [{ kind: 'manifest', ecosystem: 'PyPI' }] }],
      );
      expect(phantom.introducedBy(locked('PyPI', 'werkzeug', '3.0.1', 'poetry.lock'))).toBeUndefined();
      expect(phantom.introducedBy(locked('PyPI', 'markupsafe', '2.1.5', 'poetry.lock'))).toEqual([
        'shop',
        'flask',
        'werkzeug',
        'markupsafe',
      ]);
    });

    it('a root of the lockfile the manifests do not name still starts chains', () => {
      const withGunicorn = [
        facts[0]!,
        // flask also depends on gunicorn: a root stays a root.
        graph({
          roots: ['flask', 'gunicorn'],
          edges: { flask: ['werkzeug', 'gunicorn'], gunicorn: ['packaging'] },
        }),
      ];
      const phantom = resolver(
        [
          ...refs,
          locked('PyPI', 'gunicorn', '22.0.0', 'poetry.lock'),
          locked('PyPI', 'packaging', '24.0', 'poetry.lock'),
        ],
        withGunicorn,
      );
      expect(phantom.status(imported('PyPI', 'packaging', 'shop/app.py'))).toMatchObject({
        status: 'transitive-only',
        chain: ['shop', 'gunicorn', 'packaging'],
      });
      // A root is a direct dependency: no chain brings it.
      expect(phantom.introducedBy(locked('PyPI', 'gunicorn', '22.0.0', 'poetry.lock'))).toBeUndefined();
    });

    it('chains show the lockfile’s spelling of each name, start at the lockfile’s folder without a manifest, and take the shortest path from the first root by name', () => {
      const spelled = graph({
        roots: ['Flask'],
        edges: { Flask: ['Werkzeug'], Werkzeug: ['MarkupSafe'], Orphan_Lib: [] },
      });
      const phantom = resolver(refs, [facts[0]!, spelled]);
      expect(phantom.status(imported('PyPI', 'markupsafe', 'shop/app.py'))).toMatchObject({
        chain: ['shop', 'Flask', 'Werkzeug', 'MarkupSafe'],
      });
      expect(phantom.status(imported('PyPI', 'orphan_lib', 'shop/app.py'))).toMatchObject({
        chain: ['shop', '…', 'Orphan_Lib'],
      });
      expect(resolver(refs.slice(1), [graph()]).status(imported('PyPI', 'werkzeug', 'app.py'))).toMatchObject(
        {
          status: 'transitive-only',
          manifests: [],
          chain: ['.', 'flask', 'werkzeug'],
        },
      );
      // zeta and alpha both bring shared directly; zeta also through mid.
      const diamond = graph({
        roots: ['zeta', 'alpha'],
        edges: { zeta: ['shared', 'mid'], alpha: ['shared'], mid: ['shared'] },
      });
      expect(
        resolver(refs, [facts[0]!, diamond]).status(imported('PyPI', 'shared', 'shop/app.py')),
      ).toMatchObject({
        chain: ['shop', 'alpha', 'shared'],
      });
    });

    it('Python: requirement files above the code declare for it as its own (no enclosing project, unlike node_modules)', () => {
      const phantom = resolver(
        [
          declared('PyPI', 'pyyaml', 'requirements.txt'),
          declared('PyPI', 'flask', 'requirements.txt'),
          declared('PyPI', 'gunicorn', 'app/requirements.txt'),
        ],
        [
          { file: 'requirements.txt', facts: [{ kind: 'manifest', ecosystem: 'PyPI' }] },
          { file: 'app/requirements.txt', facts: [{ kind: 'manifest', ecosystem: 'PyPI' }] },
        ],
      );
      expect(phantom.status(imported('PyPI', 'flask', 'app/main.py'))).toEqual({ status: 'declared' });
      // yaml is installed by the distribution PyYAML: declared under that name.
      const yaml = imported('PyPI', 'yaml', 'app/main.py', { alternatives: ['PyYAML'] });
      expect(phantom.status(yaml)).toEqual({ status: 'declared' });
    });
  });

  it('Packagist: a lockfile that names no roots starts its chains at what composer.json requires', () => {
    const facts: FileFacts[] = [
      { file: 'composer.json', facts: [{ kind: 'manifest', ecosystem: 'Packagist', name: 'acme/app' }] },
      {
        file: 'composer.lock',
        facts: [
          { kind: 'dependency-graph', ecosystem: 'Packagist', edges: { 'monolog/monolog': ['psr/log'] } },
        ],
      },
    ];
    const refs = [
      declared('Packagist', 'monolog/monolog', 'composer.json'),
      locked('Packagist', 'monolog/monolog', '3.5.0', 'composer.lock'),
      locked('Packagist', 'psr/log', '3.0.0', 'composer.lock'),
    ];
    expect(
      resolver(refs, facts).introducedBy(locked('Packagist', 'psr/log', '3.0.0', 'composer.lock')),
    ).toEqual(['acme/app', 'monolog/monolog', 'psr/log']);
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
    const go: FileFacts[] = [
      { file: 'go.mod', facts: [{ kind: 'manifest', ecosystem: 'Go', name: 'example.org/tool' }] },
      {
        file: 'go.sum',
        facts: [
          {
            kind: 'dependency-graph',
            ecosystem: 'Go',
            roots: ['golang.org/x/net'],
            edges: { 'golang.org/x/net': ['golang.org/x/text'] },
          },
        ],
      },
    ];
    const goRefs = [
      declared('Go', 'golang.org/x/net', 'go.mod'),
      locked('Go', 'golang.org/x/text', 'v0.14.0', 'go.sum'),
    ];
    expect(resolver(goRefs, go).status(imported('Go', 'golang.org/x/text', 'main.go'))).toMatchObject({
      status: 'undeclared',
      install: { via: 'go.sum', version: 'v0.14.0' },
    });
  });

  describe('npm layouts', () => {
    const workspace = (
      manager: PackageManager,
      layout?: Fact,
      importers: Record<string, string[]> = { '.': [], 'packages/app': ['express'] },
    ): FileFacts[] => [
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
            importers,
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
      // The parts keep their order and never overlap; the last one ends the name.
      expect(hoist('tray-*')).toBe('undeclared');
      expect(hoist('*-to')).toBe('undeclared');
      expect(hoist('stray*ray-tool')).toBe('undeclared');
      expect(hoist('*ray*ray*')).toBe('undeclared');
      expect(hoist('stray*-tool')).toBe('transitive-only');
    });

    const layout = (nodeLinker: NodeLinker): Fact => ({
      kind: 'install-layout',
      ecosystem: 'npm',
      nodeLinker,
    });

    it('the note names what refuses the import: pnpm or yarn, isolated or Plug’n’Play', () => {
      const cases: [PackageManager, NodeLinker | undefined, string][] = [
        ['pnpm', undefined, 'pnpm'],
        ['pnpm', 'pnp', "pnpm's Plug'n'Play"],
        ['yarn-berry', undefined, "yarn's Plug'n'Play"],
        ['yarn-berry', 'isolated', "yarn's pnpm linker"],
      ];
      for (const [manager, linker, tool] of cases) {
        const status = resolver(refs, workspace(manager, linker && layout(linker))).status(
          app('body-parser'),
        );
        expect({ manager, linker, status }).toMatchObject({
          manager,
          linker,
          status: {
            status: 'transitive-only',
            severity: 'medium',
            note: `${tool} does not let a package load what it does not declare`,
          },
        });
      }
      // Hoisted (npm, or yarn's node-modules linker): it loads, no note.
      for (const manager of ['npm', 'yarn-berry'] as const) {
        const status = resolver(refs, workspace(manager, layout('hoisted'))).status(app('body-parser'));
        expect(status).toEqual({
          status: 'transitive-only',
          manifests: ['packages/app/package.json', 'package.json'],
          lockfile: 'lock.yaml',
          chain: ['app', 'express', 'body-parser'],
          install: {
            manager,
            workspaceMember: true,
            manifest: expect.objectContaining({ file: 'packages/app/package.json' }),
            version: '1.20.2',
            via: 'lock.yaml',
          },
        });
      }
    });

    describe('a package other workspaces declare', () => {
      // lib before docs: the order the index meets them, which the finding must not keep.
      const siblings = [
        {
          file: 'packages/lib/package.json',
          facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'lib' } as Fact],
        },
        {
          file: 'packages/docs/package.json',
          facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'docs' } as Fact],
        },
        // Outside the scanned folder (shown absolute): not a workspace of this lockfile.
        {
          file: '/elsewhere/package.json',
          facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'other' } as Fact],
        },
      ];
      const declarers = [
        declared('npm', 'left-pad', 'packages/lib/package.json'),
        declared('npm', 'left-pad', 'packages/docs/package.json'),
        declared('npm', 'right-pad', 'packages/lib/package.json'),
        declared('npm', 'left-pad', '/elsewhere/package.json'),
        declared('npm', 'right-pad', '/elsewhere/package.json'),
      ];
      const status = (manager: PackageManager, name: string) =>
        resolver([...refs, ...declarers], [...workspace(manager), ...siblings]).status(app(name));

      it('hoisted: loads by accident (low), naming every declaring workspace in order', () => {
        expect(status('npm', 'left-pad')).toEqual({
          status: 'undeclared',
          manifests: ['packages/app/package.json', 'package.json'],
          declaredBy: ['packages/docs/package.json', 'packages/lib/package.json'],
          severity: 'low',
          note: 'packages/docs/package.json, packages/lib/package.json declare it; it loads here only because the install hoists it',
          install: {
            manager: 'npm',
            workspaceMember: true,
            manifest: expect.objectContaining({ file: 'packages/app/package.json' }),
            via: 'lock.yaml',
          },
        });
        expect(status('npm', 'right-pad')).toMatchObject({
          declaredBy: ['packages/lib/package.json'],
          note: 'packages/lib/package.json declares it; it loads here only because the install hoists it',
        });
      });

      it('pnpm: refused (medium), and the note says only those declare it', () => {
        expect(status('pnpm', 'left-pad')).toMatchObject({
          status: 'undeclared',
          severity: 'medium',
          note: 'only packages/docs/package.json, packages/lib/package.json declare it, and pnpm does not let other packages load it',
        });
        expect(status('pnpm', 'right-pad')).toMatchObject({
          note: 'only packages/lib/package.json declares it, and pnpm does not let other packages load it',
        });
      });

      it('a lockfile in a subfolder: only the manifests below it are its workspaces', () => {
        const nested = (facts: FileFacts[]) =>
          facts.map((f) => ({
            ...f,
            file: f.file.startsWith('/') ? f.file.replace('/elsewhere', 'tools') : `web/${f.file}`,
          }));
        const moved = (ref: PackageRef) => ({
          ...ref,
          location: {
            ...ref.location,
            file: ref.location.file.startsWith('/')
              ? ref.location.file.replace('/elsewhere', 'tools')
              : `web/${ref.location.file}`,
          },
        });
        const phantom = resolver(
          [...refs, ...declarers].map(moved),
          nested([...workspace('npm'), ...siblings]),
        );
        expect(phantom.status(moved(app('right-pad')))).toMatchObject({
          declaredBy: ['web/packages/lib/package.json'],
        });
      });
    });

    describe('a package only the enclosing (root) manifest declares', () => {
      const rootDeclares = [...refs, declared('npm', 'left-pad', 'package.json')];
      const enclosing = { status: 'declared', enclosing: 'package.json' };

      it('loads through the node_modules above: npm, pnpm, yarn’s node-modules linker', () => {
        expect(resolver(rootDeclares, workspace('npm')).status(app('left-pad'))).toEqual(enclosing);
        expect(resolver(rootDeclares, workspace('pnpm')).status(app('left-pad'))).toEqual(enclosing);
        expect(
          resolver(rootDeclares, workspace('yarn-berry', layout('hoisted'))).status(app('left-pad')),
        ).toEqual(enclosing);
        // A file of the root project: its own manifest declares it.
        expect(
          resolver(rootDeclares, workspace('yarn-berry')).status(
            imported('npm', 'left-pad', 'scripts/build.js'),
          ),
        ).toEqual({ status: 'declared' });
      });

      it('yarn’s Plug’n’Play: a workspace loads only what its own manifest declares; a folder that is no workspace of the lockfile is not one', () => {
        expect(resolver(rootDeclares, workspace('yarn-berry')).status(app('left-pad'))).toEqual({
          status: 'undeclared',
          manifests: ['packages/app/package.json', 'package.json'],
          declaredBy: ['package.json'],
          severity: 'medium',
          note: "declared by the enclosing package.json, but yarn's Plug'n'Play lets app load only what packages/app/package.json declares",
          install: {
            manager: 'yarn-berry',
            workspaceMember: true,
            manifest: expect.objectContaining({ file: 'packages/app/package.json' }),
            via: 'lock.yaml',
          },
        });
        const notAWorkspace = workspace('yarn-berry', undefined, { '.': ['express'] });
        expect(resolver(rootDeclares, notAWorkspace).status(app('left-pad'))).toEqual(enclosing);
        // pnpm's node-linker=pnp runs the same resolver.
        expect(
          resolver(rootDeclares, workspace('pnpm', layout('pnp'))).status(app('left-pad')),
        ).toMatchObject({
          status: 'undeclared',
          note: "declared by the enclosing package.json, but pnpm's Plug'n'Play lets app load only what packages/app/package.json declares",
        });
      });
    });

    it('a chain that starts at a dependency the root declares is still the importing project’s', () => {
      const rootRefs = [declared('npm', 'express', 'package.json'), ...refs.slice(1)];
      const facts = workspace('npm', undefined, { '.': ['express'], 'packages/app': [] });
      expect(resolver(rootRefs, facts).status(app('body-parser'))).toMatchObject({
        chain: ['app', 'express', 'body-parser'],
      });
    });

    it('a chain that starts in another workspace names it: by its package name, else its folder', () => {
      const lib = { 'packages/lib': ['express'], 'packages/app': [] };
      const appOnly = [...refs.slice(1)];
      // packages/lib holds only a Python project: no npm name to show.
      const pythonLib = [
        ...workspace('npm', undefined, lib),
        {
          file: 'packages/lib/pyproject.toml',
          facts: [{ kind: 'manifest', ecosystem: 'PyPI', name: 'lib-py' } as Fact],
        },
      ];
      expect(resolver(appOnly, pythonLib).status(app('body-parser'))).toMatchObject({
        chain: ['packages/lib', 'express', 'body-parser'],
      });
      // No manifest of packages/lib was scanned.
      expect(resolver(appOnly, workspace('npm', undefined, lib)).status(app('body-parser'))).toMatchObject({
        chain: ['packages/lib', 'express', 'body-parser'],
      });
    });

    it('chains of workspaces with different direct dependencies never mix (each set of roots has its own graph)', () => {
      const facts: FileFacts[] = [
        { file: 'packages/x/package.json', facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'x' }] },
        { file: 'packages/y/package.json', facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'y' }] },
        {
          file: 'package-lock.json',
          facts: [
            {
              kind: 'dependency-graph',
              ecosystem: 'npm',
              manager: 'npm',
              edges: { a: ['t'], ab: ['t'], bc: [], c: [] },
              // Joined without a separator, both sets of roots would read `abc`.
              importers: { 'packages/x': ['a', 'bc'], 'packages/y': ['ab', 'c'] },
            },
          ],
        },
      ];
      const phantom = resolver([], facts);
      expect(phantom.status(imported('npm', 't', 'packages/x/index.js'))).toMatchObject({
        chain: ['x', 'a', 't'],
      });
      expect(phantom.status(imported('npm', 't', 'packages/y/index.js'))).toMatchObject({
        chain: ['y', 'ab', 't'],
      });
    });

    it('an npm v1 lockfile (roots, no workspaces): the chain starts at the project', () => {
      const facts: FileFacts[] = [
        { file: 'package.json', facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'app' }] },
        {
          file: 'package-lock.json',
          facts: [
            {
              kind: 'dependency-graph',
              ecosystem: 'npm',
              roots: ['express'],
              edges: { express: ['body-parser'] },
            },
          ],
        },
      ];
      expect(resolver([], facts).status(imported('npm', 'body-parser', 'src/index.js'))).toMatchObject({
        status: 'transitive-only',
        chain: ['app', 'express', 'body-parser'],
      });
    });
  });

  describe('the project the fix goes into', () => {
    it('npm: the nearest package.json, not a script nearer that installs something; no manifest, no target', () => {
      const phantom = resolver(
        [declared('npm', 'lodash', 'src/setup.sh')],
        [{ file: 'package.json', facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'app' }] }],
      );
      expect(phantom.status(imported('npm', 'left-pad', 'src/index.js'))).toEqual({
        status: 'undeclared',
        manifests: ['src/setup.sh', 'package.json'],
        install: {
          workspaceMember: false,
          manifest: expect.objectContaining({ file: 'package.json' }),
          via: 'package.json',
        },
      });
      expect(resolver([]).status(imported('npm', 'left-pad', 'index.js'))).toEqual({
        status: 'undeclared',
        manifests: [],
        install: { workspaceMember: false },
      });
    });

    it('Python: whatever declares the environment’s packages, a Dockerfile included; an npm package’s type declarations say nothing about it', () => {
      const phantom = resolver(
        [declared('PyPI', 'flask', 'Dockerfile')],
        [{ file: 'package.json', facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'ui', types: true }] }],
      );
      // A type-checking import: whether it is a dev dependency is Python's question, not the npm package's.
      expect(phantom.status(imported('PyPI', 'requests', 'app.py', { typeOnly: true }))).toEqual({
        status: 'undeclared',
        manifests: ['Dockerfile'],
        install: {
          workspaceMember: false,
          manifest: expect.objectContaining({ file: 'Dockerfile' }),
          via: 'Dockerfile',
        },
      });
    });

    it('a workspace member only below a workspace root: not the root itself, not a project inside a plain one', () => {
      const member = (facts: FileFacts[], file: string) =>
        (
          resolver([], facts).status(imported('npm', 'left-pad', file)) as {
            install?: { workspaceMember: boolean };
          }
        )?.install?.workspaceMember;
      const root = {
        file: 'package.json',
        facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'root', workspaces: ['packages/*'] } as Fact],
      };
      const plain = {
        file: 'package.json',
        facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'outer' } as Fact],
      };
      const app = {
        file: 'packages/app/package.json',
        facts: [{ kind: 'manifest', ecosystem: 'npm', name: 'app' } as Fact],
      };
      expect(member([root, app], 'packages/app/index.js')).toBe(true);
      expect(member([root, app], 'scripts/build.js')).toBe(false);
      expect(member([plain, app], 'packages/app/index.js')).toBe(false);
    });
  });
});
