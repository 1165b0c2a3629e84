// biome-ignore-all lint/suspicious/noTemplateCurlyInString: npm's ${VAR} syntax in .npmrc files, literally
/**
 * A hostile repository against the registry room: its own "npm" on PATH, its registry configuration pointing
 * the user's credentials at a listener of its own. Real files, a real loopback listener that logs every
 * request's headers, and full scans.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { NO_NPM_REGISTRY } from '../../src/registry/config.js';
import { scanTrust, trustedPathDirs } from '../../src/registry/trust.js';

const SECRET = 'user-secret-token-6d1f';

let root: string;
let listener: Server;
let listenerUrl: string;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  listener = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"Not found"}');
  });
  await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/`;
});
afterAll(
  () =>
    new Promise<void>((done) => {
      listener.closeAllConnections();
      listener.close(() => done());
    }),
);
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vouch-trust-'));
  seen.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const abs = join(root, path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return abs;
}

/** Every header value the listener received, as one text. */
function headersSeen(): string {
  return seen.map((r) => JSON.stringify(r.headers)).join('\n');
}

function scanOptions(cwd: string, env: Record<string, string>, trustProjectConfig = false) {
  return {
    cwd,
    database: false as const,
    registry: {
      cache: false as const,
      env: { HOME: join(root, 'home'), npm_config_globalconfig: join(root, 'none'), ...env },
      http: { retries: 0, timeoutMs: 5000 },
      popular: {},
      trustProjectConfig,
    },
  };
}

describe('PATH entries and installed tools', () => {
  it('keeps absolute entries outside the scanned folders and the working directory', () => {
    mkdirSync(join(root, 'repo/.git'), { recursive: true });
    mkdirSync(join(root, 'repo/sub/node_modules/.bin'), { recursive: true });
    mkdirSync(join(root, 'tools/bin'), { recursive: true });
    const env = {
      HOME: join(root, 'home'),
      PATH: [
        'node_modules/.bin',
        join(root, 'repo/sub/node_modules/.bin'),
        join(root, 'repo/node_modules/.bin'),
        join(root, 'tools/bin'),
      ].join(delimiter),
    };
    // From inside the repository: the repository around the working directory counts as scanned code.
    expect(trustedPathDirs(env, scanTrust(join(root, 'repo/sub'), env))).toEqual([join(root, 'tools/bin')]);
    // From the home folder, scanning the repository.
    const fromHome = scanTrust(join(root, 'home'), env, [join(root, 'repo/sub')]);
    expect(trustedPathDirs(env, fromHome)).toEqual([join(root, 'tools/bin')]);
  });

  it("a scan never runs the scanned repository's npm, even when it is the only one on PATH", async () => {
    const marker = join(root, 'pwned');
    const planted = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
    const npmDir = join(root, 'repo/node_modules/npm');
    write('repo/node_modules/npm/package.json', '{"name":"npm","version":"11.0.0"}');
    write('repo/node_modules/npm/bin/npm-cli.js', planted);
    write('repo/node_modules/npm/node_modules/@npmcli/config/lib/definitions/index.js', planted);
    write('repo/node_modules/npm/node_modules/@npmcli/config/lib/definitions/definitions.js', planted);
    mkdirSync(join(root, 'repo/node_modules/.bin'), { recursive: true });
    symlinkSync(join(npmDir, 'bin/npm-cli.js'), join(root, 'repo/node_modules/.bin/npm'));
    write('repo/package.json', JSON.stringify({ dependencies: { 'left-pad': '^1.0.0' } }));
    mkdirSync(join(root, 'home'), { recursive: true });
    const result = await scan(
      [join(root, 'repo')],
      scanOptions(join(root, 'home'), { PATH: join(root, 'repo/node_modules/.bin') }),
    );
    expect(existsSync(marker)).toBe(false);
    expect(result.unchecked).toContainEqual(
      expect.objectContaining({ name: 'left-pad', check: 'registry', reason: NO_NPM_REGISTRY }),
    );
  });
});

describe("a project's registry configuration", () => {
  it("never expands the user's environment into a project .npmrc, and says what it ignored once", async () => {
    write('repo/package.json', JSON.stringify({ dependencies: { 'left-pad': '^1.0.0', 'is-odd': '3.0.1' } }));
    const host = listenerUrl.slice('http:'.length);
    write('repo/.npmrc', `registry=${listenerUrl}\n${host}:_authToken=\${GITHUB_TOKEN}\n`);
    const repo = join(root, 'repo');
    const result = await scan(['.'], scanOptions(repo, { GITHUB_TOKEN: SECRET }));
    expect(seen.length).toBeGreaterThan(0);
    expect(headersSeen()).not.toContain(SECRET);
    expect(seen.every((r) => r.headers.authorization === undefined)).toBe(true);
    const notes = (result.warnings ?? []).filter((w) => w.includes('--trust-project-config'));
    expect(notes).toEqual([expect.stringContaining(`${join(repo, '.npmrc')}: ignored ${host}:_authToken`)]);
    expect(notes[0]).not.toContain(SECRET);

    // The documented opt-in behaves as npm would.
    seen.length = 0;
    await scan(['.'], scanOptions(repo, { GITHUB_TOKEN: SECRET }, true));
    expect(seen.map((r) => r.headers.authorization)).toContain(`Bearer ${SECRET}`);
  });

  it("never sends the user's Cargo token for a registry name to the index a project file re-points it to", async () => {
    write(
      'home/.cargo/config.toml',
      '[registries.corp]\nindex = "sparse+https://crates.example.org/index/"\n',
    );
    write(
      'repo/.cargo/config.toml',
      `[source.crates-io]\nreplace-with = "corp"\n[registries.corp]\nindex = "sparse+${listenerUrl}"\n`,
    );
    write('repo/Cargo.toml', '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1"\n');
    const result = await scan(
      ['.'],
      scanOptions(join(root, 'repo'), { CARGO_REGISTRIES_CORP_TOKEN: SECRET }),
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(headersSeen()).not.toContain(SECRET);
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/points registry 'corp' at .*not sent there/),
    );
  });

  it('never sends the credentials of a NuGet source key to the URL a project NuGet.Config gives that key', async () => {
    write(
      'home/.nuget/NuGet/NuGet.Config',
      `<configuration>
  <packageSources><add key="corp" value="https://nuget.example.org/v3/index.json" /></packageSources>
  <packageSourceCredentials><corp><add key="Username" value="me" /><add key="ClearTextPassword" value="${SECRET}" /></corp></packageSourceCredentials>
</configuration>`,
    );
    write(
      'repo/NuGet.Config',
      `<configuration><packageSources><clear /><add key="corp" value="${listenerUrl}v3/index.json" /></packageSources></configuration>`,
    );
    write(
      'repo/app.csproj',
      '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.1" /></ItemGroup></Project>',
    );
    const result = await scan(['.'], scanOptions(join(root, 'repo'), {}));
    expect(seen.length).toBeGreaterThan(0);
    const basic = Buffer.from(`me:${SECRET}`).toString('base64');
    expect(headersSeen()).not.toContain(basic);
    expect(result.warnings).toContainEqual(expect.stringMatching(/points source 'corp' at .*not sent there/));
  });
});
