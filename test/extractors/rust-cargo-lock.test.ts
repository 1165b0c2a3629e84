import { describe, expect, it } from 'vitest';
import { cargoLock } from '../../src/extractors/rust/cargo-lock.js';
import { extractFixture } from '../helpers.js';

describe('rust/cargo-lock', () => {
  it('locks every package with its line and source, and records the graph from the workspace crates', () => {
    const out = extractFixture(cargoLock, 'extractors/rust-cargo-lock/basic/Cargo.lock');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.location.line} ${r.name}@${r.version} ${r.origin}`)).toEqual([
      '6 shop-api@0.3.0 path',
      '15 regex@1.10.2 git',
      '23 memchr@2.6.4 registry',
      '29 serde@1.0.190 registry',
      '37 serde_derive@1.0.190 registry',
      '45 syn@1.0.109 registry',
      '50 syn@2.0.39 registry',
    ]);
    expect(out.refs[1]).toMatchObject({
      url: 'https://git.example.org/rust-lang/regex.git?rev=0c09903',
      commit: '0c0990399270277832fbb5b91a1fa118e6f63dba',
    });
    expect(out.facts).toEqual([
      {
        kind: 'dependency-graph',
        ecosystem: 'crates.io',
        edges: {
          'shop-api': ['regex', 'serde', 'syn'],
          regex: ['memchr'],
          memchr: [],
          serde: ['serde_derive'],
          serde_derive: ['syn'],
          syn: [],
        },
        roots: ['regex', 'serde', 'syn'],
      },
    ]);
  });

  it('reads a lockfile without packages as nothing locked', () => {
    expect(extractFixture(cargoLock, 'extractors/rust-cargo-lock/empty/Cargo.lock')).toEqual({
      refs: [],
      errors: [],
      facts: [],
    });
  });

  it('reports broken TOML with its line', () => {
    const out = extractFixture(cargoLock, 'extractors/rust-cargo-lock/broken/Cargo.lock');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([
      { line: 8, column: 11, message: 'invalid TOML: expected end of table array declaration' },
    ]);
  });
});
