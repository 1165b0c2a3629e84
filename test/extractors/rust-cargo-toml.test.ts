import { describe, expect, it } from 'vitest';
import { cargoToml } from '../../src/extractors/rust/cargo-toml.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { extractFixture, testContext } from '../helpers.js';

/** `12 regex (git …) #commit [dev] as alias`: what a user reads off one ref. */
function summary(ref: PackageRef): string {
  const parts = [String(ref.location.line), ref.name];
  if (ref.version !== undefined) parts.push(`=${ref.version}`);
  if (ref.spec !== undefined) parts.push(ref.spec);
  if (ref.origin !== undefined && ref.origin !== 'registry')
    parts.push(`(${ref.origin}${ref.url ? ` ${ref.url}` : ''})`);
  if (ref.commit) parts.push(`#${ref.commit.slice(0, 7)}`);
  if (ref.groups) parts.push(`[${ref.groups.join(',')}]`);
  if (ref.alias) parts.push(`as ${ref.alias}`);
  return parts.join(' ');
}

describe('rust/cargo-toml', () => {
  it('reads every dependency table with lines, groups, renames, git and path sources', () => {
    const out = extractFixture(cargoToml, 'extractors/rust-cargo-toml/basic/Cargo.toml');
    expect(out.errors).toEqual([]);
    expect(out.refs.map(summary)).toEqual([
      '7 serde 1.0',
      '8 serde_json 1',
      // Only `=` pins a version; `"1"` and `"1.0"` are caret requirements and stay as written.
      '9 tokio =1.28.2',
      '10 rand *',
      '11 reqwest 0.11 as http-client',
      '12 regex (git https://git.example.org/rust-lang/regex.git) #0c09903',
      '13 my-utils (path ../utils)',
      '14 openssl 0.10 [optional]',
      '16 log 0.4.20',
      '20 proptest 1.4 [dev]',
      '23 cc 1.0 [build]',
      '26 winapi 0.3',
      '29 nix 0.27 [dev]',
      '32 serde (git https://git.example.org/serde-rs/serde.git) [override]',
    ]);
    expect(out.refs.every((r) => r.source === 'declared' && r.ecosystem === 'crates.io')).toBe(true);
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'crates.io', name: 'shop-api' }]);
  });

  it('resolves workspace inheritance against the same file and keeps an unresolvable one as `workspace`', () => {
    const out = extractFixture(cargoToml, 'extractors/rust-cargo-toml/workspace/Cargo.toml');
    expect(out.errors).toEqual([]);
    expect(out.refs.map(summary)).toEqual([
      '15 serde 1.0.190',
      '16 anyhow 1',
      '17 clap workspace [optional]',
      '6 serde 1.0.190 [workspace]',
      '7 anyhow 1 [workspace]',
      '8 internal (path crates/internal) [workspace]',
    ]);
    expect(out.facts).toEqual([
      { kind: 'manifest', ecosystem: 'crates.io', name: 'root-app', workspaces: ['crates/*', 'tools/cli'] },
    ]);
  });

  it('reads an empty manifest as no dependencies', () => {
    const out = extractFixture(cargoToml, 'extractors/rust-cargo-toml/empty/Cargo.toml');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([]);
  });

  it('reports broken TOML with its line', () => {
    const out = extractFixture(cargoToml, 'extractors/rust-cargo-toml/broken/Cargo.toml');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([
      { line: 8, column: 1, message: 'invalid TOML: expected comma or end of structure' },
    ]);
  });

  it('reports a dependency field of the wrong type on its line and keeps the others', () => {
    const text = [
      '[dependencies]',
      'serde = "1"',
      'regex = { git = { url = "x" }, tag = "1.0" }',
      'rand = 3',
      'uuid = { workspace = "yes" }',
    ].join('\n');
    const out = cargoToml.extract({ path: 'Cargo.toml', text }, testContext());
    expect(out.errors).toEqual([
      { line: 3, message: '"dependencies.regex": `git` must be a string' },
      { line: 4, message: '"dependencies.rand": a dependency is a version requirement string or a table' },
      { line: 5, message: '"dependencies.uuid": `workspace` can only be true' },
    ]);
    expect(out.refs.map((r) => r.name)).toEqual(['serde']);
  });
});
