import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { compareVersions } from '../../src/versions/index.js';
import { fixturePath } from '../helpers.js';
import { fixtureDatabase } from '../vulndb/helpers.js';

const EXAMPLES = resolve(fixturePath(''), '../../examples');

function findingsOf(result: ScanResult): string[] {
  return result.findings
    .map((f) => `${f.kind} ${f.name}${f.inferred ? ' (inferred)' : ''} ${f.location.file}:${f.location.line}`)
    .sort();
}

describe('scan: a Go module', () => {
  it('flags imports go.mod does not require; not the standard library, the module itself or vendored code', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/go-module'), database: false });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      // A nested module has a go.mod of its own: the root module's requirements do not cover it.
      'undeclared github.com/gorilla/mux tools/main.go:4',
      // go.sum knows the module, so it is named exactly; go.mod does not require it, so it does not build.
      'undeclared github.com/sirupsen/logrus cmd/api/main.go:10',
      // No module is known for this import: the import path is reported, marked as a guess.
      'undeclared github.com/spf13/viper/remote (inferred) cmd/api/main.go:11',
    ]);
    expect(result.findings.find((f) => f.location.file === 'tools/main.go')?.message).toBe(
      "'github.com/gorilla/mux' is imported but it is not declared in tools/go.mod; to declare it: go get github.com/gorilla/mux",
    );
  });

  it('names each import by the module that provides it: the longest required path, replaced ones by their original path', async () => {
    const result = await scan(['cmd', 'internal'], { cwd: fixturePath('scan/go-module'), database: false });
    const imports = result.packages
      .filter((p) => p.source === 'imported')
      .map((p) => `${p.importName} → ${p.name}${p.inferred ? ' (inferred)' : ''}`);
    expect(imports).toEqual([
      'cloud.google.com/go/storage → cloud.google.com/go/storage',
      'github.com/gorilla/mux → github.com/gorilla/mux',
      'github.com/sirupsen/logrus → github.com/sirupsen/logrus',
      'github.com/spf13/viper/remote → github.com/spf13/viper/remote (inferred)',
      'golang.org/x/net/html → golang.org/x/net',
      'golang.org/x/sys/unix → golang.org/x/sys',
      'cloud.google.com/go/civil → cloud.google.com/go',
    ]);
    // fmt and net/http are the standard library; example.com/shop/internal/store is the module itself.
    expect(result.packages.map((p) => p.importName)).not.toContain('example.com/shop/internal/store');
    expect(result.packages.map((p) => p.importName)).not.toContain('net/http');
  });
});

describe('scan: a Cargo workspace', () => {
  it('checks each crate against its own Cargo.toml, with renames, inheritance and the lockfile graph', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/cargo-workspace'), database: false });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      // Declared by api, not by core-lib: workspace members do not share dependencies. Cargo refuses to
      // build a crate's import of a dependency it does not declare, even when the lockfile holds it.
      'undeclared anyhow (inferred) crates/core-lib/src/lib.rs:1',
      'undeclared rand (inferred) crates/api/src/main.rs:6',
      'undeclared serde_json (inferred) crates/api/src/main.rs:8',
    ]);
    // `http` is reqwest renamed, core_lib the path crate core-lib, std and `mod routes` are not crates.
    const imported = result.packages.filter((p) => p.source === 'imported').map((p) => p.importName);
    expect(imported).toContain('http');
    expect(imported).not.toContain('core_lib');
    expect(imported).not.toContain('std');
    expect(imported).not.toContain('routes');
  });
});

describe('scan: Go and Rust answers', () => {
  let database: string;
  beforeAll(async () => {
    database = await fixtureDatabase();
  });

  it('flags the old golang.org/x/text an answer installs, and the module it imports without installing', async () => {
    expect(compareVersions('Go', 'v0.3.7', '0.3.8')).toBe(-1);
    const result = await scan(['answers/go-old-text.md'], { cwd: EXAMPLES, database });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'undeclared github.com/gorilla/mux (inferred) answers/go-old-text.md:21',
      'undisclosed-risk golang.org/x/text answers/go-old-text.md:8',
      'vulnerable golang.org/x/text answers/go-old-text.md:8',
    ]);
    const vulnerable = result.findings.find((f) => f.kind === 'vulnerable');
    // Spelled as go.mod and `go get` want it, with its v (OSV's Go records leave it out).
    expect(vulnerable).toMatchObject({ version: 'v0.3.7', evidence: { upgrade: 'v0.3.8' } });
    expect(vulnerable?.message).toMatch(/; upgrade to v0\.3\.8$/);
    expect(vulnerable?.evidence?.advisories).toEqual([
      expect.objectContaining({ ids: expect.arrayContaining(['GO-2022-1059']) }),
    ]);
    // golang.org/x/text/language belongs to the module the answer installs.
    expect(result.packages.find((p) => p.importName === 'golang.org/x/text/language')?.name).toBe(
      'golang.org/x/text',
    );
  });

  it('flags a crate a Rust answer uses without `cargo add`, and keeps `cargo add x@1.2` a requirement', async () => {
    const result = await scan(['answers/rust-answer.md'], { cwd: EXAMPLES, database: false });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual(['undeclared reqwest (inferred) answers/rust-answer.md:31']);
    expect(result.packages.find((p) => p.name === 'time')).toMatchObject({
      spec: '0.1.43',
      source: 'installed',
    });
    expect(result.packages.find((p) => p.name === 'time')?.version).toBeUndefined();
  });

  it('routes go, go.mod, Cargo.toml and unlabelled Go blocks to their extractors', async () => {
    const answer = [
      '```go',
      'module example.com/hello',
      '',
      'require github.com/gin-gonic/gin v1.9.1',
      '```',
      '',
      '```toml',
      '[dependencies]',
      'tokio = { version = "1", features = ["full"] }',
      '```',
      '',
      '```',
      'package main',
      '',
      'import "github.com/gin-gonic/gin"',
      'import "github.com/labstack/echo/v4"',
      '```',
      '',
      '```rs',
      'use tokio::runtime::Runtime;',
      '```',
      '',
      'Or install it globally: go install golang.org/x/tools/gopls@v0.14.2',
    ].join('\n');
    const result = await scan(['-'], { stdin: answer, database: false });
    expect(result.errors).toEqual([]);
    expect(result.packages.map((p) => `${p.location.line} ${p.ecosystem} ${p.name} ${p.source}`)).toEqual([
      '4 Go github.com/gin-gonic/gin declared',
      '9 crates.io tokio declared',
      '15 Go github.com/gin-gonic/gin imported',
      '16 Go github.com/labstack/echo/v4 imported',
      '20 crates.io tokio imported',
      '23 Go golang.org/x/tools/gopls installed',
    ]);
    // `import "…"` in the unlabelled block is Go, not JavaScript: nothing is reported for npm.
    expect(findingsOf(result)).toEqual(['undeclared github.com/labstack/echo/v4 (inferred) <stdin>:16']);
  });
});
